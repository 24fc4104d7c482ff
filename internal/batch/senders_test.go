package batch_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
)

// submitFunc is a batch.Submitter made of a function.
type submitFunc func(ctx context.Context, o *order.Order) carrier.Result

func (f submitFunc) Submit(ctx context.Context, o *order.Order, _ carrier.Submission) carrier.Result {
	return f(ctx, o)
}

// A ledger failure in one kind's sender stops the senders of the other
// kinds: orders already marked submitting but not yet sent are not sent.
func TestLedgerFailureInOneKindStopsTheOthers(t *testing.T) {
	dir := t.TempDir()
	l, err := ledger.Open(filepath.Join(dir, "ledger.db"), ledger.Options{NoSync: true})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })

	var ca []row
	for i := range 8 {
		ca = append(ca, caSimRow(fmt.Sprintf("CA-%d", i)))
	}
	in := writeWorkbook(t, dir, "orders.xlsx", map[order.Kind][]row{order.L2: {l2SimRow("L2-1")}, order.CaPort: ca})

	var (
		caCalls    atomic.Int32
		afterFail  atomic.Int32
		caWaiting  = make(chan struct{}) // the second ca-port order is being sent
		ledgerGone = make(chan struct{}) // the ledger is closed: l2's outcome cannot be recorded
		once       sync.Once
	)
	l2 := submitFunc(func(ctx context.Context, o *order.Order) carrier.Result {
		select {
		case <-caWaiting:
		case <-time.After(5 * time.Second):
		}
		require.NoError(t, l.Close())
		close(ledgerGone)
		return carrier.Result{Class: carrier.Accepted, Reference: "CMD-L2-1", Attempts: 1}
	})
	caSub := submitFunc(func(ctx context.Context, o *order.Order) carrier.Result {
		switch n := caCalls.Add(1); {
		case n == 2:
			once.Do(func() { close(caWaiting) })
			<-ledgerGone
			time.Sleep(200 * time.Millisecond) // l2's sender sees the failure meanwhile
		case n > 2:
			afterFail.Add(1)
		}
		return carrier.Result{Class: carrier.Accepted, Reference: "CA-REF", Attempts: 1}
	})
	_, err = batch.Process(context.Background(), in, batch.Options{
		Ledger:      l,
		Carriers:    map[order.Kind]batch.Submitter{order.L2: l2, order.CaPort: caSub},
		Concurrency: map[order.Kind]int{order.L2: 1, order.CaPort: 1},
		ReportDir:   filepath.Join(dir, "reports"),
		Order:       order.Options{Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)},
	})
	require.Error(t, err, "got no error from a pass whose ledger failed")
	assert.Zero(t, afterFail.Load(), "got ca-port orders sent after the l2 sender's ledger failure, want none")
}
