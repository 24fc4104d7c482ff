package batch

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
)

// windowCarrier checks, at each request, that the order is already
// submitting on disk and how many orders are submitting at once (what a
// crash would leave in_doubt). The order "W-001" answers only once every
// other order has been sent, or gives up after a safety timeout. (W-000,
// the first of the kind, goes alone so that a refusing carrier is asked
// once: the slow order is the second.)
type windowCarrier struct {
	l      *ledger.Ledger
	others int // orders besides W-001

	mu        sync.Mutex
	sent      int
	notOnDisk []string
	maxStuck  int
	allSent   chan struct{}
}

func (c *windowCarrier) Submit(ctx context.Context, o *order.Order, _ carrier.Submission) carrier.Result {
	got, err := c.l.Get(o.Key)
	stuck, serr := c.l.Stuck()
	c.mu.Lock()
	if err != nil || got.State != ledger.Submitting {
		c.notOnDisk = append(c.notOnDisk, o.Ref)
	}
	if serr == nil {
		c.maxStuck = max(c.maxStuck, len(stuck))
	}
	if o.Ref != "W-001" {
		if c.sent++; c.sent == c.others {
			close(c.allSent)
		}
	}
	c.mu.Unlock()
	if o.Ref == "W-001" {
		select {
		case <-c.allSent:
		case <-time.After(30 * time.Second): // safety only: the assertion is on what was sent
			return carrier.Result{Class: carrier.InDoubt, Message: "the slow order held the others back", Attempts: 1}
		}
	}
	return carrier.Result{Class: carrier.Accepted, Reference: "REF-" + o.Ref, Attempts: 1}
}

// TestSlidingWindow: a slow order does not hold back the orders after it
// (the old windows waited for their slowest request), no request starts
// before its order is submitting on disk, and no more orders than the
// window are ever submitting at once.
func TestSlidingWindow(t *testing.T) {
	const conc, rows = 2, 60
	e := newEnv(t)
	var lines [][]string
	for i := range rows {
		lines = append(lines, l2Row(fmt.Sprintf("W-%03d", i), fmt.Sprintf("Client %d", i)))
	}
	in := writeCSV(t, e.dir, "orders.csv", lines...)
	c := &windowCarrier{l: e.l, others: rows - 1, allSent: make(chan struct{})}
	opts := e.opts()
	opts.Carriers = map[order.Kind]Submitter{order.L2: c}
	opts.Concurrency = map[order.Kind]int{order.L2: conc}

	s, err := Process(context.Background(), in, opts)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Submitted: rows}, s.Counts)
	assert.Empty(t, c.notOnDisk, "requests sent before their submitting record was on disk")
	assert.LessOrEqual(t, c.maxStuck, inflightPerConcurrency*conc, "orders submitting at once")
	stuck, err := e.l.Stuck()
	require.NoError(t, err)
	assert.Empty(t, stuck, "every outcome recorded")
}
