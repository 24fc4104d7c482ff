package batch_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// outcomeHeaders counts, over every sheet of the file at path, how many
// times each of orderdrop's own columns is in a header.
func outcomeHeaders(t *testing.T, path string) map[string]int {
	t.Helper()
	wb, err := sheet.Open(path, sheet.Options{})
	require.NoError(t, err)
	n := map[string]int{}
	for _, tab := range wb.Sheets {
		for _, h := range tab.Header {
			if sheet.IsOwnColumn(h) {
				n[h]++
			}
		}
	}
	return n
}

// TestSandboxReportDroppedBackIsNotDoubled: a result report dropped back
// into the inbox as it is sends nothing (the ledger knows every row: all
// already_submitted, with their references) and its new report has one
// set of outcome columns per sheet, not the old beside the new.
func TestSandboxReportDroppedBackIsNotDoubled(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	in, want := fullWorkbook(t, sb.dir)
	s1 := sb.process(t, in)
	first := readReport(t, s1.Report)
	n := len(sb.sim.Orders())
	require.Equal(t, len(want), n)

	back := filepath.Join(sb.dir, "back.xlsx")
	data, err := os.ReadFile(s1.Report)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(back, data, 0o600))
	s2 := sb.process(t, back)
	assert.Equal(t, map[string]int{batch.AlreadySubmitted: len(want)}, s2.Counts)
	assert.Len(t, sb.sim.Orders(), n, "a report dropped back must send nothing")
	got := outcomeHeaders(t, s2.Report)
	for _, c := range []string{"status", "carrier_reference", "message", "submitted_at"} {
		assert.Equal(t, outcomeHeaders(t, s1.Report)[c], got[c], "column %s: as many as in the first report", c)
	}
	for ref, o := range readReport(t, s2.Report) {
		assert.Equal(t, batch.AlreadySubmitted, o.status, "%s", ref)
		assert.Equal(t, first[ref].reference, o.reference, "%s: the original carrier reference", ref)
	}
}

// TestSandboxCorrectedCSVReportSendsTheCorrectedRow: a CSV report whose
// invalid row is corrected in place and dropped back sends that row only;
// the new report has its outcome columns once.
func TestSandboxCorrectedCSVReportSendsTheCorrectedRow(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	good := l2SimRow("L2-GOOD")
	bad := l2SimRow("L2-FIX").with("street_number", "9", "site_vlan", "4095")
	s1 := sb.process(t, writeKindCSV(t, sb.dir, "l2.csv", order.L2, good, bad))
	require.Equal(t, map[string]int{batch.Submitted: 1, batch.Invalid: 1}, s1.Counts)

	recs := readCSV(t, s1.Report)
	col := slices.Index(recs[0], "site_vlan")
	require.GreaterOrEqual(t, col, 0)
	for _, r := range recs[1:] {
		if r[0] == "L2-FIX" {
			r[col] = ""
		}
	}
	back := filepath.Join(sb.dir, "l2 corrected.csv")
	writeCSV(t, back, recs)
	s2 := sb.process(t, back)
	assert.Equal(t, map[string]int{batch.AlreadySubmitted: 1, batch.Submitted: 1}, s2.Counts)
	require.Len(t, sb.sim.Orders(), 2)
	got := readCSV(t, s2.Report)[0]
	for _, c := range sheet.OwnColumns()[:4] {
		assert.Equal(t, 1, countOf(got, c), "column %s in %q", c, got)
	}
}

func countOf(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	require.NoError(t, err)
	if len(recs) > 0 && len(recs[0]) > 0 {
		recs[0][0] = trimBOM(recs[0][0])
	}
	return recs
}

func trimBOM(s string) string {
	if len(s) >= 3 && s[:3] == "\ufeff" {
		return s[3:]
	}
	return s
}

func writeCSV(t *testing.T, path string, recs [][]string) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	w := csv.NewWriter(f)
	require.NoError(t, w.WriteAll(recs))
	require.NoError(t, f.Close())
}

// TestSandboxToFixFileRoundTrip: a file with invalid rows gets a to-fix
// file beside its report holding those rows only, with a problem per
// column; corrected in its cells and dropped as it is, it is an ordinary
// order file: the corrected rows are sent, nothing else.
func TestSandboxToFixFileRoundTrip(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			sb := newSandbox(t, sandboxConfig{})
			good := l2SimRow("L2-GOOD")
			bad1 := l2SimRow("L2-FIX1").with("street_number", "9", "site_vlan", "4095")
			bad2 := l2SimRow("L2-FIX2").with("street_number", "11", "site_vlan", "5000")
			var in string
			if format == "csv" {
				in = writeKindCSV(t, sb.dir, "l2.csv", order.L2, good, bad1, bad2)
			} else {
				in = writeWorkbook(t, sb.dir, "l2.xlsx", map[order.Kind][]row{order.L2: {good, bad1, bad2}})
			}
			s1 := sb.process(t, in)
			require.Equal(t, map[string]int{batch.Submitted: 1, batch.Invalid: 2}, s1.Counts)
			require.NoError(t, s1.ToFixErr)
			require.Equal(t, sheet.FixPath(s1.Report), s1.ToFix)
			assert.Equal(t, "l2.to-fix."+format, filepath.Base(s1.ToFix))

			wb, err := sheet.Open(s1.ToFix, sheet.Options{})
			require.NoError(t, err)
			tab := wb.Sheets[0]
			assert.Equal(t, append(headerOf(order.L2), "problem"), tab.Header)
			require.Len(t, tab.Records, 2, "the invalid rows only")
			vlan, ref, problem := slices.Index(tab.Header, "site_vlan"), slices.Index(tab.Header, "order_ref"), len(tab.Header)-1
			for _, r := range tab.Records {
				assert.Contains(t, r.Cells[problem], "site_vlan:", "row %d", r.Num)
			}

			fixed := filepath.Join(sb.dir, "l2 fixed."+format)
			if format == "csv" {
				recs := readCSV(t, s1.ToFix)
				for _, r := range recs[1:] {
					r[vlan] = ""
				}
				writeCSV(t, fixed, recs)
			} else {
				f, err := excelize.OpenFile(s1.ToFix)
				require.NoError(t, err)
				for i := range tab.Records {
					cell, err := excelize.CoordinatesToCellName(vlan+1, i+2)
					require.NoError(t, err)
					require.NoError(t, f.SetCellStr(tab.Name, cell, ""))
				}
				require.NoError(t, f.SaveAs(fixed))
				require.NoError(t, f.Close())
			}
			s2 := sb.process(t, fixed)
			assert.Equal(t, map[string]int{batch.Submitted: 2}, s2.Counts)
			assert.Empty(t, s2.ToFix, "nothing left to fix")
			assert.NoFileExists(t, sheet.FixPath(s2.Report))
			orders := sb.sim.Orders()
			require.Len(t, orders, 3, "the good row once, then the two corrected rows")
			r2 := readReport(t, s2.Report)
			for _, r := range tab.Records {
				assert.Equal(t, batch.Submitted, r2[r.Cells[ref]].status, "%s: %s", r.Cells[ref], r2[r.Cells[ref]].message)
			}
			assert.Equal(t, 1, outcomeHeaders(t, s2.Report)["status"], "the problem column is not read back, the outcome written once")
			assert.Zero(t, outcomeHeaders(t, s2.Report)["problem"])
		})
	}
}
