package batch_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
