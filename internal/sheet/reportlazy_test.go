package sheet

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteReportMessageFuncSameFile: a report whose messages are given by
// MessageFunc, built as each row is written, is byte for byte the report
// written from the same messages held in Message, in both formats: the
// message column's width and the wrapped rows' heights included.
func TestWriteReportMessageFuncSameFile(t *testing.T) {
	long := "valid; not sent (validation only); would send " + strings.Repeat("city=Brest, ", 20)
	for _, format := range []Format{XLSX, CSV} {
		eager, lazy := sampleReport(format), sampleReport(format)
		rows := &eager.Sheets[0].Rows
		*rows = append(*rows, ReportRow{Num: 6, Cells: []string{"B-4", "0613"}, Status: StatusNotSubmitted, Message: long})
		lazy.Sheets[0].Rows = nil
		calls := 0
		for _, r := range *rows {
			msg := r.Message
			r.Message = ""
			r.MessageFunc = func() string { calls++; return msg }
			lazy.Sheets[0].Rows = append(lazy.Sheets[0].Rows, r)
		}
		dir := t.TempDir()
		pe, pl := filepath.Join(dir, "eager"), filepath.Join(dir, "lazy")
		require.NoError(t, WriteReport(pe, eager))
		require.NoError(t, WriteReport(pl, lazy))
		be, err := os.ReadFile(pe)
		require.NoError(t, err)
		bl, err := os.ReadFile(pl)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(be, bl), "format %d: the report differs when messages come from MessageFunc", format)
		assert.Positive(t, calls)
	}
}
