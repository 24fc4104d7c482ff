package batch_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
)

// testClock is a settable clock for the ledger and Recover.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// withClock gives the sandbox a ledger on a test clock starting at simNow.
func withClock(t *testing.T, sb *sandbox) *testClock {
	t.Helper()
	c := &testClock{t: simNow}
	l, err := ledger.Open(filepath.Join(t.TempDir(), "ledger.db"), ledger.Options{NoSync: true, Now: c.Now})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	sb.l, sb.opts.Ledger = l, l
	return c
}

// recoverOpts are Recover's options with the sandbox's Thinktel client as
// the only reconciler, as orderdrop run configures it.
func (sb *sandbox) recoverOpts(release bool) batch.RecoverOptions {
	return batch.RecoverOptions{
		Reconcilers:    map[string]batch.Reconciler{"thinktel": sb.opts.Carriers[order.CaPort].(batch.Reconciler)},
		ReleaseUnfound: release,
		Location:       mustParis(),
	}
}

func (sb *sandbox) recover(t *testing.T, opts batch.RecoverOptions) batch.RecoverReport {
	t.Helper()
	r, err := batch.Recover(context.Background(), sb.l, opts)
	require.NoError(t, err)
	return r
}

// lostOrder leaves CA-LOST in doubt with nothing at the carrier: the request
// was read, then the connection dropped. It returns the input file.
func lostOrder(t *testing.T, sb *sandbox) string {
	t.Helper()
	sb.sim.SetFaults(sim.Faults{NextDropAfterRead: 1})
	in := writeKindCSV(t, sb.dir, "ca.csv", order.CaPort, caSimRow("CA-LOST"))
	s := sb.process(t, in)
	require.Equal(t, map[string]int{batch.InDoubt: 1}, s.Counts)
	require.Empty(t, sb.sim.Orders())
	return in
}

var lostKey = orderKey(order.CaPort, "CA-LOST")

// An order no lookup finds stays in doubt until the settle time has passed
// since its request; then it is released only by the explicit switch, else
// it waits for an operator.
func TestRecoverSettleTime(t *testing.T) {
	tests := []struct {
		name        string
		after       time.Duration
		release     bool
		wantState   ledger.State
		wantNote    string
		wantOrders  int // at the carrier after the file is dropped again
		wantRow     string
		wantRowText string
	}{
		{"before settle", time.Hour, false, ledger.InDoubt, "not found yet, which proves nothing so soon after the request", 0,
			batch.InDoubt, "Looked up at thinktel 1 time(s)"},
		{"before settle, switch on", 23 * time.Hour, true, ledger.InDoubt, "orderdrop looks again until 2026-11-24 12:00 CET", 0,
			batch.InDoubt, "port-in status of 4165550120: not found"},
		{"after settle, switch off", 25 * time.Hour, false, ledger.InDoubt,
			`still not found 25h0m0s after the request: if you agree it was never created, release it with: orderdrop resolve "ca-port/ref:CA-LOST" --not-submitted`, 0,
			batch.InDoubt, `orderdrop resolve "ca-port/ref:CA-LOST" --not-submitted`},
		{"after settle, switch on", 25 * time.Hour, true, ledger.NotSubmitted, "", 1, batch.Submitted, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sb := newSandbox(t, sandboxConfig{})
			clock := withClock(t, sb)
			in := lostOrder(t, sb)

			clock.Add(tc.after)
			r := sb.recover(t, sb.recoverOpts(tc.release))
			assert.Equal(t, 1, r.Looked)
			o, err := sb.l.Get(lostKey)
			require.NoError(t, err)
			assert.Equal(t, tc.wantState, o.State)
			if tc.wantState == ledger.InDoubt {
				assert.Equal(t, 1, o.Lookups)
				assert.Equal(t, clock.Now().UTC(), o.LastLookup)
				assert.Contains(t, o.LookupNote, "port-in status of 4165550120: not found; port-in dashboard of 4165550120: not found")
				assert.Contains(t, o.LookupNote, tc.wantNote)
				assert.Equal(t, 1, r.Waiting)
			} else {
				assert.Equal(t, []batch.Settled{{Key: lostKey, Carrier: "thinktel", Released: true}}, r.Settled)
				assert.Contains(t, o.Message, "released by recovery.release_unfound_after_settle")
			}

			// The file dropped again.
			sb.sim.SetFaults(sim.Faults{})
			got := readReport(t, sb.process(t, in).Report)["CA-LOST"]
			assert.Equal(t, tc.wantRow, got.status, got.message)
			assert.Contains(t, got.message, tc.wantRowText)
			assert.Len(t, sb.sim.Orders(), tc.wantOrders)
		})
	}
}

