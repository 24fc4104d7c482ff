package sheet

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func TestFixPath(t *testing.T) {
	for _, c := range []struct{ report, want string }{
		{filepath.Join("reports", "ports.result.xlsx"), filepath.Join("reports", "ports.to-fix.xlsx")},
		{filepath.Join("reports", "ports.result.2.csv"), filepath.Join("reports", "ports.to-fix.2.csv")},
		{"a.result.b.result.xlsx", "a.result.b.to-fix.xlsx"},
		{"odd.xlsx", "odd.to-fix.xlsx"},
	} {
		if got := FixPath(c.report); got != c.want {
			t.Errorf("FixPath(%q) = %q, want %q", c.report, got, c.want)
		}
	}
}

func fixColumns() []TemplateColumn {
	return []TemplateColumn{
		{Name: "Ref", Help: "your reference", Text: true},
		{Name: "routing", Choices: []string{"prefix", "sip_trunk"}, Required: true},
		{Name: "wanted_date", Date: true},
		{Name: "status"}, // a report dropped back: left out
	}
}

// TestFixWriterXLSX: the to-fix file holds the rows handed over, under the
// input's own columns laid out like the template (help comments,
// dropdowns, text and date formats), then a problem column, one
// "column: why" a line; orderdrop's own columns are left out; it prints
// on the region's paper.
func TestFixWriterXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ports.to-fix.xlsx")
	toronto, err := time.LoadLocation("America/Toronto")
	require.NoError(t, err)
	w := NewFixWriter(path, XLSX, 0, toronto)
	w.StartSheet("l2", fixColumns()) // nothing to fix there: left out
	w.StartSheet("fr-port", fixColumns())
	require.NoError(t, w.WriteRow(FixRow{Cells: []string{"0042", "prefx", "46399.4166666667", "invalid"}, Problem: "routing: not one of prefix, sip_trunk; wanted_date: too soon"}))
	ok, err := w.Close()
	require.NoError(t, err)
	require.True(t, ok)

	wb, err := Open(path, Options{})
	require.NoError(t, err)
	require.Len(t, wb.Sheets, 1, "the sheets with rows to fix only")
	got := wb.Sheets[0]
	assert.Equal(t, "fr-port", got.Name)
	assert.Equal(t, []string{"Ref", "routing", "wanted_date", "problem"}, got.Header)
	require.Len(t, got.Records, 1)
	assert.Equal(t, []string{"0042", "prefx", "46399.4166666667", "routing: not one of prefix, sip_trunk\nwanted_date: too soon"}, got.Records[0].Cells)

	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	comments, err := f.GetComments("fr-port")
	require.NoError(t, err)
	assert.Len(t, comments, 4, "a help comment on every header cell")
	dv, err := f.GetDataValidations("fr-port")
	require.NoError(t, err)
	require.Len(t, dv, 1, "routing's dropdown")
	pl, err := f.GetPageLayout("fr-port")
	require.NoError(t, err)
	assert.Equal(t, paperLetter, deref(pl.Size))
	s, err := f.GetCellStyle("fr-port", "A3")
	require.NoError(t, err)
	style, err := f.GetStyle(s)
	require.NoError(t, err)
	assert.Equal(t, numFmtText, style.NumFmt, "a text column stays text below the rows")
}

// TestFixWriterCSV: a CSV to-fix file is the input's header and the rows,
// then problem; no row, no file.
func TestFixWriterCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "l2.to-fix.csv")
	w := NewFixWriter(path, CSV, ';', nil)
	w.StartSheet("", fixColumns())
	require.NoError(t, w.WriteRow(FixRow{Cells: []string{"=1+1", "x", "", "invalid"}, Problem: "routing: not a choice"}))
	ok, err := w.Close()
	require.NoError(t, err)
	require.True(t, ok)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "\ufeffRef;routing;wanted_date;problem\r\n'=1+1;x;;routing: not a choice\r\n", string(data))

	empty := filepath.Join(dir, "none.to-fix.csv")
	w = NewFixWriter(empty, CSV, 0, nil)
	w.StartSheet("", fixColumns())
	ok, err = w.Close()
	require.NoError(t, err)
	assert.False(t, ok)
	assert.NoFileExists(t, empty)
}
