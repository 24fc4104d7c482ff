package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// widthSample is how many rows of a sheet a ReportWriter holds before it
// starts streaming them: the column widths are taken from the header and
// these rows (a later, longer value is shown wrapped or cut by the column).
const widthSample = 512

// SheetSize is what a ReportWriter must know of a sheet before it streams
// its rows: an XLSX sheet declares its range and its columns first.
type SheetSize struct {
	// Rows is the number of the sheet's records. 0 = unknown.
	Rows int
	// LastRow is the input row number of the sheet's last record (the
	// report writes each row at its input row number). 0 = unknown: the
	// sheet's rows are held until EndSheet, then written.
	LastRow int
	// Width is the number of input columns of the widest record (at least
	// the header's). 0 = unknown: the rows are held until EndSheet.
	Width int
}

// ReportWriter writes a report while its rows settle, one sheet after the
// other, so that a large file's rows need not be held until the end: rows
// go to excelize's stream writer (XLSX, spilled to a temporary file past a
// few MiB) or to a buffered CSV writer. The report appears at its path only
// when Close succeeds, whole (see WriteFileAtomic); Abort drops it.
//
// A ReportWriter is used by one goroutine at a time.
type ReportWriter struct {
	path   string
	meta   Report // Source, SHA256, Format, Delimiter, Location; no Sheets
	counts map[string]int
	// printed notes, for the Summary, each sheet that prints below
	// minPrintScale fitted to one page wide.
	printed []string
	err     error

	// XLSX
	f      *excelize.File
	st     *reportStyles
	names  map[string]bool // sheet names used, lower-cased
	sheets int

	// CSV
	af     *AtomicFile
	cw     *csv.Writer
	csvCur *sheetStream

	cur *sheetStream // XLSX: the sheet being written
}

// sheetStream is one report sheet being written.
type sheetStream struct {
	name    string
	s       ReportSheet // Header, DateColumns; Rows holds the rows not yet streamed
	size    SheetSize
	n       int // input columns written per row
	sw      *excelize.StreamWriter
	vals    []any
	rec     []string
	msgW    int
	colW    []int // XLSX: each column's width, in characters
	last    int   // last row number written
	started bool  // header written
	seq     bool  // rows written one after the other, not at their input row numbers
	skip    bool  // CSV: a sheet after the first (a CSV report has one)
	// keep, when not nil, are the input's columns that are not orderdrop's
	// own (a report dropped back): only they are written, out of the
	// hdrW columns of the input's header.
	keep []int
	hdrW int
}

// NewReportWriter starts the report of meta's file at path: a CSV report
// when meta.Format is CSV, else XLSX. meta.Sheets is ignored: sheets come
// through StartSheet.
func NewReportWriter(path string, meta *Report) (*ReportWriter, error) {
	w := &ReportWriter{path: path, meta: *meta, counts: map[string]int{}}
	w.meta.Warnings = 0 // counted from the rows
	w.meta.Sheets = nil
	if meta.Format == CSV {
		af, err := CreateAtomic(path, 0o640)
		if err != nil {
			return nil, fmt.Errorf("write report: %w", err)
		}
		if _, err := af.Write(utf8BOM); err != nil {
			af.Abort()
			return nil, fmt.Errorf("write report: %w", err)
		}
		w.af = af
		w.cw = csv.NewWriter(af)
		w.cw.UseCRLF = true
		if meta.Delimiter != 0 {
			w.cw.Comma = meta.Delimiter
		}
		return w, nil
	}
	w.f = excelize.NewFile()
	st, err := newReportStyles(w.f)
	if err != nil {
		_ = w.f.Close()
		return nil, err
	}
	w.st, w.names = st, map[string]bool{}
	return w, nil
}