// Thinktel was still creating the port-in when orderdrop gave up on it: the
// first lookup finds nothing, a later one finds it; it is never resent.
func TestRecoverFindsTheOrderLaterAndNeverResends(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{timeout: time.Second})
	clock := withClock(t, sb)
	sb.sim.SetFaults(sim.Faults{NextDelayCreate: 1})
	in := writeKindCSV(t, sb.dir, "ca.csv", order.CaPort, caSimRow("CA-SLOW"))
	key := orderKey(order.CaPort, "CA-SLOW")

	require.Equal(t, map[string]int{batch.InDoubt: 1}, sb.process(t, in).Counts, "the client timed out")
	require.Equal(t, 1, sb.sim.HeldCreates())

	clock.Add(time.Minute)
	r := sb.recover(t, sb.recoverOpts(true))
	assert.Equal(t, batch.RecoverReport{Looked: 1, Waiting: 1}, r)
	got := readReport(t, sb.process(t, in).Report)["CA-SLOW"]
	assert.Equal(t, batch.InDoubt, got.status, got.message)
	assert.Contains(t, got.message, "port-in status of 4165550120: not found")

	require.Equal(t, 1, sb.sim.ReleaseCreates()) // Thinktel finishes creating it
	ticket := sb.sim.Orders()[0].Reference

	clock.Add(10 * time.Minute)
	r = sb.recover(t, sb.recoverOpts(true))
	assert.Equal(t, batch.RecoverReport{Waiting: 1}, r, "looked up 10 minutes ago: not again before lookup_every")

	clock.Add(30 * time.Minute)
	r = sb.recover(t, sb.recoverOpts(true))
	assert.Equal(t, []batch.Settled{{Key: key, Carrier: "thinktel", Reference: ticket}}, r.Settled)
	assert.Equal(t, 1, r.Submitted)
	o, err := sb.l.Get(key)
	require.NoError(t, err)
	assert.Equal(t, ledger.Submitted, o.State)
	assert.Equal(t, ticket, o.Reference)

	got = readReport(t, sb.process(t, in).Report)["CA-SLOW"]
	assert.Equal(t, batch.AlreadySubmitted, got.status, got.message)
	assert.Equal(t, ticket, got.reference)
	assert.Len(t, sb.sim.Orders(), 1, "one port-in for one order")
}

// A port-in that only the dashboard shows (its status lags) may be the order:
// it is never released, even after the settle time with the switch on.
func TestRecoverNeverReleasesWhatTheDashboardShows(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	clock := withClock(t, sb)
	sb.sim.SetFaults(sim.Faults{Next500AfterCreate: 1, ThinktelStatusLag: time.Hour})
	in := writeKindCSV(t, sb.dir, "ca.csv", order.CaPort, caSimRow("CA-DASH"))
	require.Equal(t, map[string]int{batch.InDoubt: 1}, sb.process(t, in).Counts)

	clock.Add(25 * time.Hour)
	r := sb.recover(t, sb.recoverOpts(true))
	assert.Equal(t, batch.RecoverReport{Looked: 1, Waiting: 1}, r)
	o, err := sb.l.Get(orderKey(order.CaPort, "CA-DASH"))
	require.NoError(t, err)
	assert.Equal(t, ledger.InDoubt, o.State)
	assert.Contains(t, o.LookupNote, "port-in dashboard of 4165550120: order 5001 request 1 (no ticket yet)")
	assert.Contains(t, o.LookupNote, "never released automatically")
	assert.Len(t, sb.sim.Orders(), 1)
}

