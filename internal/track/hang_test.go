package track

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// hangingCarrier is a carrier on 127.0.0.1 that never answers: each
// request blocks until the test ends. arrived receives a value per request.
type hangingCarrier struct {
	requests atomic.Int32
	arrived  chan struct{}
	http     *carrier.HTTP
}

func newHangingCarrier(t *testing.T, timeout time.Duration) *hangingCarrier {
	t.Helper()
	h := &hangingCarrier{arrived: make(chan struct{}, 1000)}
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.requests.Add(1)
		h.arrived <- struct{}{}
		select {
		case <-done:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close) // after close(done): cleanups run last-in first-out
	t.Cleanup(func() { close(done) })
	c, err := carrier.NewHTTP(carrier.HTTPOptions{BaseURL: srv.URL, Timeout: timeout, BaseBackoff: time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	h.http = c
	return h
}

// Track is a status lookup, as the carrier clients send them.
func (h *hangingCarrier) Track(ctx context.Context, o carrier.TrackedOrder) (carrier.Status, error) {
	_, err := h.http.Do(ctx, carrier.Request{Op: "status of " + o.Reference, Method: http.MethodGet, Path: "/status/" + o.Reference, Idempotent: true})
	if err != nil {
		return carrier.Status{}, fmt.Errorf("hanging: %w", err)
	}
	return carrier.Status{Stage: ledger.StagePending, Word: "PENDING"}, nil
}

func refs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("R%02d", i+1)
	}
	return out
}

// 20 orders at a carrier that never answers: three failed look-ups in a
// row and the rest are not asked, instead of 20 timeouts (and, before,
// five attempts each).
func TestPassGivesUpOnAHangingCarrier(t *testing.T) {
	l, _ := newLedger(t)
	submit(t, l, "thinktel", refs(20)...)
	h := newHangingCarrier(t, 200*time.Millisecond)
	start := time.Now()
	sum, err := Pass(context.Background(), Held(l), Options{Trackers: map[string]Tracker{"thinktel": h},
		Concurrency: map[string]int{"thinktel": 2}, PageSize: 5})
	require.NoError(t, err)
	took := time.Since(start)

	assert.LessOrEqual(t, h.requests.Load(), int32(4), "requests sent to the hanging carrier")
	assert.Less(t, took, 2*time.Second)
	assert.Equal(t, 20, sum.Failed+sum.NotAsked)
	assert.GreaterOrEqual(t, sum.NotAsked, 16)
	assert.Contains(t, sum.Broken["thinktel"], "too slow")
	assert.Contains(t, sum.Line(), "not asked: thinktel unreachable or too slow")
	assert.False(t, sum.Interrupted)
}

// tracking.max_duration bounds the pass even when every look-up would
// wait for the carrier's own (long) timeout.
func TestPassEndsAtMaxDuration(t *testing.T) {
	l, _ := newLedger(t)
	submit(t, l, "thinktel", refs(20)...)
	h := newHangingCarrier(t, 30*time.Second)
	start := time.Now()
	sum, err := Pass(context.Background(), Held(l), Options{Trackers: map[string]Tracker{"thinktel": h},
		Concurrency: map[string]int{"thinktel": 4}, MaxDuration: 300 * time.Millisecond})
	require.NoError(t, err)
	took := time.Since(start)

	assert.GreaterOrEqual(t, took, 300*time.Millisecond)
	assert.Less(t, took, 2*time.Second)
	assert.LessOrEqual(t, h.requests.Load(), int32(4))
	assert.True(t, sum.OutOfTime)
	assert.True(t, sum.Interrupted)
	assert.Equal(t, 0, sum.Failed, "abandoned look-ups are not failures")
	assert.Contains(t, sum.Line(), "stopped after tracking.max_duration 300ms")
}

// While the carrier keeps a tracking pass waiting, the ledger is free: a
// submission pass (another process) can open it.
func TestPassLendsTheLedgerBackWhileAskingTheCarriers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := ledger.Open(path, ledger.Options{NoSync: true})
	require.NoError(t, err)
	submit(t, l, "thinktel", refs(3)...)
	require.NoError(t, l.Close())

	h := newHangingCarrier(t, 2*time.Second)
	ended := make(chan error, 1)
	go func() {
		_, err := Pass(context.Background(), Reopen(path, ledger.Options{NoSync: true}), Options{Trackers: map[string]Tracker{"thinktel": h},
			Concurrency: map[string]int{"thinktel": 1}, BreakAfter: 1})
		ended <- err
	}()
	select {
	case <-h.arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("the carrier was never asked")
	}
	run, err := ledger.Open(path, ledger.Options{Timeout: 200 * time.Millisecond, NoSync: true})
	require.NoError(t, err, "a run could not open the ledger while tracking waited for the carrier")
	require.NoError(t, run.Close())
	select {
	case err := <-ended:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the tracking pass did not end")
	}
}