// StartSheet begins the report sheet of one input sheet (s.Name, s.Header,
// s.DateColumns; s.Rows ignored). The previous sheet is ended.
func (w *ReportWriter) StartSheet(s ReportSheet, size SheetSize) error {
	if w.err != nil {
		return w.err
	}
	if err := w.EndSheet(); err != nil {
		return err
	}
	s.Rows = nil
	ss := &sheetStream{size: size, keep: inputColumns(s.Header), hdrW: len(s.Header)}
	if ss.keep != nil { // a report dropped back: its old outcome is not input
		if size.Width > 0 {
			ss.size.Width = max(size.Width-(len(s.Header)-len(ss.keep)), len(ss.keep))
		}
		s.Header, s.DateColumns = pick(s.Header, ss.keep, ss.hdrW), pickBools(s.DateColumns, ss.keep)
	}
	ss.s = s
	if w.f == nil {
		ss.skip = w.csvCur != nil // a CSV input has one table
		w.csvCur, w.cur = ss, ss
		return nil
	}
	ss.name = w.uniqueName(cleanSheetName(s.Name))
	if w.sheets == 0 {
		w.err = w.f.SetSheetName(w.f.GetSheetName(0), ss.name)
	} else {
		_, w.err = w.f.NewSheet(ss.name)
	}
	w.sheets++
	if w.err != nil {
		w.err = fmt.Errorf("sheet %q: %w", ss.name, w.err)
	}
	w.cur = ss
	return w.err
}

// WriteRow adds the next row of the current sheet, in input order.
func (w *ReportWriter) WriteRow(row ReportRow) error {
	if w.err != nil {
		return w.err
	}
	ss := w.cur
	if ss == nil {
		return fmt.Errorf("write report: a row before any sheet")
	}
	w.counts[row.Status]++
	if row.Warnings > 0 {
		w.meta.Warnings++
	}
	if ss.skip {
		return nil
	}
	if ss.keep != nil {
		row.Cells = pick(row.Cells, ss.keep, ss.hdrW)
	}
	if row.MessageFunc != nil { // built once, now, and not held
		row.Message, row.MessageFunc = row.MessageFunc(), nil
	}
	if !ss.started {
		ss.s.Rows = append(ss.s.Rows, row)
		if ss.size.LastRow == 0 || ss.size.Width == 0 || len(ss.s.Rows) < widthSample {
			return nil
		}
		w.err = w.begin(ss)
		return w.err
	}
	w.err = w.put(ss, &row)
	return w.err
}

// EndSheet finishes the current sheet (StartSheet and Close call it).
func (w *ReportWriter) EndSheet() error {
	if w.err != nil {
		return w.err
	}
	ss := w.cur
	if ss == nil {
		return nil
	}
	w.cur = nil
	if ss.skip {
		return nil
	}
	if !ss.started {
		if w.err = w.begin(ss); w.err != nil {
			return w.err
		}
	}
	if ss.sw != nil {
		if err := ss.sw.Flush(); err != nil {
			w.err = fmt.Errorf("sheet %q: flush: %w", ss.name, err)
		}
	}
	return w.err
}

// begin writes the header and the rows held so far, sizing the columns
// from them.
func (w *ReportWriter) begin(ss *sheetStream) error {
	ss.started = true
	held := ss.s.Rows
	ss.s.Rows = nil
	n := max(len(ss.s.Header), ss.size.Width)
	if ss.size.LastRow == 0 || ss.size.Width == 0 { // every row is here: measure them
		tmp := ReportSheet{Header: ss.s.Header, Rows: held}
		n = tmp.width()
		prev := 1
		for _, r := range held {
			if r.Num <= prev {
				ss.seq = true // not increasing: one row after the other
				break
			}
			prev = r.Num
		}
		ss.size.LastRow = len(held) + 1
		if !ss.seq && len(held) > 0 {
			ss.size.LastRow = held[len(held)-1].Num
		}
	}
	ss.n = n
	header := make([]string, 0, n+4)
	for i := range n {
		header = append(header, at(ss.s.Header, i))
	}
	header = append(header, outcomeColumns()...)
	if w.f == nil {
		ss.rec = make([]string, 0, n+4)
		for _, h := range header {
			ss.rec = append(ss.rec, csvSafe(h))
		}
		if err := w.cw.Write(ss.rec); err != nil {
			return fmt.Errorf("write CSV header: %w", err)
		}
	} else {
		if err := w.startXLSX(ss, header, held); err != nil {
			return err
		}
	}
	for i := range held {
		if err := w.put(ss, &held[i]); err != nil {
			return err
		}
	}
	return nil
}

