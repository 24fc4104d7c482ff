package sheet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// sampleReport is a report with dangerous values and every colour.
func sampleReport(format Format) *Report {
	at := time.Date(2026, 11, 23, 14, 5, 0, 0, time.FixedZone("CET", 3600))
	return &Report{
		Source: "orders.xlsx", SHA256: strings.Repeat("ab", 32), Format: format, Delimiter: ';',
		Generated: at,
		Sheets: []ReportSheet{{
			Name:   "fr-port",
			Header: []string{"order_ref", "phone"},
			Rows: []ReportRow{
				{Num: 2, Cells: []string{"=1+2", "+33 6 12"}, Status: StatusSubmitted, CarrierReference: "NW-1", SubmittedAt: at},
				{Num: 4, Cells: []string{"@SUM(A1)", "-5"}, Status: StatusInvalid, Message: "siret: bad Luhn"},
				{Num: 5, Cells: []string{"B-3", "0612"}, Status: StatusInDoubt, Message: "=HYPERLINK(\"x\")"},
			},
		}},
	}
}

func TestWriteReportXLSXRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.result.xlsx")
	require.NoError(t, WriteReport(path, sampleReport(XLSX)))

	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), st.Mode().Perm(), "got mode %v want 0640", st.Mode().Perm())

	wb, err := Open(path, Options{})
	require.NoError(t, err)
	require.Len(t, wb.Sheets, 2)
	assert.Equal(t, "fr-port", wb.Sheets[0].Name)
	assert.Equal(t, "Summary", wb.Sheets[1].Name)
	tb := wb.Sheets[0]
	assert.Equal(t, []string{"order_ref", "phone", "status", "carrier_reference", "message", "submitted_at"}, tb.Header)
	require.Len(t, tb.Records, 3)
	assert.Equal(t, []string{"=1+2", "+33 6 12", "submitted", "NW-1", ""}, tb.Records[0].Cells[:5])
	assert.Equal(t, []int{2, 4, 5}, []int{tb.Records[0].Num, tb.Records[1].Num, tb.Records[2].Num},
		"rows keep their input row numbers")
	assert.Equal(t, "invalid", tb.Records[1].Cells[2])
	assert.Equal(t, "=HYPERLINK(\"x\")", tb.Records[2].Cells[4])

	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	for _, cell := range []string{"A2", "A4", "B2", "E5"} {
		typ, err := f.GetCellType("fr-port", cell)
		require.NoError(t, err)
		assert.Equal(t, excelize.CellTypeInlineString, typ, "cell %s: got type %v want a string cell", cell, typ)
		formula, err := f.GetCellFormula("fr-port", cell)
		require.NoError(t, err)
		assert.Empty(t, formula, "cell %s must not hold a formula", cell)
	}
	v, err := f.GetCellValue("fr-port", "A2")
	require.NoError(t, err)
	assert.Equal(t, "=1+2", v)
	v, err = f.GetCellValue("fr-port", "F2")
	require.NoError(t, err)
	assert.Equal(t, "2026-11-23 13:05:00", v, "submitted_at: a date-time cell, UTC when no location is set")

	// Status colours and header.
	assertFill(t, f, "fr-port", "C2", fillGreen)
	assertFill(t, f, "fr-port", "C4", fillRed)
	assertFill(t, f, "fr-port", "C5", fillAmber)
	hs, err := f.GetCellStyle("fr-port", "A1")
	require.NoError(t, err)
	style, err := f.GetStyle(hs)
	require.NoError(t, err)
	assert.True(t, style.Font != nil && style.Font.Bold, "header must be bold")
	panes, err := f.GetPanes("fr-port")
	require.NoError(t, err)
	assert.True(t, panes.Freeze, "header row frozen")
	assert.Equal(t, 1, panes.YSplit)
	w, err := f.GetColWidth("fr-port", "D")
	require.NoError(t, err)
	// carrier_reference's values are short: its header widens the column
	// to maxHeaderWidth, then wraps.
	assert.InDelta(t, float64(maxHeaderWidth+2), w, 0.01, "got width %v", w)

	// Summary.
	rows, err := f.GetRows("Summary")
	require.NoError(t, err)
	assert.Equal(t, []string{"file", "orders.xlsx"}, rows[0])
	assert.Equal(t, []string{"sha256", strings.Repeat("ab", 32)}, rows[1])
	assert.Equal(t, []string{"generated", "2026-11-23 13:05:00"}, rows[2])
	counts := map[string]string{}
	var order []string
	for _, r := range rows[5:] {
		if len(r) == 2 {
			counts[r[0]] = r[1]
			order = append(order, r[0])
		}
	}
	assert.Equal(t, []string{"submitted", "already_submitted", "not_submitted", "in_doubt", "conflict", "invalid", "rejected", "total", "rows with warnings"}, order)
	assert.Equal(t, map[string]string{"submitted": "1", "already_submitted": "0", "not_submitted": "0", "in_doubt": "1",
		"conflict": "0", "invalid": "1", "rejected": "0", "total": "3", "rows with warnings": "0"}, counts)
}

