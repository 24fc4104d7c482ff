package sheet

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReportDroppedBackHasOneOutcome: a report (or to-fix file) dropped
// back carries orderdrop's own columns; the new report writes them once,
// the new outcome in place of the old, and keeps the input columns and
// their dates where they were.
func TestReportDroppedBackHasOneOutcome(t *testing.T) {
	at := time.Date(2026, 11, 23, 14, 5, 0, 0, time.UTC)
	for _, format := range []Format{XLSX, CSV} {
		t.Run(map[Format]string{XLSX: "xlsx", CSV: "csv"}[format], func(t *testing.T) {
			r := &Report{Source: "back.xlsx", Format: format, Generated: at, Sheets: []ReportSheet{{
				Name:        "l2",
				Header:      []string{"order_ref", "Status", "client_name", "carrier_reference", "message", "submitted_at", "problem", "wanted_date"},
				DateColumns: []bool{false, false, false, false, false, false, false, true},
				Rows: []ReportRow{{Num: 2, Cells: []string{"R-1", "invalid", "Client", "", "old message", "", "client_name: old", "2027-01-12"},
					Status: StatusAlreadySubmitted, Message: "new"}},
			}}}
			path := filepath.Join(t.TempDir(), "out"+map[Format]string{XLSX: ".xlsx", CSV: ".csv"}[format])
			require.NoError(t, WriteReport(path, r))
			got, err := Open(path, Options{})
			require.NoError(t, err)
			want := []string{"order_ref", "client_name", "wanted_date", "status", "carrier_reference", "message", "submitted_at"}
			assert.Equal(t, want, got.Sheets[0].Header)
			require.Len(t, got.Sheets[0].Records, 1)
			assert.Equal(t, []string{"R-1", "Client", "2027-01-12", StatusAlreadySubmitted, "", "new", ""}, got.Sheets[0].Records[0].Cells[:7])
		})
	}
}

// TestIsOwnColumn: orderdrop's own column names, however cased or spaced,
// and nothing else.
func TestIsOwnColumn(t *testing.T) {
	for _, c := range []struct {
		name string
		want bool
	}{{"status", true}, {" Status ", true}, {"carrier_reference", true}, {"MESSAGE", true}, {"submitted_at", true}, {"problem", true},
		{"order_ref", false}, {"reference", false}, {"", false}, {"status2", false}} {
		if got := IsOwnColumn(c.name); got != c.want {
			t.Errorf("IsOwnColumn(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}
