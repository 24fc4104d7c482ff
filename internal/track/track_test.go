package track

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// fakeTracker answers from a table keyed by carrier reference.
type fakeTracker struct {
	mu      sync.Mutex
	answers map[string]carrier.Status
	errs    map[string]error
	asked   []string
	onAsk   func(n int) // called after each look-up with the count so far
}

func (f *fakeTracker) Track(_ context.Context, o carrier.TrackedOrder) (carrier.Status, error) {
	f.mu.Lock()
	f.asked = append(f.asked, o.Reference)
	n := len(f.asked)
	st, err := f.answers[o.Reference], f.errs[o.Reference]
	f.mu.Unlock()
	if f.onAsk != nil {
		f.onAsk(n)
	}
	if err != nil {
		return carrier.Status{}, err
	}
	if st.Stage == "" {
		return carrier.Status{}, carrier.ErrNoStatus
	}
	return st, nil
}

func (f *fakeTracker) set(ref string, st carrier.Status) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers[ref] = st
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newLedger(t *testing.T) (*ledger.Ledger, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	l, err := ledger.Open(filepath.Join(t.TempDir(), "ledger.db"), ledger.Options{Now: c.Now, NoSync: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	return l, c
}

// submit stores submitted orders "<carrier>/<n>" with reference "R<n>".
func submit(t *testing.T, l *ledger.Ledger, carrierName string, refs ...string) {
	t.Helper()
	var ins []ledger.Intent
	var outs []ledger.Outcome
	for _, r := range refs {
		k := carrierName + "/" + r
		ins = append(ins, ledger.Intent{Key: k, Kind: "ca-port", Carrier: carrierName, Ref: r, Fingerprint: "fp", BatchID: "b1",
			File: "ports.csv", Rows: []int{2}})
		outs = append(outs, ledger.Outcome{Key: k, State: ledger.Submitted, Reference: r})
	}
	require.NoError(t, l.BeginSubmits(ins))
	require.NoError(t, l.RecordOutcomes(outs))
}

func history(t *testing.T, l *ledger.Ledger, key string) []ledger.Stage {
	t.Helper()
	o, err := l.Get(key)
	require.NoError(t, err)
	if o.Track == nil {
		return nil
	}
	var out []ledger.Stage
	for _, e := range o.Track.History {
		out = append(out, e.Stage)
	}
	return out
}

func TestPassRecordsChangesOnce(t *testing.T) {
	l, _ := newLedger(t)
	submit(t, l, "thinktel", "R1", "R2", "R3")
	f := &fakeTracker{answers: map[string]carrier.Status{
		"R1": {Stage: ledger.StagePending, Word: "SUBMITTED"},
		"R2": {Stage: ledger.StageScheduled, Word: "CONFIRMED", Date: "2026-12-01"},
	}, errs: map[string]error{}}
	opts := Options{Trackers: map[string]Tracker{"thinktel": f}, PageSize: 2}

	s1, err := Pass(context.Background(), Held(l), opts)
	require.NoError(t, err)
	assert.Equal(t, 3, s1.Asked)
	assert.Equal(t, 2, s1.Changed)
	assert.Equal(t, 1, s1.Unknown, "R3 is not known yet")

	s2, err := Pass(context.Background(), Held(l), opts)
	require.NoError(t, err)
	assert.Equal(t, 0, s2.Changed, "unchanged answers add nothing")

	f.set("R1", carrier.Status{Stage: ledger.StageConfirmed, Word: "CONFIRMED"})
	f.set("R2", carrier.Status{Stage: ledger.StageCompleted, Word: "COMPLETED", Date: "2026-12-01"})
	s3, err := Pass(context.Background(), Held(l), opts)
	require.NoError(t, err)
	assert.Equal(t, 2, s3.Changed)
	assert.Equal(t, []ledger.Stage{ledger.StagePending, ledger.StageConfirmed}, history(t, l, "thinktel/R1"))
	assert.Equal(t, []ledger.Stage{ledger.StageScheduled, ledger.StageCompleted}, history(t, l, "thinktel/R2"))

	f.mu.Lock()
	f.asked = nil
	f.mu.Unlock()
	_, err = Pass(context.Background(), Held(l), opts)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"R1", "R3"}, f.asked, "a completed order is no longer asked about")
}