// startXLSX sets up the sheet's columns, range and header row.
func (w *ReportWriter) startXLSX(ss *sheetStream, header []string, rows []ReportRow) error {
	loc := w.meta.location()
	n, cols := ss.n, len(header)
	widths := make([]int, cols)
	for i, h := range header {
		widths[i] = min(textWidth(h), maxHeaderWidth)
	}
	for ri := range rows {
		row := &rows[ri]
		for i, c := range row.Cells {
			if i >= n {
				break
			}
			widths[i] = max(widths[i], textWidth(c))
			if i < len(ss.s.DateColumns) && ss.s.DateColumns[i] {
				widths[i] = max(widths[i], len("dd/mm/yyyy hh:mm"))
			}
		}
		widths[n] = max(widths[n], textWidth(row.Status))
		widths[n+1] = max(widths[n+1], textWidth(row.CarrierReference))
		if widths[n+2]+2 < maxColWidth { // past it, the column is as wide as it gets
			widths[n+2] = max(widths[n+2], textWidth(row.message()))
		}
		widths[n+3] = max(widths[n+3], textWidth(localTime(row.SubmittedAt, loc)))
	}
	widths = fitWidths(widths, n, paperFor(loc))
	if scale := printScaleOf(widths, paperFor(loc)); scale < minPrintScale {
		w.printed = append(w.printed, fmt.Sprintf("%s: every column, at about %.0f %%; for a larger print, hide the columns you do not need before printing (the full sheet is on screen)",
			ss.name, scale*100))
	}
	lastCol, err := excelize.ColumnNumberToName(cols)
	if err != nil {
		return fmt.Errorf("too many columns: %w", err)
	}
	sw, err := startListSheet(w.f, ss.name, lastCol, max(ss.size.LastRow, 1), widths, paperFor(loc))
	if err != nil {
		return fmt.Errorf("sheet %q: %w", ss.name, err)
	}
	ss.sw = sw
	ss.colW = make([]int, cols)
	headLines := 1
	for i := range widths {
		ss.colW[i] = min(max(widths[i]+2, minColWidth), maxColWidth)
		headLines = max(headLines, wrappedLines(header[i], ss.colW[i]))
	}
	ss.msgW = ss.colW[n+2]
	ss.vals = make([]any, cols)
	for i, h := range header {
		ss.vals[i] = excelize.Cell{StyleID: w.st.wrapHead, Value: h}
	}
	if err := sw.SetRow("A1", ss.vals, excelize.RowOpts{Height: float64(headLines) * 15}); err != nil {
		return fmt.Errorf("sheet %q: header row: %w", ss.name, err)
	}
	ss.last = 1
	return nil
}

// put writes one row: at its input row number when the numbers increase
// (so "row 7" in a message is row 7 of the report too), else after the
// previous one.
func (w *ReportWriter) put(ss *sheetStream, row *ReportRow) error {
	loc := w.meta.location()
	n := ss.n
	if w.f == nil {
		ss.rec = ss.rec[:0]
		for i := range max(n, len(row.Cells)) {
			if i == n {
				ss.rec = append(ss.rec, outcomeCells(row, loc)...) // a row wider than announced keeps its cells, after the outcome
			}
			ss.rec = append(ss.rec, csvSafe(at(row.Cells, i)))
		}
		if len(row.Cells) <= n {
			ss.rec = append(ss.rec, outcomeCells(row, loc)...)
		}
		if err := w.cw.Write(ss.rec); err != nil {
			return fmt.Errorf("write CSV row %d: %w", row.Num, err)
		}
		return nil
	}
	vals := ss.vals
	clear(vals)
	lines := 1 // the row's height, in lines
	// A string is written as an inline string cell, never a formula; an
	// empty one is left out (nil).
	for i, c := range row.Cells {
		if c == "" {
			continue
		}
		if i >= n { // wider than announced: after the outcome, never over it
			if need := i + 5 - len(vals); need > 0 {
				vals = append(vals, make([]any, need)...)
			}
			vals[i+4] = c
			continue
		}
		vals[i] = ss.s.cellValue(i, c, w.st)
		if l := wrappedLines(c, ss.colW[i]); l > 1 {
			if _, plain := vals[i].(string); plain { // a long value wraps inside its column
				vals[i] = excelize.Cell{StyleID: w.st.wrap, Value: c}
				lines = max(lines, l)
			}
		}
	}
	msg := row.message()
	for i, c := range [...]string{row.Status, row.CarrierReference, msg} {
		if c != "" {
			vals[n+i] = c
		}
	}
	if !row.SubmittedAt.IsZero() {
		vals[n+3] = excelize.Cell{StyleID: w.st.stamp, Value: excelSerial(row.SubmittedAt, loc)}
	}
	if id, ok := w.st.fill[statusFill(row.Status)]; ok {
		vals[n] = excelize.Cell{StyleID: id, Value: row.Status}
	}
	if msg != "" { // long messages wrap inside their column
		vals[n+2] = excelize.Cell{StyleID: w.st.wrap, Value: msg}
	}
	num := row.Num
	if ss.seq || num <= ss.last {
		num = ss.last + 1
	}
	ss.last = num
	var opts []excelize.RowOpts
	if lines = max(lines, wrappedLines(msg, ss.msgW)); lines > 1 {
		opts = append(opts, excelize.RowOpts{Height: float64(lines) * 15})
	}
	if err := ss.sw.SetRow("A"+strconv.Itoa(num), vals, opts...); err != nil {
		return fmt.Errorf("sheet %q row %d: %w", ss.name, num, err)
	}
	return nil
}

