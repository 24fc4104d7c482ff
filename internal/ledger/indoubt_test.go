package ledger

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

func inDoubtKeys(t *testing.T, l *Ledger) []string {
	t.Helper()
	list, err := l.InDoubt()
	require.NoError(t, err)
	var keys []string
	for _, o := range list {
		keys = append(keys, o.Key)
	}
	return keys
}

func TestInDoubtListsExactlyTheInDoubtOrders(t *testing.T) {
	l, _ := openTest(t)
	for _, s := range allStates[1:] {
		putInState(t, l, "k-"+string(s), s)
	}
	require.NoError(t, l.BeginSubmits([]Intent{intent("crashed", "fp1")}))
	require.NoError(t, l.MarkInDoubt([]string{"crashed"}, "stopped mid-request"))
	assert.Equal(t, []string{"crashed", "k-in_doubt"}, inDoubtKeys(t, l))

	require.NoError(t, l.Resolve("crashed", Resolution{Reference: "R-2", By: "orderdrop", Why: "found"}))
	require.NoError(t, l.Resolve("k-in_doubt", Resolution{NotSubmitted: true, By: "alice", Why: "not at the carrier"}))
	assert.Empty(t, inDoubtKeys(t, l), "settled orders leave the list")
}

func TestRecordLookupKeepsInDoubtAndCounts(t *testing.T) {
	l, c := openTest(t)
	putInState(t, l, "k", InDoubt)
	sent := c.Now()
	c.Add(time.Hour)
	require.NoError(t, l.RecordLookup("k", "port-in status of 4165550177: not found"))
	c.Add(time.Hour)
	require.NoError(t, l.RecordLookup("k", "port-in status of 4165550177: not found again"))

	o, err := l.Get("k")
	require.NoError(t, err)
	assert.Equal(t, InDoubt, o.State)
	assert.Equal(t, 2, o.Lookups)
	assert.Equal(t, sent.Add(2*time.Hour), o.LastLookup)
	assert.Equal(t, "port-in status of 4165550177: not found again", o.LookupNote)
	assert.Equal(t, sent, o.SentAt())

	// Released, then sent again: the lookups of the old request are forgotten.
	require.NoError(t, l.Resolve("k", Resolution{NotSubmitted: true, By: "alice", Why: "checked"}))
	c.Add(time.Hour)
	require.NoError(t, l.BeginSubmits([]Intent{intent("k", "fp1")}))
	o, err = l.Get("k")
	require.NoError(t, err)
	assert.Zero(t, o.Lookups)
	assert.Zero(t, o.LastLookup)
	assert.Empty(t, o.LookupNote)
	assert.Equal(t, sent.Add(3*time.Hour), o.SentAt(), "the new request's time")
}

func TestRecordLookupRefusedOutsideInDoubt(t *testing.T) {
	for _, s := range allStates {
		if s == InDoubt {
			continue
		}
		t.Run("from "+string(s), func(t *testing.T) {
			l, _ := openTest(t)
			putInState(t, l, "k", s)
			err := l.RecordLookup("k", "note")
			if s == "" {
				assert.ErrorIs(t, err, ErrNotFound)
			} else {
				assert.ErrorIs(t, err, ErrState)
			}
			assert.Equal(t, s, stateOfKey(t, l, "k"))
		})
	}
}

// A ledger written before the in_doubt index existed gets it built at Open.
func TestOpenBuildsTheInDoubtIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	putInState(t, l, "old-doubt", InDoubt)
	putInState(t, l, "old-done", Submitted)
	require.NoError(t, l.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketInDoubt) }))
	require.NoError(t, l.Close())

	l, err = Open(path, Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	assert.Equal(t, []string{"old-doubt"}, inDoubtKeys(t, l))
}
