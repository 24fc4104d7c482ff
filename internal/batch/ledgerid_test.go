package batch

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

// A report names the ledger and the batch its orders were recorded in, so
// that a lost ledger can be told and rebuilt from the reports.
func TestReportSummaryNamesLedgerAndBatch(t *testing.T) {
	e := newEnv(t)
	in := writeCSV(t, e.dir, "orders.csv", l2Row("A-1", "Cave de Pessac"))
	s, err := Process(context.Background(), in, e.opts())
	require.NoError(t, err)
	got, err := sheet.ReadReportSummary(s.Report, nil)
	require.NoError(t, err)
	assert.Equal(t, e.l.ID(), got.LedgerID)
	assert.Equal(t, s.BatchID, got.BatchID)
	assert.Equal(t, "orders.csv", got.Source)
	assert.Equal(t, s.SHA256, got.SHA256)
}
