package ledger

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// derivedBuckets are the six derived indexes, as the ledger's table lists
// them.
var derivedBuckets = [][]byte{bucketInflight, bucketTracking, bucketInDoubt, bucketOpen, bucketAttention, bucketChanged}

// indexKeys lists the keys in every derived index, by bucket.
func indexKeys(t *testing.T, l *Ledger) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	require.NoError(t, l.db.View(func(tx *bolt.Tx) error {
		for _, name := range derivedBuckets {
			b := tx.Bucket(name)
			require.NotNil(t, b, "index %s", name)
			keys := []string{}
			require.NoError(t, b.ForEach(func(k, _ []byte) error { keys = append(keys, string(k)); return nil }))
			got[string(name)] = keys
		}
		return nil
	}))
	return got
}

// TestOpenRebuildsEveryIndex: each derived index of the table, lost, is
// built again by Open with the keys it held.
func TestOpenRebuildsEveryIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	c := &clock{t: time.Date(2026, 11, 23, 14, 5, 2, 0, time.UTC)}
	l, err := Open(path, Options{NoSync: true, Now: c.Now})
	require.NoError(t, err)
	for _, s := range allStates[1:] {
		putInState(t, l, "k-"+string(s), s)
	}
	putInState(t, l, "seen", Submitted)
	putInState(t, l, "refused", Submitted)
	_, err = l.RecordTracking([]TrackUpdate{{Key: "seen", Stage: StageConfirmed}})
	require.NoError(t, err)
	c.Add(time.Hour)
	_, err = l.BeginTrackPass()
	require.NoError(t, err)
	_, err = l.RecordTracking([]TrackUpdate{{Key: "refused", Stage: StageRejected}})
	require.NoError(t, err)
	want := indexKeys(t, l)
	require.NoError(t, l.Close())

	for _, name := range derivedBuckets {
		t.Run(string(name), func(t *testing.T) {
			require.NotEmpty(t, want[string(name)], "the orders above fill index %s", name)
			l, err := Open(path, Options{NoSync: true, Now: c.Now})
			require.NoError(t, err)
			require.NoError(t, l.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(name) }))
			require.NoError(t, l.Close())

			l, err = Open(path, Options{NoSync: true, Now: c.Now})
			require.NoError(t, err)
			defer l.Close()
			got := indexKeys(t, l)
			require.Equal(t, want[string(name)], got[string(name)], "index %s rebuilt", name)
		})
	}
}

// TestIndexTableListsEveryIndex: the table holds the six derived indexes.
func TestIndexTableListsEveryIndex(t *testing.T) {
	var got []string
	for _, ix := range indexes {
		got = append(got, string(ix.bucket))
	}
	var want []string
	for _, name := range derivedBuckets {
		want = append(want, string(name))
	}
	require.ElementsMatch(t, want, got)
}