// assertFill checks a cell's fill colour.
func assertFill(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	require.NoError(t, err)
	st, err := f.GetStyle(id)
	require.NoError(t, err)
	require.NotEmpty(t, st.Fill.Color, "cell %s has no fill", cell)
	assert.True(t, strings.EqualFold(want, strings.TrimPrefix(st.Fill.Color[0], "FF")) || strings.EqualFold(want, st.Fill.Color[0]),
		"cell %s: got fill %v want %s", cell, st.Fill.Color, want)
}

func TestWriteReportCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.result.csv")
	require.NoError(t, WriteReport(path, sampleReport(CSV)))
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	got := string(raw)
	want := "\uFEFForder_ref;phone;status;carrier_reference;message;submitted_at\r\n" +
		"'=1+2;'+33 6 12;submitted;NW-1;;2026-11-23T13:05:00Z\r\n" +
		"'@SUM(A1);'-5;invalid;;siret: bad Luhn;\r\n" +
		"B-3;0612;in_doubt;;\"'=HYPERLINK(\"\"x\"\")\";\r\n"
	assert.Equal(t, want, got)

	wb, err := Open(path, Options{})
	require.NoError(t, err)
	assert.Equal(t, ';', wb.Delimiter)
	assert.Equal(t, "'=1+2", wb.Sheets[0].Records[0].Cells[0], "the formula stays literal text behind a quote")
}

func TestWriteReportSheetNames(t *testing.T) {
	r := &Report{Source: "in.xlsx", Sheets: []ReportSheet{
		{Name: "Summary", Header: []string{"a"}},
		{Name: "", Header: []string{"a"}, Rows: []ReportRow{{Num: 0, Cells: []string{"x", "extra"}, Status: "weird"}}},
	}}
	path := filepath.Join(t.TempDir(), "r.xlsx")
	require.NoError(t, WriteReport(path, r))
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{"Summary", "Report", "Summary (2)"}, f.GetSheetList())
	rows, err := f.GetRows("Report")
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"a", "", "status", "carrier_reference", "message", "submitted_at"}, {"x", "extra", "weird"}}, rows,
		"a cell beyond the header gets a column; rows without numbers are written in order")
	sum, err := f.GetRows("Summary (2)")
	require.NoError(t, err)
	assert.Contains(t, sum, []string{"weird", "1"}, "unknown statuses are counted too")
}

func TestWriteReportFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.xlsx")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
	r := sampleReport(XLSX)
	r.Sheets[0].Rows[0].Cells = make([]string, 20000) // more columns than Excel allows
	require.Error(t, WriteReport(path, r))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old", string(got))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left behind")
}

// Dates read from XLSX date cells arrive as serial numbers; the report must
// show them as dates again, and leave anything else in a date column as text.
func TestWriteReportDateColumns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dates.result.xlsx")
	r := &Report{Source: "dates.xlsx", Format: XLSX, Sheets: []ReportSheet{{
		Name: "fr-port", Header: []string{"order_ref", "wanted_date"}, DateColumns: []bool{false, true},
		Rows: []ReportRow{
			{Num: 2, Cells: []string{"46380", "46380.4166666667"}, Status: StatusSubmitted},
			{Num: 3, Cells: []string{"A-2", "24/12/2026 10:00"}, Status: StatusInvalid},
			{Num: 4, Cells: []string{"A-3", "46380"}, Status: StatusInvalid},
			{Num: 5, Cells: []string{"A-4", "46380.4166666666"}, Status: StatusSubmitted}, // a hair under 10:00
		},
	}}}
	require.NoError(t, WriteReport(path, r))
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	tests := []struct{ cell, want string }{
		{"B2", "24/12/2026 10:00"}, // a serial with a time
		{"B3", "24/12/2026 10:00"}, // text as typed, untouched
		{"B4", "24/12/2026"},       // a whole-day serial
		{"A2", "46380"},            // not a date column: untouched
		{"B5", "24/12/2026 10:00"}, // float noise rounded to the second
	}
	for _, tt := range tests {
		got, err := f.GetCellValue("fr-port", tt.cell)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "cell %s", tt.cell)
	}
	// Stored as Excel and LibreOffice store 10:00 (rounded, not truncated to
	// 46380.4166666666, which LibreOffice shows as 09:59).
	raw, err := f.GetCellValue("fr-port", "B5", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	assert.Equal(t, "46380.4166666667", raw)
	typ, err := f.GetCellType("fr-port", "B2")
	require.NoError(t, err)
	assert.Equal(t, excelize.CellTypeUnset, typ, "a date cell is a number cell")
	typ, err = f.GetCellType("fr-port", "B3")
	require.NoError(t, err)
	assert.NotEqual(t, excelize.CellTypeUnset, typ, "text stays a string cell")
}
