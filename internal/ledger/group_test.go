package ledger

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// commits is the number of write transactions the ledger has committed.
func commits(t *testing.T, l *Ledger) uint64 {
	t.Helper()
	var id uint64
	require.NoError(t, l.db.View(func(tx *bolt.Tx) error { id = uint64(tx.ID()); return nil }))
	return id
}

// saveAllAtOnce saves a checkpoint for each key from its own goroutine,
// holding the first transaction until every other save is queued, and
// returns each caller's error and the size of each shared transaction.
func saveAllAtOnce(t *testing.T, l *Ledger, keys []string) (errs []error, groups []int) {
	t.Helper()
	first := true
	l.writes.beforeCommit = func(size int) {
		groups = append(groups, size)
		if first {
			first = false
			for l.writes.queued() < len(keys)-1 {
				runtime.Gosched()
			}
		}
	}
	defer func() { l.writes.beforeCommit = nil }()
	errs = make([]error, len(keys))
	var wg sync.WaitGroup
	for i, key := range keys {
		wg.Go(func() { errs[i] = l.SaveCheckpoint(key, map[string]string{"cart_id": "CART-" + key}) })
	}
	wg.Wait()
	return errs, groups
}

func submittingKeys(t *testing.T, l *Ledger, n int) []string {
	t.Helper()
	keys := make([]string, n)
	intents := make([]Intent, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%02d", i)
		intents[i] = intent(keys[i], "fp")
	}
	require.NoError(t, l.BeginSubmits(intents))
	return keys
}

// TestCheckpointsShareTransactions: checkpoints saved while another commit
// is on its way go to disk together, in one more transaction.
func TestCheckpointsShareTransactions(t *testing.T) {
	const n = 20
	l, _ := openTest(t)
	keys := submittingKeys(t, l, n)
	before := commits(t, l)
	errs, groups := saveAllAtOnce(t, l, keys)
	for i, key := range keys {
		require.NoError(t, errs[i], key)
		o, err := l.Get(key)
		require.NoError(t, err)
		assert.Equal(t, "CART-"+key, o.Checkpoint["cart_id"])
	}
	assert.Equal(t, []int{1, n - 1}, groups, "changes per shared transaction")
	assert.Equal(t, uint64(2), commits(t, l)-before, "commits for %d checkpoints", n)
}

// TestCheckpointGroupWithAFailure: a change that fails in a shared
// transaction fails alone; the others are still saved.
func TestCheckpointGroupWithAFailure(t *testing.T) {
	l, _ := openTest(t)
	keys := append(submittingKeys(t, l, 10), "unknown")
	errs, _ := saveAllAtOnce(t, l, keys)
	for i, key := range keys {
		if key == "unknown" {
			assert.True(t, errors.Is(errs[i], ErrNotFound) || errors.Is(errs[i], ErrState), "unknown key: got %v", errs[i])
			continue
		}
		require.NoError(t, errs[i], key)
		o, err := l.Get(key)
		require.NoError(t, err)
		assert.Equal(t, "CART-"+key, o.Checkpoint["cart_id"])
	}
}

// TestGroupedWritesKeepTheirOwnRules: a BeginSubmits refused (a key twice)
// inside a shared transaction writes nothing of its group, while the
// checkpoint and the outcome committed with it are saved.
func TestGroupedWritesKeepTheirOwnRules(t *testing.T) {
	l, _ := openTest(t)
	keys := submittingKeys(t, l, 2)
	first := true
	l.writes.beforeCommit = func(int) {
		if first {
			first = false
			for l.writes.queued() < 2 {
				runtime.Gosched()
			}
		}
	}
	var wg sync.WaitGroup
	var cpErr, beginErr, outErr error
	wg.Go(func() { cpErr = l.SaveCheckpoint(keys[0], map[string]string{"cart_id": "CART-1"}) })
	wg.Go(func() { beginErr = l.BeginSubmits([]Intent{intent("new-1", "fp"), intent("new-1", "fp")}) })
	wg.Go(func() {
		outErr = l.RecordOutcomes([]Outcome{{Key: keys[1], State: Submitted, Reference: "REF-1", Attempts: 1}})
	})
	wg.Wait()

	require.NoError(t, cpErr)
	require.NoError(t, outErr)
	assert.ErrorIs(t, beginErr, ErrState)
	assert.Equal(t, State(""), stateOfKey(t, l, "new-1"), "nothing of the refused group written")
	o, err := l.Get(keys[0])
	require.NoError(t, err)
	assert.Equal(t, "CART-1", o.Checkpoint["cart_id"])
	assert.Equal(t, Submitted, stateOfKey(t, l, keys[1]))
}
