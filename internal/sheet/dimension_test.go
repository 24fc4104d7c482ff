package sheet

import (
	"archive/zip"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// dimensions reads the <dimension ref> of every worksheet part of an xlsx
// file, by sheet name, straight from the zip: what openpyxl's read-only mode
// and other streaming readers trust.
func dimensions(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	names := f.GetSheetList()
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer zr.Close()
	re := regexp.MustCompile(`<dimension ref="([^"]*)"`)
	byPart := map[string]string{}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, err := zf.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		m := re.FindSubmatch(data)
		require.NotNil(t, m, "%s has no dimension", zf.Name)
		byPart[zf.Name] = string(m[1])
	}
	out := map[string]string{}
	for i, name := range names { // excelize numbers a new workbook's parts in sheet order
		out[name] = byPart["xl/worksheets/sheet"+strconv.Itoa(i+1)+".xml"]
	}
	return out
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return v
}

func TestReportDeclaresItsDimension(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.result.xlsx")
	require.NoError(t, WriteReport(path, sampleReport(XLSX)))
	// fr-port: 2 input columns + 4 outcome columns (A..F), rows up to input row 5.
	// Summary: 2 columns, 3 lines + blank + header + 7 statuses + total + rows with warnings = 14 rows.
	assert.Equal(t, map[string]string{"fr-port": "A1:F5", "Summary": "A1:B14"}, dimensions(t, path))
}

func TestTemplateDeclaresItsDimension(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.xlsx")
	long := make([]string, 60)
	for i := range long {
		long[i] = "choice number " + strconv.Itoa(i)
	}
	cols := []TemplateColumn{{Name: "a"}, {Name: "b", Choices: []string{"x", "y"}}, {Name: "c", Choices: long}}
	require.NoError(t, WriteTemplate(path, "fr-port", cols))
	got := dimensions(t, path)
	assert.Equal(t, "A1:C1", got["fr-port"], "the header row, three columns")
	assert.Equal(t, "A1:A60", got["Lists"], "the long dropdown list")
}

func TestReportTimesInLocation(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)

	r := sampleReport(CSV)
	r.Location = paris
	path := filepath.Join(t.TempDir(), "orders.result.csv")
	require.NoError(t, WriteReport(path, r))
	wb, err := Open(path, Options{})
	require.NoError(t, err)
	assert.Equal(t, "2026-11-23T14:05:00+01:00", wb.Sheets[0].Records[0].Cells[5], "CSV: local time with its offset")

	r = sampleReport(XLSX)
	r.Location = paris
	path = filepath.Join(t.TempDir(), "orders.result.xlsx")
	require.NoError(t, WriteReport(path, r))
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	typ, err := f.GetCellType("fr-port", "F2")
	require.NoError(t, err)
	assert.Equal(t, excelize.CellTypeUnset, typ, "submitted_at is a number (date-time) cell, not text")
	got, err := f.GetCellValue("fr-port", "F2")
	require.NoError(t, err)
	assert.Equal(t, "2026-11-23 14:05:00", got, "shown in Paris time")
	raw, err := f.GetCellValue("fr-port", "F2", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	serial, err := excelize.ExcelDateToTime(mustFloat(t, raw), false)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 11, 23, 14, 5, 0, 0, time.UTC), serial.Round(time.Second))
	gen, err := f.GetCellValue("Summary", "B3")
	require.NoError(t, err)
	assert.Equal(t, "2026-11-23 14:05:00", gen, "the summary's time is local too")
}

func TestOpenOrdersDeclareTheirDimension(t *testing.T) {
	dir := t.TempDir()
	oo := &OpenOrders{Generated: time.Now(), Orders: []OpenOrder{{Kind: "l2", Key: "l2/a"}, {Kind: "l2", Key: "l2/b"}},
		Changes: []OrderChange{{Kind: "l2", Key: "l2/a", To: "pending"}}}
	require.NoError(t, WriteOpenOrders(dir, oo))
	got := dimensions(t, filepath.Join(dir, OpenOrdersXLSX))
	assert.Equal(t, "A1:M3", got["Open orders"], "13 columns, header and two orders")
	assert.Equal(t, "A1:J2", got["Changes"], "10 columns, header and one change")
}