// At most MaxLookups orders are looked up per pass; the next pass starts
// with those not looked up yet.
func TestRecoverBoundsLookupsPerPass(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	clock := withClock(t, sb)
	sb.sim.SetFaults(sim.Faults{RateDropAfterRead: 1})
	in := writeKindCSV(t, sb.dir, "ca.csv", order.CaPort,
		caSimRow("CA-A").with("numbers", "4165550121"), caSimRow("CA-B").with("numbers", "4165550122"), caSimRow("CA-C").with("numbers", "4165550123"))
	require.Equal(t, map[string]int{batch.InDoubt: 3}, sb.process(t, in).Counts)

	opts := sb.recoverOpts(false)
	opts.MaxLookups = 2
	clock.Add(time.Minute)
	assert.Equal(t, batch.RecoverReport{Looked: 2, Waiting: 3}, sb.recover(t, opts))
	clock.Add(time.Minute)
	assert.Equal(t, batch.RecoverReport{Looked: 1, Waiting: 3}, sb.recover(t, opts), "only the one not looked up yet")
	for _, ref := range []string{"CA-A", "CA-B", "CA-C"} {
		o, err := sb.l.Get(orderKey(order.CaPort, ref))
		require.NoError(t, err)
		assert.Equal(t, 1, o.Lookups, ref)
	}
}

// Orders left submitting by a crash become in_doubt; without a lookup at
// their carrier they wait for an operator.
func TestRecoverWithoutReconcilerLeavesInDoubt(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	withClock(t, sb)
	require.NoError(t, sb.l.BeginSubmits([]ledger.Intent{{Key: "l2/ref:CRASH", Kind: "l2", Carrier: "prizz", Fingerprint: "fp", BatchID: "b"}}))
	r := sb.recover(t, sb.recoverOpts(true))
	assert.Equal(t, batch.RecoverReport{Stuck: 1, InDoubt: 1, Waiting: 1}, r)
	o, err := sb.l.Get("l2/ref:CRASH")
	require.NoError(t, err)
	assert.Equal(t, ledger.InDoubt, o.State)
	assert.Zero(t, o.Lookups)
}

// A failed lookup settles nothing and stops that carrier's lookups for the
// pass (it is probably down); the next pass looks again.
func TestRecoverFailedLookupWaitsForTheNextPass(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{maxAttempts: 2})
	clock := withClock(t, sb)
	sb.sim.SetFaults(sim.Faults{RateDropAfterRead: 1})
	in := writeKindCSV(t, sb.dir, "ca.csv", order.CaPort,
		caSimRow("CA-A").with("numbers", "4165550121"), caSimRow("CA-B").with("numbers", "4165550122"))
	require.Equal(t, map[string]int{batch.InDoubt: 2}, sb.process(t, in).Counts)

	sb.sim.SetFaults(sim.Faults{Rate503: 1})
	clock.Add(25 * time.Hour)
	assert.Equal(t, batch.RecoverReport{Looked: 1, Waiting: 2}, sb.recover(t, sb.recoverOpts(true)), "a failure is never a release")
	a, err := sb.l.Get(orderKey(order.CaPort, "CA-A"))
	require.NoError(t, err)
	assert.Equal(t, ledger.InDoubt, a.State)
	assert.Contains(t, a.LookupNote, "the lookup at thinktel failed")

	sb.sim.SetFaults(sim.Faults{})
	clock.Add(time.Hour)
	r := sb.recover(t, sb.recoverOpts(false))
	assert.Equal(t, 2, r.Looked)
	for _, ref := range []string{"CA-A", "CA-B"} {
		o, err := sb.l.Get(orderKey(order.CaPort, ref))
		require.NoError(t, err)
		assert.Equal(t, ledger.InDoubt, o.State, ref)
		assert.Contains(t, o.LookupNote, "still not found", ref)
	}
}
