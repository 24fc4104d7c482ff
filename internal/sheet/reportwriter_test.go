package sheet

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// streamReport writes r through a ReportWriter told each sheet's size, as
// a streaming pass does, and returns how many rows the writer held at most.
func streamReport(t *testing.T, path string, r *Report) int {
	t.Helper()
	w, err := NewReportWriter(path, r)
	require.NoError(t, err)
	held := 0
	for _, s := range r.Sheets {
		size := SheetSize{Rows: len(s.Rows), Width: s.width(), LastRow: 1}
		if len(s.Rows) > 0 {
			size.LastRow = s.Rows[len(s.Rows)-1].Num
		}
		require.NoError(t, w.StartSheet(s, size))
		for _, row := range s.Rows {
			require.NoError(t, w.WriteRow(row))
			held = max(held, len(w.cur.s.Rows))
		}
	}
	require.NoError(t, w.Close(r.Generated))
	return held
}

// TestReportWriterStreamsTheSameReport: a report written row by row, each
// sheet's size told first, is the report WriteReport writes with every row
// in hand (cells, outcome, dimension, summary), and the writer holds no
// more than its sample of rows for the column widths.
func TestReportWriterStreamsTheSameReport(t *testing.T) {
	at := time.Date(2026, 11, 23, 14, 5, 0, 0, time.UTC)
	big := &Report{Source: "big.xlsx", SHA256: "cd", Generated: at, Sheets: []ReportSheet{{Name: "l2", Header: []string{"order_ref", "client_name"}}}}
	for i := range 3 * widthSample {
		big.Sheets[0].Rows = append(big.Sheets[0].Rows, ReportRow{Num: i + 2, Cells: []string{fmt.Sprintf("R-%d", i), "Client"},
			Status: StatusSubmitted, CarrierReference: fmt.Sprint(i), SubmittedAt: at})
	}
	for _, c := range []struct {
		name string
		r    *Report
	}{{"sample", sampleReport(XLSX)}, {"sample CSV", sampleReport(CSV)}, {"3×widthSample rows", big}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			ext := ".xlsx"
			if c.r.Format == CSV {
				ext = ".csv"
			}
			whole, streamed := filepath.Join(dir, "whole"+ext), filepath.Join(dir, "streamed"+ext)
			require.NoError(t, WriteReport(whole, c.r))
			held := streamReport(t, streamed, c.r)
			assert.LessOrEqual(t, held, widthSample, "rows held by the writer")
			want, err := Open(whole, Options{})
			require.NoError(t, err)
			got, err := Open(streamed, Options{})
			require.NoError(t, err)
			require.Equal(t, len(want.Sheets), len(got.Sheets))
			for i := range want.Sheets {
				assert.Equal(t, want.Sheets[i].Name, got.Sheets[i].Name)
				assert.Equal(t, want.Sheets[i].Header, got.Sheets[i].Header)
				assert.Equal(t, want.Sheets[i].Records, got.Sheets[i].Records)
			}
			if c.r.Format != CSV {
				assert.Equal(t, dimensions(t, whole), dimensions(t, streamed))
			}
		})
	}
}
