package ledger

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func restored(key, fp, ref string, st State, at time.Time) Restored {
	return Restored{Key: key, Kind: "l2", Carrier: "prizz", Ref: key, Fingerprint: fp, Fields: map[string]string{"a": fp},
		State: st, Reference: ref, SubmittedAt: at, File: "orders.csv", Rows: []int{2}}
}

func TestRestoreBatch(t *testing.T) {
	l, _ := openTest(t)
	at := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	b := &Batch{ID: "20261120T093000-0001", File: "orders.csv", SHA256: "abc", Report: "reports/orders.result.csv", Started: at, Finished: at, Done: true}
	n, err := l.RestoreBatch(b, []Restored{
		restored("l2/ref:A", "fp-a", "CMD-1", Submitted, at),
		restored("l2/ref:B", "fp-b", "", InDoubt, time.Time{}),
	}, "orders.result.csv")
	require.NoError(t, err)
	assert.Equal(t, 2, n)

	a, err := l.Get("l2/ref:A")
	require.NoError(t, err)
	assert.Equal(t, Submitted, a.State)
	assert.Equal(t, "fp-a", a.Fingerprint)
	assert.Equal(t, "CMD-1", a.Reference)
	assert.Equal(t, at, a.SubmittedAt)
	assert.Equal(t, b.ID, a.BatchID)
	require.Len(t, a.History, 1)
	assert.Equal(t, byRebuild, a.History[0].By)
	assert.Contains(t, a.History[0].Message, "orders.result.csv")

	d, err := l.Get("l2/ref:B")
	require.NoError(t, err)
	assert.Equal(t, InDoubt, d.State)
	n, err = l.CountInDoubt()
	require.NoError(t, err)
	assert.Equal(t, 1, n, "indexes kept")

	got, err := l.Batch(b.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"l2/ref:A", "l2/ref:B"}, got.Keys)
	assert.True(t, got.Done)
	ids, err := l.FileBatches("abc")
	require.NoError(t, err)
	assert.Equal(t, []string{b.ID}, ids)

	// A later report showing the same orders (already_submitted, or the
	// doubt since resolved) keeps the first submission and settles the doubt.
	later := &Batch{ID: "20261121T093000-0001", File: "orders.csv", SHA256: "abc"}
	n, err = l.RestoreBatch(later, []Restored{
		restored("l2/ref:A", "fp-a", "CMD-1", Submitted, at),
		restored("l2/ref:B", "fp-b", "CMD-2", Submitted, at.Add(time.Hour)),
	}, "orders.result.2.csv")
	require.NoError(t, err)
	assert.Equal(t, 1, n, "only the doubt settled is new")
	a, err = l.Get("l2/ref:A")
	require.NoError(t, err)
	assert.Equal(t, b.ID, a.BatchID, "the first submission's batch")
	d, err = l.Get("l2/ref:B")
	require.NoError(t, err)
	assert.Equal(t, Submitted, d.State)
	assert.Equal(t, "CMD-2", d.Reference)

	_, err = l.RestoreBatch(later, []Restored{{Key: "x", Fingerprint: "f", State: Rejected}}, "r")
	assert.ErrorIs(t, err, ErrInvalid, "only submitted and in_doubt orders are restored")
}

func TestMarkRebuilt(t *testing.T) {
	l, c := openTest(t)
	require.NoError(t, l.MarkRebuilt("fedcba9876543210", "12 orders from 5 reports"))
	assert.Equal(t, "fedcba9876543210", l.ID(), "the rebuilt ledger takes the id its reports name")
	o, err := l.Origin()
	require.NoError(t, err)
	assert.Equal(t, Origin{How: OriginRebuilt, At: c.Now(), Note: "12 orders from 5 reports"}, o)
}

// AddBatch writes only the orders the ledger lacks: one it holds, even in
// doubt, is kept as it is.
func TestAddBatchKeepsTheLedgersOrders(t *testing.T) {
	l, _ := openTest(t)
	at := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	old := &Batch{ID: "20261120T093000-0001", File: "a.csv", SHA256: "a", Started: at, Finished: at, Done: true}
	_, err := l.RestoreBatch(old, []Restored{
		restored("l2/ref:A", "fp-a", "CMD-1", Submitted, at),
		restored("l2/ref:D", "fp-d", "", InDoubt, time.Time{}),
	}, "a.result.csv")
	require.NoError(t, err)

	later := at.Add(time.Hour)
	b := &Batch{ID: "20261120T103000-0002", File: "b.csv", SHA256: "b", Started: later, Finished: later, Done: true}
	sub, doubt, err := l.AddBatch(b, []Restored{
		restored("l2/ref:A", "fp-other", "CMD-9", Submitted, later),
		restored("l2/ref:D", "fp-d", "CMD-4", Submitted, later),
		restored("l2/ref:N", "fp-n", "CMD-5", Submitted, later),
	}, "b.result.csv")
	require.NoError(t, err)
	if sub != 1 || doubt != 0 {
		t.Errorf("AddBatch wrote %d submitted, %d in_doubt, want 1, 0", sub, doubt)
	}
	for _, c := range []struct {
		key, wantRef, wantFP string
		wantState            State
		wantBatch            string
	}{
		{"l2/ref:A", "CMD-1", "fp-a", Submitted, old.ID},
		{"l2/ref:D", "", "fp-d", InDoubt, old.ID},
		{"l2/ref:N", "CMD-5", "fp-n", Submitted, b.ID},
	} {
		o, err := l.Get(c.key)
		require.NoError(t, err, c.key)
		if o.Reference != c.wantRef || o.Fingerprint != c.wantFP || o.State != c.wantState || o.BatchID != c.wantBatch {
			t.Errorf("%s: got %s %s %s %s, want %s %s %s %s", c.key, o.State, o.Reference, o.Fingerprint, o.BatchID,
				c.wantState, c.wantRef, c.wantFP, c.wantBatch)
		}
	}
	got, err := l.Batch(b.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"l2/ref:A", "l2/ref:D", "l2/ref:N"}, got.Keys)
}
