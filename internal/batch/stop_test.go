package batch_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
)

// stopCarrier is a batch.Submitter that hands each submission to a function.
type stopCarrier func(ctx context.Context, s carrier.Submission) carrier.Result

func (f stopCarrier) Submit(ctx context.Context, _ *order.Order, s carrier.Submission) carrier.Result {
	return f(ctx, s)
}

// TestStopOfThePassIsTheCarriersRetryStop: a pass stopped while an order is
// being sent closes the submission's Stop (no further retry), while the
// request's own context stays alive so that a request already sent
// finishes.
func TestStopOfThePassIsTheCarriersRetryStop(t *testing.T) {
	dir := t.TempDir()
	l, err := ledger.Open(filepath.Join(dir, "ledger.db"), ledger.Options{NoSync: true})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	in := writeWorkbook(t, dir, "orders.xlsx", map[order.Kind][]row{order.L2: {l2SimRow("L2-1")}})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stopClosed, ctxAlive, stopGiven bool
	sub := stopCarrier(func(rctx context.Context, s carrier.Submission) carrier.Result {
		stopGiven = s.Stop != nil
		cancel() // the pass is stopped while the order is being sent
		select {
		case <-s.Stop:
			stopClosed = true
		case <-time.After(2 * time.Second):
		}
		ctxAlive = rctx.Err() == nil
		return carrier.Result{Class: carrier.Retryable, Message: "busy (gave up after 1 attempts: orderdrop is stopping)", Attempts: 1}
	})
	_, _ = batch.Process(ctx, in, batch.Options{
		Ledger:      l,
		Carriers:    map[order.Kind]batch.Submitter{order.L2: sub},
		Concurrency: map[order.Kind]int{order.L2: 1},
		ReportDir:   filepath.Join(dir, "reports"),
		Order:       order.Options{Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)},
	})
	require.True(t, stopGiven, "got no Stop in the submission, want the pass's")
	assert.True(t, stopClosed, "got Stop still open after the pass was stopped, want it closed")
	assert.True(t, ctxAlive, "got the request's context cancelled by the stop, want it alive until the request ends")
}
