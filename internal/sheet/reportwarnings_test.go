package sheet

import (
	"path/filepath"
	"testing"
)

// TestReportSummaryCountsWarnings: the Summary counts the rows that carry a
// warning (sent or not), and reading it back gives that count.
func TestReportSummaryCountsWarnings(t *testing.T) {
	for _, tc := range []struct {
		format Format
		name   string
	}{{XLSX, "orders.result.xlsx"}, {CSV, "orders.result.csv"}} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			r := ledgerReport(tc.format)
			r.Sheets[0].Rows[0].Warnings = 2
			r.Sheets[0].Rows[1].Warnings = 1
			if err := WriteReport(path, r); err != nil {
				t.Fatal(err)
			}
			got, err := ReadReportSummary(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got.Warnings != 2 {
				t.Errorf("got %d rows with warnings, want 2", got.Warnings)
			}
		})
	}
}
