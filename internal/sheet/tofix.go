package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// FixPath is the path of the to-fix file that goes with the report at
// report: "NAME.result.xlsx" → "NAME.to-fix.xlsx", "NAME.result.2.csv" →
// "NAME.to-fix.2.csv", in the same folder.
func FixPath(report string) string {
	dir, base := filepath.Split(report)
	if i := strings.LastIndex(base, ".result"); i >= 0 {
		return dir + base[:i] + ".to-fix" + base[i+len(".result"):]
	}
	ext := filepath.Ext(base)
	return dir + strings.TrimSuffix(base, ext) + ".to-fix" + ext
}

// FixStatuses are the statuses whose rows a to-fix file holds: rows a
// person must change before they can be sent.
func FixStatuses() []string {
	return []string{StatusInvalid, StatusRejected, StatusConflict}
}

// NeedsFix reports whether a row of status goes into the to-fix file.
func NeedsFix(status string) bool {
	for _, s := range FixStatuses() {
		if s == status {
			return true
		}
	}
	return false
}

// FixRow is one row of a to-fix file: the input's cells, and what to
// change: the row's report message, "column: why; column: why", which the
// file shows one "column: why" a line.
type FixRow struct {
	Cells   []string
	Problem string
}

// fixSheet is one sheet of a to-fix file, held until Close.
type fixSheet struct {
	name string
	cols []TemplateColumn // the input's own columns, laid out like the template
	keep []int            // input columns kept (orderdrop's own dropped); nil = all
	hdrW int
	rows []FixRow
}

// FixWriter writes a to-fix file: the rows of one input file that need a
// person (invalid, rejected, conflict — or any row a caller hands it, such
// as one a carrier cancelled later), with the input's own columns laid out
// like `orderdrop template` (help comments, dropdowns, text and date
// columns) and a problem column. Corrected and dropped into the inbox as
// it is, it is an ordinary order file: its problem column, being one of
// orderdrop's own, is not read.
//
// Rows are held until Close (a to-fix file is the file's few bad rows).
// Nothing is written when no row was: Close then reports false. A
// FixWriter is used by one goroutine at a time.
type FixWriter struct {
	path   string
	format Format
	delim  rune
	loc    *time.Location
	sheets []*fixSheet
	rows   int
}

// NewFixWriter starts the to-fix file at path: CSV when format is CSV
// (delimiter delim, 0 = ','), else XLSX printed on the paper of loc's
// region (see the README's printing). Nothing is created before Close.
func NewFixWriter(path string, format Format, delim rune, loc *time.Location) *FixWriter {
	return &FixWriter{path: path, format: format, delim: delim, loc: loc}
}

// StartSheet begins the sheet of one input sheet: name, and a column per
// input header cell (TemplateColumn.Name the header as it was). Columns
// named like orderdrop's own (a report dropped back) are left out.
func (w *FixWriter) StartSheet(name string, cols []TemplateColumn) {
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	fs := &fixSheet{name: name, hdrW: len(cols), keep: inputColumns(header)}
	if fs.keep != nil {
		for _, i := range fs.keep {
			fs.cols = append(fs.cols, cols[i])
		}
	} else {
		fs.cols = cols
	}
	w.sheets = append(w.sheets, fs)
}

// WriteRow adds a row to the current sheet.
func (w *FixWriter) WriteRow(row FixRow) error {
	if len(w.sheets) == 0 {
		return fmt.Errorf("write to-fix file: a row before any sheet")
	}
	fs := w.sheets[len(w.sheets)-1]
	if fs.keep != nil {
		row.Cells = pick(row.Cells, fs.keep, fs.hdrW)
	}
	row.Problem = problemLines(row.Problem)
	fs.rows = append(fs.rows, row)
	w.rows++
	return nil
}

// Path is where the file goes.
func (w *FixWriter) Path() string { return w.path }

// Rows is the number of rows written so far.
func (w *FixWriter) Rows() int { return w.rows }

// Close writes the file, crash-safely with mode 0640, when it has rows,
// and reports whether it did. A CSV to-fix file holds its first sheet only
// (a CSV input has one).
func (w *FixWriter) Close() (bool, error) {
	if w.rows == 0 {
		return false, nil
	}
	write := w.writeXLSX
	if w.format == CSV {
		write = w.writeCSV
	}
	if err := WriteFileAtomic(w.path, 0o640, write); err != nil {
		return false, fmt.Errorf("write to-fix file %s: %w", filepath.Base(w.path), err)
	}
	return true, nil
}