func TestPassAgeLimitAndSwitchOff(t *testing.T) {
	l, clk := newLedger(t)
	submit(t, l, "thinktel", "OLD")
	clk.Add(100 * 24 * time.Hour)
	submit(t, l, "thinktel", "NEW")
	submit(t, l, "netwo", "N1", "N2")
	submit(t, l, "prizz", "P1")
	clk.Add(30 * 24 * time.Hour) // OLD is 130 days old, NEW 30

	tt := &fakeTracker{answers: map[string]carrier.Status{"OLD": {Stage: ledger.StagePending}, "NEW": {Stage: ledger.StagePending}}, errs: map[string]error{}}
	nw := &fakeTracker{errs: map[string]error{"N1": fmt.Errorf("netwo: %w", carrier.ErrTrackingOff), "N2": fmt.Errorf("netwo: %w", carrier.ErrTrackingOff)}}
	s, err := Pass(context.Background(), Held(l), Options{Trackers: map[string]Tracker{"thinktel": tt, "netwo": nw}, Now: clk.Now, Concurrency: map[string]int{"netwo": 1}})
	require.NoError(t, err)
	assert.Equal(t, 1, s.Stopped)
	assert.Equal(t, []string{"NEW"}, tt.asked, "an order older than 120 days is not asked about")
	assert.Len(t, nw.asked, 1, "once a carrier says tracking is off, its other orders are not asked")
	assert.Equal(t, []string{"netwo"}, s.Off)
	assert.Equal(t, 3, s.Skipped, "two netwo orders (off) and one prizz order (no tracker)")

	old, err := l.Get("thinktel/OLD")
	require.NoError(t, err)
	assert.Contains(t, old.Track.Stopped, "more than 120 days")
	assert.True(t, old.Open(), "still listed as open")
	tracked, _, err := l.Tracked("", 0)
	require.NoError(t, err)
	for _, o := range tracked {
		assert.NotEqual(t, "thinktel/OLD", o.Key)
	}
}

// A pass stopped midway keeps what it learnt on committed pages; the next
// pass asks the rest again; no history entry is lost or doubled.
func TestPassStoppedMidway(t *testing.T) {
	l, _ := newLedger(t)
	var refs []string
	answers := map[string]carrier.Status{}
	for i := range 10 {
		r := fmt.Sprintf("R%02d", i)
		refs = append(refs, r)
		answers[r] = carrier.Status{Stage: ledger.StageConfirmed, Word: "CONFIRMED"}
	}
	submit(t, l, "thinktel", refs...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &fakeTracker{answers: answers, errs: map[string]error{}, onAsk: func(n int) {
		if n == 5 { // in the middle of the second page
			cancel()
		}
	}}
	opts := Options{Trackers: map[string]Tracker{"thinktel": f}, PageSize: 4, Concurrency: map[string]int{"thinktel": 1}}
	s1, err := Pass(ctx, Held(l), opts)
	require.NoError(t, err)
	assert.True(t, s1.Interrupted)
	assert.Equal(t, 5, s1.Changed, "the first page and the answer received before the stop are recorded")

	s2, err := Pass(context.Background(), Held(l), opts)
	require.NoError(t, err)
	assert.False(t, s2.Interrupted)
	assert.Equal(t, 5, s2.Changed, "the rest is recorded by the next pass")
	for _, r := range refs {
		assert.Equal(t, []ledger.Stage{ledger.StageConfirmed}, history(t, l, "thinktel/"+r), r)
	}
}

// A carrier that does not answer records nothing: the order keeps its
// last known stage and is asked again next pass.
func TestPassCarrierDown(t *testing.T) {
	l, _ := newLedger(t)
	submit(t, l, "prizz", "P1", "P2")
	f := &fakeTracker{answers: map[string]carrier.Status{"P1": {Stage: ledger.StageScheduled, Word: "staging", Date: "2026-12-04"}},
		errs: map[string]error{"P2": &carrier.Error{Class: carrier.Retryable, Status: 503, Message: "HTTP 503 (gave up after 5 attempts)"}}}
	s, err := Pass(context.Background(), Held(l), Options{Trackers: map[string]Tracker{"prizz": f}})
	require.NoError(t, err)
	assert.Equal(t, 1, s.Failed)
	assert.Equal(t, 1, s.Changed)
	assert.Contains(t, s.Line(), "1 failed (asked again next pass)")
	assert.Nil(t, history(t, l, "prizz/P2"))
	tracked, _, err := l.Tracked("", 0)
	require.NoError(t, err)
	assert.Len(t, tracked, 2, "both are still followed")
}
