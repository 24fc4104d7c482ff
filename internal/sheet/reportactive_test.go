package sheet

import (
	"archive/zip"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// TestReportOpensOnFirstSheet: the report opens on its first sheet and no
// other is selected, without SetActiveSheet (which read every streamed sheet
// back into memory: 7x the time and memory of writing them).
func TestReportOpensOnFirstSheet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.result.xlsx")
	rows := []ReportRow{{Num: 2, Cells: []string{"A-1"}, Status: StatusSubmitted, SubmittedAt: time.Now()}}
	r := &Report{Source: "two.xlsx", Format: XLSX, Generated: time.Now(), Sheets: []ReportSheet{
		{Name: "fr-port", Header: []string{"order_ref"}, Rows: rows},
		{Name: "l2", Header: []string{"order_ref"}, Rows: rows},
	}}
	require.NoError(t, WriteReport(path, r))
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, 0, f.GetActiveSheetIndex())
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer zr.Close()
	var selected []string
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, err := zf.Open()
		require.NoError(t, err)
		body, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		if zf.Name != "xl/worksheets/sheet1.xml" && strings.Contains(string(body), `tabSelected="1"`) {
			selected = append(selected, zf.Name)
		}
	}
	assert.Empty(t, selected, "sheets other than the first selected")
}