// outcomeCells are the four outcome cells of row for a CSV report.
func outcomeCells(row *ReportRow, loc *time.Location) []string {
	out := row.outcome(loc)
	for i, v := range out {
		out[i] = csvSafe(v)
	}
	return out
}

// uniqueName returns name, or "name (2)", "name (3)"… when a sheet has it.
func (w *ReportWriter) uniqueName(name string) string {
	cand := name
	for n := 2; w.names[strings.ToLower(cand)]; n++ {
		suffix := " (" + strconv.Itoa(n) + ")"
		cand = truncRunes(name, 31-len(suffix)) + suffix
	}
	w.names[strings.ToLower(cand)] = true
	return cand
}

// Counts returns the rows written so far per status.
func (w *ReportWriter) Counts() map[string]int { return w.counts }

// Close ends the last sheet, adds the Summary sheet (XLSX) with generated
// as its time and puts the report in place. On error nothing is left at the
// path (an earlier report there is untouched).
func (w *ReportWriter) Close(generated time.Time) error {
	if err := w.EndSheet(); err != nil {
		w.Abort()
		return fmt.Errorf("write report: %w", err)
	}
	if w.f == nil {
		if w.csvCur == nil { // no sheet at all: the header alone
			err := w.StartSheet(ReportSheet{}, SheetSize{})
			if err == nil {
				err = w.EndSheet()
			}
			if err != nil {
				w.Abort()
				return fmt.Errorf("write report: %w", err)
			}
		}
		w.cw.Flush()
		if err := w.cw.Error(); err != nil {
			w.Abort()
			return fmt.Errorf("write report: write CSV: %w", err)
		}
		w.meta.Generated = generated
		if err := writeCSVSummary(w.path, &w.meta, w.counts); err != nil { // before the report: never a report without it
			w.Abort()
			return fmt.Errorf("write report: %w", err)
		}
		if err := w.af.Commit(); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		return nil
	}
	defer w.f.Close()
	w.meta.Generated = generated
	summary := w.uniqueName("Summary")
	var err error
	if w.sheets == 0 {
		err = w.f.SetSheetName(w.f.GetSheetName(0), summary)
	} else {
		_, err = w.f.NewSheet(summary)
	}
	if err == nil {
		err = writeSummary(w.f, summary, &w.meta, w.counts, w.printed, w.st)
	}
	if err != nil {
		return fmt.Errorf("write report: summary: %w", err)
	}
	// The first sheet is already the active one (a new workbook's); calling
	// SetActiveSheet would read every streamed sheet back into memory.
	if err := WriteFileAtomic(w.path, 0o640, func(out io.Writer) error { return w.f.Write(out) }); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// Abort drops the report: nothing is written at its path.
func (w *ReportWriter) Abort() {
	if w.af != nil {
		w.af.Abort()
	}
	if w.f != nil {
		_ = w.f.Close()
	}
	if w.err == nil {
		w.err = fmt.Errorf("write report: aborted")
	}
}
