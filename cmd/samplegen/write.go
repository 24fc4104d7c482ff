package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// table is one sheet of sample data: a header and rows of cells.
type table struct {
	sheet  string
	header []string
	rows   [][]any
}

func write(dir string, now time.Time) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fr, ca, l2 := frPort(now), caPort(now), l2Orders()
	files := []struct {
		name   string
		tables []table
	}{
		{"fr-port-orders.xlsx", []table{fr}},
		{"ca-port-orders.xlsx", []table{ca}},
		{"l2-orders.xlsx", []table{l2}},
		{"all-kinds.xlsx", []table{frPortMulti(now), caPortMulti(now), l2Multi()}},
	}
	for _, f := range files {
		if err := writeXLSX(filepath.Join(dir, f.name), f.tables); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	if err := writeFrenchCSV(filepath.Join(dir, "fr-port-excel-fr.csv"), frPortCSV(now)); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "loa-lakeshore-dental.pdf"), loaPDF("Lakeshore Dental Group", "4165550140-4165550142"), 0o644)
}

func writeXLSX(path string, tables []table) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	for i, t := range tables {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", t.sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(t.sheet); err != nil {
			return err
		}
		for c, h := range t.header {
			cell, _ := excelize.CoordinatesToCellName(c+1, 1)
			if err := f.SetCellStr(t.sheet, cell, h); err != nil {
				return err
			}
			if err := f.SetCellStyle(t.sheet, cell, cell, bold); err != nil {
				return err
			}
			col, _ := excelize.ColumnNumberToName(c + 1)
			_ = f.SetColWidth(t.sheet, col, col, 18)
		}
		for r, row := range t.rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
				switch v := v.(type) {
				case nil:
				case string:
					if err := f.SetCellStr(t.sheet, cell, v); err != nil {
						return err
					}
					_ = f.SetCellStyle(t.sheet, cell, cell, text)
				case time.Time: // a real date-time cell, as Excel users type them
					if err := f.SetCellFloat(t.sheet, cell, excelSerial(v), -1, 64); err != nil {
						return err
					}
					style, _ := f.NewStyle(&excelize.Style{NumFmt: 22})
					_ = f.SetCellStyle(t.sheet, cell, cell, style)
				default:
					if err := f.SetCellValue(t.sheet, cell, v); err != nil {
						return err
					}
				}
			}
		}
		_ = f.SetPanes(t.sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	if err := f.SaveAs(path); err != nil {
		return err
	}
	return os.Chmod(path, 0o644)
}

// excelSerial is t's Paris wall-clock time as an Excel serial date.
func excelSerial(t time.Time) float64 {
	l := t.In(paris)
	wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC)
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return wall.Sub(epoch).Hours() / 24
}

// writeFrenchCSV writes what French Excel's "CSV (séparateur: point-virgule)"
// produces: ';', Windows-1252, CRLF.
func writeFrenchCSV(path string, t table) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	_ = w.Write(t.header)
	for _, row := range t.rows {
		rec := make([]string, len(row))
		for i, v := range row {
			if v != nil {
				rec[i] = fmt.Sprint(v)
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	enc, err := charmap.Windows1252.NewEncoder().Bytes(buf.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(path, enc, 0o644)
}

// loaPDF is a minimal one-page PDF letter of authorization.
func loaPDF(customer, numbers string) []byte {
	text := fmt.Sprintf("Letter of Authorization - %s - numbers %s", customer, numbers)
	stream := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
