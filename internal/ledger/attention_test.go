package ledger

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

func attentionKeys(t *testing.T, l *Ledger) []string {
	t.Helper()
	var keys []string
	require.NoError(t, l.NeedingAttention(func(o *Order) error {
		keys = append(keys, o.Key)
		return nil
	}))
	return keys
}

func TestNeedingAttentionListsExactlyTheOrdersToLookAt(t *testing.T) {
	l, _ := openTest(t)
	for _, s := range allStates[1:] {
		putInState(t, l, "k-"+string(s), s)
	}
	putInState(t, l, "pending-at-carrier", Submitted)
	putInState(t, l, "rejected-at-carrier", Submitted)
	putInState(t, l, "terminated-at-carrier", Submitted)
	putInState(t, l, "unknown-at-carrier", Submitted)
	_, err := l.RecordTracking([]TrackUpdate{
		{Key: "pending-at-carrier", Stage: StagePending, Status: "received"},
		{Key: "rejected-at-carrier", Stage: StageRejected, Status: "REJECTED", Message: "bad address"},
		{Key: "terminated-at-carrier", Stage: StageCancelled, Status: "terminated", Message: "Adresse introuvable"},
		{Key: "unknown-at-carrier", Stage: StageUnknown, Status: "WEIRD"},
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"k-in_doubt", "k-rejected", "k-retryable", "k-submitting", "rejected-at-carrier", "terminated-at-carrier", "unknown-at-carrier"}, attentionKeys(t, l))

	require.NoError(t, l.Resolve("k-in_doubt", Resolution{Reference: "R-2", By: "alice", Why: "found"}))
	require.NoError(t, l.BeginSubmits([]Intent{intent("k-retryable", "fp2"), intent("k-rejected", "fp3")}))
	require.NoError(t, l.RecordOutcomes([]Outcome{{Key: "k-retryable", State: Submitted, Reference: "R-3"},
		{Key: "k-submitting", State: Rejected}, {Key: "k-rejected", State: Submitted, Reference: "R-4"}}))
	assert.Equal(t, []string{"k-submitting", "rejected-at-carrier", "terminated-at-carrier", "unknown-at-carrier"}, attentionKeys(t, l),
		"settled orders leave the list, a rejection sent again and accepted too")
}

// A ledger written before the attention index existed gets it built at Open.
func TestOpenBuildsTheAttentionIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	putInState(t, l, "old-doubt", InDoubt)
	putInState(t, l, "old-done", Submitted)
	require.NoError(t, l.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketAttention) }))
	require.NoError(t, l.Close())

	l, err = Open(path, Options{NoSync: true, ReadOnly: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"old-doubt"}, attentionKeys(t, l), "read-only, without the index: every order is read")
	require.NoError(t, l.Close())

	l, err = Open(path, Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	assert.Equal(t, []string{"old-doubt"}, attentionKeys(t, l))
}

// A ledger whose attention index was built before rejections and
// cancellations were listed gets it rebuilt once at Open.
func TestOpenRebuildsAnOldAttentionIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	putInState(t, l, "old-rejected", Rejected)
	require.NoError(t, l.db.Update(func(tx *bolt.Tx) error {
		require.NoError(t, tx.Bucket(bucketAttention).Delete([]byte("old-rejected")))
		return tx.Bucket(bucketMeta).Delete(keyAttentionIndex)
	}))
	require.NoError(t, l.Close())

	l, err = Open(path, Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	assert.Equal(t, []string{"old-rejected"}, attentionKeys(t, l))
}
