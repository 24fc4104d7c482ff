package ledger

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// snapshotKeys lists the keys the snapshot walk hands over.
func snapshotKeys(t *testing.T, l *Ledger, walk func(*Snapshot, func(*Order) error) error) []string {
	t.Helper()
	var keys []string
	require.NoError(t, l.View(func(s *Snapshot) error {
		return walk(s, func(o *Order) error { keys = append(keys, o.Key); return nil })
	}))
	return keys
}

func openKeys(t *testing.T, l *Ledger) []string {
	return snapshotKeys(t, l, (*Snapshot).ForEachOpen)
}

func changedKeys(t *testing.T, l *Ledger) []string {
	return snapshotKeys(t, l, (*Snapshot).ForEachTrackedSinceLastPass)
}

func TestOpenAndChangedIndexesFollowTheOrders(t *testing.T) {
	l, c := openTest(t)
	for _, s := range allStates[1:] {
		putInState(t, l, "k-"+string(s), s)
	}
	putInState(t, l, "a-done", Submitted)
	putInState(t, l, "b-pending", Submitted)
	_, err := l.BeginTrackPass()
	require.NoError(t, err)
	_, err = l.RecordTracking([]TrackUpdate{{Key: "a-done", Stage: StagePending}, {Key: "b-pending", Stage: StagePending}})
	require.NoError(t, err)
	assert.Equal(t, []string{"a-done", "b-pending", "k-submitted"}, openKeys(t, l))
	assert.Equal(t, []string{"a-done", "b-pending"}, changedKeys(t, l))

	c.Add(time.Hour)
	_, err = l.BeginTrackPass()
	require.NoError(t, err)
	assert.Empty(t, changedKeys(t, l), "a new pass starts with no change")
	_, err = l.RecordTracking([]TrackUpdate{{Key: "a-done", Stage: StageCompleted}, {Key: "b-pending", Stage: StagePending}})
	require.NoError(t, err)
	require.NoError(t, l.StopTracking([]string{"k-submitted"}, "too old"))
	assert.Equal(t, []string{"b-pending", "k-submitted"}, openKeys(t, l), "completed leaves, stopped stays open")
	assert.Equal(t, []string{"a-done"}, changedKeys(t, l), "the same answer again is no change")
}

// A ledger written before these indexes existed gets them built at Open;
// opened read-only without them, every order is read.
func TestOpenBuildsTheOpenAndChangedIndexes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	c := &clock{t: time.Date(2026, 11, 23, 14, 5, 2, 0, time.UTC)}
	l, err := Open(path, Options{NoSync: true, Now: c.Now})
	require.NoError(t, err)
	putInState(t, l, "old-open", Submitted)
	putInState(t, l, "old-seen", Submitted)
	putInState(t, l, "old-doubt", InDoubt)
	_, err = l.RecordTracking([]TrackUpdate{{Key: "old-seen", Stage: StageConfirmed}})
	require.NoError(t, err)
	c.Add(time.Hour)
	_, err = l.BeginTrackPass()
	require.NoError(t, err)
	_, err = l.RecordTracking([]TrackUpdate{{Key: "old-open", Stage: StagePending}})
	require.NoError(t, err)
	require.NoError(t, l.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketOpen); err != nil {
			return err
		}
		return tx.DeleteBucket(bucketChanged)
	}))
	require.NoError(t, l.Close())

	for _, readOnly := range []bool{true, false} {
		l, err = Open(path, Options{NoSync: true, ReadOnly: readOnly})
		require.NoError(t, err)
		assert.Equal(t, []string{"old-open", "old-seen"}, openKeys(t, l), "read-only %v", readOnly)
		assert.Equal(t, []string{"old-open"}, changedKeys(t, l), "read-only %v", readOnly)
		require.NoError(t, l.Close())
	}
}
