package batch

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// A row the carrier rejected at submission is sent again, changed, under
// the same order_ref; the content of any attempt the carrier already
// turned down is never sent again.
func TestResendAfterRejectionAtSubmission(t *testing.T) {
	e := newEnv(t)
	e.fake.classes["R-1"] = carrier.Rejected
	v1 := writeCSV(t, e.dir, "v1.csv", l2Row("R-1", "Cave de Pessac"))
	s1, err := Process(context.Background(), v1, e.opts())
	require.NoError(t, err)
	require.Equal(t, map[string]int{Rejected: 1}, s1.Counts)

	v2 := writeCSV(t, e.dir, "v2.csv", l2Row("R-1", "Cave de Pessac SARL"))
	s2, err := Process(context.Background(), v2, e.opts())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Rejected: 1}, s2.Counts, "attempt 2 rejected too")
	assert.Equal(t, 2, e.fake.total(), "got %d sends, want attempt 2 sent", e.fake.total())

	// Attempt 1's content again: the carrier already refused it.
	s3, err := Process(context.Background(), writeCSV(t, e.dir, "v1 again.csv", l2Row("R-1", "Cave de Pessac")), e.opts())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Rejected: 1}, s3.Counts)
	assert.Contains(t, reportRows(t, s3.Report)["R-1"][2], "unchanged since the carrier rejected it on")
	assert.Equal(t, 2, e.fake.total(), "got %d sends, want nothing sent for a content already refused", e.fake.total())

	delete(e.fake.classes, "R-1")
	s4, err := Process(context.Background(), writeCSV(t, e.dir, "v3.csv", l2Row("R-1", "Cave de Pessac SAS")), e.opts())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Submitted: 1}, s4.Counts)
	assert.Contains(t, reportRows(t, s4.Report)["R-1"][2], "sent again after the carrier rejected attempt 2 on")
	o, err := e.l.Get(s4Key(t, e))
	require.NoError(t, err)
	assert.Equal(t, 3, o.AttemptNo())
}

func s4Key(t *testing.T, e *env) string {
	t.Helper()
	open, err := e.l.OpenOrders()
	require.NoError(t, err)
	require.Len(t, open, 1)
	return open[0].Key
}
