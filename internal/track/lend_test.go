package track

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// countLender counts its borrows and lends nothing.
type countLender struct{ n int }

func (c *countLender) Borrow(context.Context, func(*ledger.Ledger) error) error { c.n++; return nil }

func TestOpenOnceOpensFirstThenReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orderdrop.db")
	var opened, noted int
	re := &countLender{}
	lend := &OpenOnce{
		Open:   func() (*ledger.Ledger, error) { opened++; return ledger.Open(path, ledger.Options{}) },
		Opened: func(*ledger.Ledger) { noted++ },
		Reopen: re,
	}
	for range 3 {
		require.NoError(t, lend.Borrow(context.Background(), func(*ledger.Ledger) error { return nil }))
	}
	assert.Equal(t, [3]int{1, 1, 2}, [3]int{opened, noted, re.n}, "got opened, noted, reopened; want the first borrow to open, the others to reopen")
}

func TestLockedWaitsForTheLockUntilCtxEnds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orderdrop.db")
	var mu sync.Mutex
	var noted int
	lend := &Locked{
		Lock:   &mu,
		Open:   func() (*ledger.Ledger, error) { return ledger.Open(path, ledger.Options{}) },
		Close:  func(l *ledger.Ledger) error { return l.Close() },
		Opened: func(*ledger.Ledger) { noted++ },
	}
	for range 2 {
		require.NoError(t, lend.Borrow(context.Background(), func(*ledger.Ledger) error { return nil }))
	}
	assert.Equal(t, 1, noted, "got Opened called %d times, want once", noted)

	mu.Lock() // a pass over the inbox runs
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := lend.Borrow(ctx, func(*ledger.Ledger) error { t.Fatal("borrowed while the lock was held"); return nil })
	assert.True(t, errors.Is(err, context.Canceled), "got %v, want context.Canceled", err)
	mu.Unlock()
}
