package batch

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// A submitted order remembers where it came from, and once tracking knows
// its stage a re-drop answers already_submitted with that stage; one the
// carrier rejected since answers rejected, unchanged, with its reason.
func TestRedropShowsTrackedStage(t *testing.T) {
	e := newEnv(t)
	in := writeCSV(t, e.dir, "orders.csv", l2Row("A-1", "Cave de Pessac"), l2Row("A-2", "Clinique du Tondu"))
	s1, err := Process(context.Background(), in, e.opts())
	require.NoError(t, err)
	require.Equal(t, map[string]int{Submitted: 2}, s1.Counts)

	open, err := e.l.OpenOrders()
	require.NoError(t, err)
	require.Len(t, open, 2)
	byRef := map[string]*ledger.Order{}
	for _, o := range open {
		byRef[o.Ref] = o
	}
	assert.Equal(t, "orders.csv", byRef["A-1"].File)
	assert.Equal(t, []int{2}, byRef["A-1"].Rows)
	assert.Equal(t, []int{3}, byRef["A-2"].Rows)

	_, err = e.l.RecordTracking([]ledger.TrackUpdate{
		{Key: byRef["A-1"].Key, Stage: ledger.StageScheduled, Date: "2026-12-01", Status: "staging"},
		{Key: byRef["A-2"].Key, Stage: ledger.StageRejected, Status: "REJECTED", Message: "address unknown"},
	})
	require.NoError(t, err)

	s2, err := Process(context.Background(), in, e.opts())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{AlreadySubmitted: 1, Rejected: 1}, s2.Counts)
	rows := reportRows(t, s2.Report)
	assert.Contains(t, rows["A-1"][2], "carrier stage: scheduled for 2026-12-01 (staging)")
	// Rejected after acceptance: the unchanged row is not sent and says so.
	assert.Contains(t, rows["A-2"][2], "unchanged since the carrier rejected it on")
	assert.Contains(t, rows["A-2"][2], "address unknown")
}
