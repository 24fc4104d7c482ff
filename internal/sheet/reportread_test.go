package sheet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ledgerReport is sampleReport as a pass writes it: with its ledger and batch.
func ledgerReport(format Format) *Report {
	r := sampleReport(format)
	r.LedgerID, r.BatchID = "0123456789abcdef", "20261123T130500-0001"
	return r
}

func TestReportSummaryNamesTheLedger(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	for _, tc := range []struct {
		format Format
		name   string
	}{{XLSX, "orders.result.xlsx"}, {CSV, "orders.result.csv"}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tc.name)
			r := ledgerReport(tc.format)
			r.Location = paris
			require.NoError(t, WriteReport(path, r))

			got, err := ReadReportSummary(path, paris)
			require.NoError(t, err)
			want := &ReportSummary{Source: "orders.xlsx", SHA256: strings.Repeat("ab", 32), LedgerID: "0123456789abcdef",
				BatchID: "20261123T130500-0001", Counts: map[string]int{StatusSubmitted: 1, StatusInvalid: 1, StatusInDoubt: 1}}
			assert.True(t, r.Generated.Equal(got.Generated), "generated: got %v want %v", got.Generated, r.Generated)
			got.Generated = time.Time{}
			assert.Equal(t, want, got)
		})
	}
}

func TestCSVReportSummaryIsASideFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "orders.result.2.csv")
	require.NoError(t, WriteReport(path, ledgerReport(CSV)))
	assert.Equal(t, filepath.Join(dir, "orders.result.2.summary.csv"), CSVSummaryPath(path))
	raw, err := os.ReadFile(CSVSummaryPath(path))
	require.NoError(t, err)
	assert.Contains(t, string(raw), "ledger;0123456789abcdef\r\n", "same delimiter as the report, one field per line")
	assert.True(t, IsSummaryFile(CSVSummaryPath(path)))
	assert.False(t, IsSummaryFile(path))

	// A report without a ledger (validate) has no side file.
	plain := filepath.Join(dir, "plain.result.csv")
	require.NoError(t, WriteReport(plain, sampleReport(CSV)))
	_, err = os.Stat(CSVSummaryPath(plain))
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = ReadReportSummary(plain, nil)
	assert.ErrorIs(t, err, ErrNoSummary)
}

func TestReadReportGivesBackWhatWasWritten(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	for _, format := range []Format{XLSX, CSV} {
		name := map[Format]string{XLSX: "orders.result.xlsx", CSV: "orders.result.csv"}[format]
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			r := ledgerReport(format)
			r.Location = paris
			require.NoError(t, WriteReport(path, r))

			got, err := ReadReport(path, paris)
			require.NoError(t, err)
			assert.Equal(t, "0123456789abcdef", got.Summary.LedgerID)
			require.Len(t, got.Sheets, 1)
			s := got.Sheets[0]
			if format == XLSX {
				assert.Equal(t, "fr-port", s.Name)
			} else {
				assert.Equal(t, "", s.Name)
			}
			assert.Equal(t, []string{"order_ref", "phone"}, s.Header)
			require.Len(t, s.Rows, 3)
			for i, want := range r.Sheets[0].Rows {
				row := s.Rows[i]
				assert.Equal(t, want.Cells, row.Cells, "row %d: cells as in the input, quotes undone", i)
				assert.Equal(t, want.Status, row.Status)
				assert.Equal(t, want.CarrierReference, row.CarrierReference)
				assert.Equal(t, want.Message, row.Message)
				assert.True(t, want.SubmittedAt.Equal(row.SubmittedAt), "row %d: got %v want %v", i, row.SubmittedAt, want.SubmittedAt)
			}
		})
	}
}