// problemLines puts each "column: why" of a report message on its line.
func problemLines(msg string) string {
	return strings.ReplaceAll(msg, "; ", "\n")
}

func (w *FixWriter) writeCSV(out io.Writer) error {
	if _, err := out.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(out)
	cw.UseCRLF = true
	if w.delim != 0 {
		cw.Comma = w.delim
	}
	fs := w.sheets[0]
	rec := make([]string, 0, len(fs.cols)+1)
	for _, c := range fs.cols {
		rec = append(rec, csvSafe(c.Name))
	}
	if err := cw.Write(append(rec, ColumnProblem)); err != nil {
		return err
	}
	for _, r := range fs.rows {
		rec = rec[:0]
		for i := range max(len(fs.cols), len(r.Cells)) {
			rec = append(rec, csvSafe(at(r.Cells, i)))
		}
		if len(r.Cells) > len(fs.cols) { // a wider row keeps its cells; the problem after the header's columns
			rec = append(rec[:len(fs.cols)], append([]string{csvSafe(r.Problem)}, rec[len(fs.cols):]...)...)
		} else {
			rec = append(rec, csvSafe(r.Problem))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (w *FixWriter) writeXLSX(out io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newTemplateStyles(f)
	if err != nil {
		return fmt.Errorf("styles: %w", err)
	}
	rst, err := newReportStyles(f)
	if err != nil {
		return err
	}
	paper := paperFor(w.loc)
	names := map[string]bool{}
	listCol, si := 0, 0
	for _, fs := range w.sheets {
		if len(fs.rows) == 0 { // a sheet with nothing to fix is left out
			continue
		}
		name := cleanSheetName(fs.name)
		for n := 2; names[strings.ToLower(name)]; n++ {
			name = truncRunes(cleanSheetName(fs.name), 26) + " (" + strconv.Itoa(n) + ")"
		}
		names[strings.ToLower(name)] = true
		if si == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return fmt.Errorf("sheet %q: %w", name, err)
		}
		cols := append(fs.cols[:len(fs.cols):len(fs.cols)], TemplateColumn{Name: ColumnProblem,
			Help: "Ce qu'il faut corriger, colonne par colonne. Cette colonne n'est pas lue.\n\nWhat to change, column by column. This column is not read."})
		if err := addTemplateSheet(f, name, cols, st, &listCol, paper); err != nil {
			return fmt.Errorf("sheet %q: %w", name, err)
		}
		pc, _ := excelize.ColumnNumberToName(len(cols))
		if err := f.SetColWidth(name, pc, pc, maxMessageWidth); err != nil {
			return fmt.Errorf("sheet %q: %w", name, err)
		}
		dates := make([]bool, len(fs.cols))
		for i, c := range fs.cols {
			dates[i] = c.Date
		}
		rs := ReportSheet{DateColumns: dates}
		for ri, r := range fs.rows {
			rn := ri + 2
			put := func(col int, v any) error {
				cell, err := excelize.CoordinatesToCellName(col+1, rn)
				if err != nil {
					return err
				}
				switch v := v.(type) {
				case string: // text, never a formula; the column's style (text, date) stays
					return f.SetCellStr(name, cell, v)
				case excelize.Cell:
					if err := f.SetCellValue(name, cell, v.Value); err != nil {
						return err
					}
					return f.SetCellStyle(name, cell, cell, v.StyleID)
				}
				return nil
			}
			for i, c := range r.Cells {
				j := i
				if i >= len(fs.cols) {
					j = i + 1 // past the header: after the problem
				}
				if c == "" {
					continue
				}
				if err := put(j, rs.cellValue(i, c, rst)); err != nil {
					return fmt.Errorf("sheet %q row %d: %w", name, rn, err)
				}
			}
			if err := put(len(fs.cols), excelize.Cell{StyleID: rst.wrap, Value: r.Problem}); err != nil {
				return fmt.Errorf("sheet %q row %d: %w", name, rn, err)
			}
			if lines := wrappedLines(r.Problem, maxMessageWidth); lines > 1 {
				if err := f.SetRowHeight(name, rn, float64(lines)*15); err != nil {
					return fmt.Errorf("sheet %q row %d: %w", name, rn, err)
				}
			}
		}
		if err := declareUsedRange(f, name); err != nil {
			return fmt.Errorf("sheet %q: %w", name, err)
		}
		si++
	}
	f.SetActiveSheet(0)
	return f.Write(out)
}
