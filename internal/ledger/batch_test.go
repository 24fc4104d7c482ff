package ledger

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewBatchIDSortableUnique(t *testing.T) {
	l, _ := openTest(t)
	t0 := time.Date(2026, 11, 23, 15, 5, 2, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		at   time.Time
		want string
	}{
		{t0, "20261123T140502-0001"},
		{t0, "20261123T140502-0002"},
		{t0.Add(time.Second), "20261123T140503-0001"},
		{t0, "20261123T140502-0003"}, // handed out, not stored: still unique
	}
	for _, tt := range tests {
		got := l.NewBatchID(tt.at)
		assert.Equal(t, tt.want, got)
	}
	// The stored IDs keep it unique too, e.g. after a restart.
	require.NoError(t, l.PutBatch(&Batch{ID: "20261123T140504-0007"}))
	assert.Equal(t, "20261123T140504-0008", l.NewBatchID(t0.Add(2*time.Second)))
}

func TestBatchesNewestFirst(t *testing.T) {
	l, _ := openTest(t)
	t0 := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 5 {
		id := l.NewBatchID(t0.Add(time.Duration(i%3) * time.Hour))
		ids = append(ids, id)
		require.NoError(t, l.PutBatch(&Batch{ID: id, File: "f.xlsx", Started: t0}))
	}
	tests := []struct {
		limit int
		want  []string
	}{
		{0, []string{ids[2], ids[4], ids[1], ids[3], ids[0]}},
		{2, []string{ids[2], ids[4]}},
		{10, []string{ids[2], ids[4], ids[1], ids[3], ids[0]}},
	}
	for _, tt := range tests {
		got, err := l.Batches(tt.limit)
		require.NoError(t, err)
		var gotIDs []string
		for _, b := range got {
			gotIDs = append(gotIDs, b.ID)
		}
		assert.Equal(t, tt.want, gotIDs, "limit %d", tt.limit)
	}
}

func TestPutBatchRoundTripAndFiles(t *testing.T) {
	l, _ := openTest(t)
	t0 := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	b := &Batch{ID: l.NewBatchID(t0), File: "orders.xlsx", SHA256: "abc", Report: "reports/orders.result.xlsx",
		Started: t0, Counts: map[string]int{"submitted": 3, "invalid": 1}, Keys: []string{"k1", "k2"}}
	require.NoError(t, l.PutBatch(b))
	b.Finished = t0.Add(time.Minute)
	b.Interrupted = true
	require.NoError(t, l.PutBatch(b)) // an update does not index the file twice

	got, err := l.Batch(b.ID)
	require.NoError(t, err)
	assert.Equal(t, b, got)

	second := &Batch{ID: l.NewBatchID(t0.Add(time.Hour)), File: "orders (2).xlsx", SHA256: "abc"}
	require.NoError(t, l.PutBatch(second))
	ids, err := l.FileBatches("abc")
	require.NoError(t, err)
	assert.Equal(t, []string{b.ID, second.ID}, ids)

	ids, err = l.FileBatches("never-seen")
	require.NoError(t, err)
	assert.Empty(t, ids)

	_, err = l.Batch("20990101T000000-0001")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.ErrorIs(t, l.PutBatch(&Batch{}), ErrInvalid)
}
