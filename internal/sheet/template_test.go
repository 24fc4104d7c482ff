package sheet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func templateColumns() []TemplateColumn {
	long := make([]string, 40)
	for i := range long {
		long[i] = fmt.Sprintf("Option numéro %02d", i)
	}
	return []TemplateColumn{
		{Name: "order_ref", Help: "Votre référence / Your reference", Example: "ECH-7701"},
		{Name: "idn", Help: "Numéro principal / Main number", Text: true, Required: true, Example: "0353011100"},
		{Name: "wanted_date", Help: "Date souhaitée / Wanted date", Date: true, Required: true},
		{Name: "routing", Help: "Routage / Routing", Choices: []string{"prefix", "sip_trunk"}, Required: true},
		{Name: "option", Help: "Option", Choices: long},
	}
}

func TestWriteTemplate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fr-port.template.xlsx")
	require.NoError(t, WriteTemplate(path, "fr-port", templateColumns()))

	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{"fr-port", "Lists"}, f.GetSheetList())
	visible, err := f.GetSheetVisible("Lists")
	require.NoError(t, err)
	assert.False(t, visible, "the Lists sheet is hidden")

	rows, err := f.GetRows("fr-port")
	require.NoError(t, err)
	require.Len(t, rows, 1, "the template holds no data row")
	assert.Equal(t, []string{"order_ref", "idn", "wanted_date", "routing", "option"}, rows[0])

	comments, err := f.GetComments("fr-port")
	require.NoError(t, err)
	byCell := map[string]string{}
	for _, c := range comments {
		text := c.Text
		for _, p := range c.Paragraph {
			text += p.Text
		}
		byCell[c.Cell] = text
	}
	require.Len(t, byCell, 5)
	assert.Contains(t, byCell["B1"], "Numéro principal / Main number")
	assert.Contains(t, byCell["B1"], "Required")
	assert.Contains(t, byCell["B1"], "0353011100", "the example is in the comment")

	dvs, err := f.GetDataValidations("fr-port")
	require.NoError(t, err)
	require.Len(t, dvs, 2)
	bySqref := map[string]*excelize.DataValidation{}
	for _, dv := range dvs {
		bySqref[dv.Sqref] = dv
	}
	require.Contains(t, bySqref, "D2:D5000")
	assert.Equal(t, "list", bySqref["D2:D5000"].Type)
	assert.Equal(t, `"prefix,sip_trunk"`, bySqref["D2:D5000"].Formula1)
	require.Contains(t, bySqref, "E2:E5000")
	assert.Equal(t, "Lists!$A$1:$A$40", bySqref["E2:E5000"].Formula1, "a list over 255 characters comes from the Lists sheet")
	v, err := f.GetCellValue("Lists", "A40")
	require.NoError(t, err)
	assert.Equal(t, "Option numéro 39", v)

	numFmt := func(cell string) (int, string) {
		id, err := f.GetCellStyle("fr-port", cell)
		require.NoError(t, err)
		st, err := f.GetStyle(id)
		require.NoError(t, err)
		custom := ""
		if st.CustomNumFmt != nil {
			custom = *st.CustomNumFmt
		}
		return st.NumFmt, custom
	}
	for _, cell := range []string{"B2", "B5000"} {
		got, _ := numFmt(cell)
		assert.Equal(t, 49, got, "cell %s: got number format %d want 49 (\"@\", text)", cell, got)
	}
	_, custom := numFmt("C2")
	assert.Equal(t, "dd/mm/yyyy hh:mm", custom)
	got, custom := numFmt("A2")
	assert.Equal(t, 0, got)
	assert.Empty(t, custom)

	reqStyle, err := f.GetCellStyle("fr-port", "B1")
	require.NoError(t, err)
	optStyle, err := f.GetCellStyle("fr-port", "A1")
	require.NoError(t, err)
	assert.NotEqual(t, reqStyle, optStyle, "required headers look different")

	panes, err := f.GetPanes("fr-port")
	require.NoError(t, err)
	assert.True(t, panes.Freeze)
}

func TestWriteTemplateCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.csv")
	require.NoError(t, WriteTemplateCSV(path, templateColumns(), ';'))
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "\uFEFForder_ref;idn;wanted_date;routing;option\r\n", string(raw))
}

func TestWriteTemplateRefusesNoColumns(t *testing.T) {
	dir := t.TempDir()
	require.ErrorIs(t, WriteTemplate(filepath.Join(dir, "a.xlsx"), "x", nil), errNoColumns)
	err := WriteTemplateCSV(filepath.Join(dir, "a.csv"), []TemplateColumn{{Name: " "}}, ',')
	require.ErrorIs(t, err, errNoColumns)
	assert.True(t, strings.Contains(err.Error(), "column 1"), "got %v", err)
}
