package sheet

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteReportMessageFuncSameFile: a report whose messages are given by
// MessageFunc, built as each row is written, is byte for byte the report
// written from the same messages held in Message, in both formats (each
// part of the XLSX package; the zip's own timestamps aside): the message
// column's width and the wrapped rows' heights included.
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
		assert.Equal(t, reportParts(t, pe, format), reportParts(t, pl, format), "format %d: the report differs when messages come from MessageFunc", format)
		assert.Positive(t, calls)
	}
}

// reportParts returns a report's bytes by part: the file itself for CSV,
// each part of the zip package for XLSX.
func reportParts(t *testing.T, path string, format Format) map[string][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if format == CSV {
		return map[string][]byte{"": data}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		out[f.Name] = b
	}
	return out
}
