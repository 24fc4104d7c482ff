package sheet

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// The labels of a report's summary: an XLSX report's Summary sheet, a CSV
// report's side file (CSVSummaryPath). One label and its value per line,
// then the counts per status under summaryStatus, ending with summaryTotal.
const (
	summaryFile      = "file"
	summarySHA256    = "sha256"
	summaryGenerated = "generated"
	summaryLedger    = "ledger"
	summaryBatch     = "batch"
	summaryStatus    = "status"
	summaryTotal     = "total"
	summaryWarnings  = "rows with warnings"
	// summaryPrinted, in an XLSX report only, says which sheets print
	// below minPrintScale; absent when all print at it or more.
	summaryPrinted = "printed"
)

// ErrNoSummary is returned by ReadReportSummary when a report has no
// summary to read: a CSV report written without a ledger (validate) or
// before summaries were written beside CSV reports, or an XLSX report
// whose last sheet is not one.
var ErrNoSummary = errors.New("report without a summary")

// csvSummarySuffix ends the name of a CSV report's summary file.
const csvSummarySuffix = ".summary.csv"

// CSVSummaryPath is where the summary of the CSV report at path is:
// "NAME.result.csv" → "NAME.result.summary.csv". A CSV report has no room
// for a Summary sheet, so its summary is this side file, written (with the
// report's delimiter) just before the report itself, for reports written
// with a ledger id.
func CSVSummaryPath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + csvSummarySuffix
}

// IsSummaryFile reports whether name is a CSV report's summary file rather
// than a report.
func IsSummaryFile(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), csvSummarySuffix)
}

// summaryLines are the label/value lines of a report's summary, as text.
func summaryLines(r *Report, counts map[string]int) [][]string {
	lines := [][]string{{summaryFile, r.Source}, {summarySHA256, r.SHA256}, {summaryGenerated, localTime(r.Generated, r.location())}}
	if r.LedgerID != "" {
		lines = append(lines, []string{summaryLedger, r.LedgerID})
	}
	if r.BatchID != "" {
		lines = append(lines, []string{summaryBatch, r.BatchID})
	}
	lines = append(lines, []string{}, []string{summaryStatus, "count"})
	total := 0
	for _, s := range summaryStatuses(counts) {
		lines = append(lines, []string{s, strconv.Itoa(counts[s])})
		total += counts[s]
	}
	return append(lines, []string{summaryTotal, strconv.Itoa(total)}, []string{summaryWarnings, strconv.Itoa(r.Warnings)})
}

// summaryStatuses lists every status in Summary order, then any other
// status counted, sorted.
func summaryStatuses(counts map[string]int) []string {
	statuses := Statuses()
	var extra []string
	for s := range counts {
		if !slices.Contains(statuses, s) {
			extra = append(extra, s)
		}
	}
	slices.Sort(extra)
	return append(statuses, extra...)
}

// writeCSVSummary writes the summary file of the CSV report at path, when
// the report names a ledger.
func writeCSVSummary(path string, r *Report, counts map[string]int) error {
	if r.LedgerID == "" {
		return nil
	}
	return WriteFileAtomic(CSVSummaryPath(path), 0o640, func(out io.Writer) error {
		if _, err := out.Write(utf8BOM); err != nil {
			return err
		}
		cw := csv.NewWriter(out)
		cw.UseCRLF = true
		if r.Delimiter != 0 {
			cw.Comma = r.Delimiter
		}
		for _, line := range summaryLines(r, counts) {
			rec := make([]string, len(line))
			for i, v := range line {
				rec[i] = csvSafe(v)
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// ReportSummary is what a report's summary says of the pass that wrote it.
type ReportSummary struct {
	Source    string    // the input file's name as dropped
	SHA256    string    // of the input
	Generated time.Time // when the report was written ("" in the file = zero)
	LedgerID  string    // the ledger the orders were recorded in; "" for reports older than ledger ids
	BatchID   string    // the batch there; "" likewise
	Counts    map[string]int
	Warnings  int // rows with a warning; 0 for reports older than warnings
}

// ReadReportSummary reads the summary of the report at path (XLSX: its
// last sheet; CSV: the side file at CSVSummaryPath) without reading the
// report's rows. loc is the time zone the report's times were written in
// (nil = UTC). ErrNoSummary when there is none.
func ReadReportSummary(path string, loc *time.Location) (*ReportSummary, error) {
	if loc == nil {
		loc = time.UTC
	}
	base := filepath.Base(path)
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		raw, err := os.ReadFile(CSVSummaryPath(path))
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: no %s beside it: %w", base, filepath.Base(CSVSummaryPath(path)), ErrNoSummary)
		}
		if err != nil {
			return nil, fmt.Errorf("read the summary of %s: %w", base, err)
		}
		raw = bytes.TrimPrefix(raw, utf8BOM)
		cr := csv.NewReader(bytes.NewReader(raw))
		cr.FieldsPerRecord = -1
		if i := bytes.IndexAny(raw, ",;\t"); i >= 0 {
			cr.Comma = rune(raw[i])
		}
		lines, err := cr.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("read the summary of %s: %w", base, err)
		}
		for _, l := range lines {
			for i := range l {
				l[i] = uncsvSafe(l[i])
			}
		}
		return parseSummary(base, lines, func(v string) (time.Time, error) {
			if v == "" {
				return time.Time{}, nil
			}
			return time.Parse(time.RFC3339, v)
		})
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the summary of %s: %w", base, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%s: %w", base, ErrNoSummary)
	}
	lines, err := f.GetRows(sheets[len(sheets)-1], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("read the summary of %s: %w", base, err)
	}
	return parseSummary(base, lines, func(v string) (time.Time, error) { return SerialTime(v, loc) })
}

// parseSummary reads the label/value lines of a summary; stamp reads the
// generated time.
func parseSummary(base string, lines [][]string, stamp func(string) (time.Time, error)) (*ReportSummary, error) {
	if len(lines) == 0 || len(lines[0]) == 0 || lines[0][0] != summaryFile {
		return nil, fmt.Errorf("%s: %w", base, ErrNoSummary)
	}
	s := &ReportSummary{Counts: map[string]int{}}
	counting := false
	for _, l := range lines {
		if len(l) == 0 {
			continue
		}
		label, value := l[0], ""
		if len(l) > 1 {
			value = l[1]
		}
		switch {
		case label == summaryTotal:
			counting = false
		case counting:
			n, err := strconv.Atoi(value)
			if err != nil {
				return nil, fmt.Errorf("%s: summary count of %s %q is not a number", base, label, value)
			}
			if n > 0 {
				s.Counts[label] = n
			}
		case label == summaryStatus:
			counting = true
		case label == summaryWarnings:
			n, err := strconv.Atoi(value)
			if err != nil {
				return nil, fmt.Errorf("%s: summary count of %s %q is not a number", base, label, value)
			}
			s.Warnings = n
		case label == summaryFile:
			s.Source = value
		case label == summarySHA256:
			s.SHA256 = value
		case label == summaryLedger:
			s.LedgerID = value
		case label == summaryBatch:
			s.BatchID = value
		case label == summaryGenerated:
			t, err := stamp(value)
			if err != nil {
				return nil, fmt.Errorf("%s: summary time %q: %w", base, value, err)
			}
			s.Generated = t
		}
	}
	return s, nil
}

// SerialTime reads a date-time cell's serial number (wall clock in loc, to
// the second, as excelSerial writes it); "" is the zero time.
func SerialTime(v string, loc *time.Location) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 2958466 {
		return time.Time{}, fmt.Errorf("not a date-time: %q", v)
	}
	// Seconds, not a time.Duration: nanoseconds since 1899 overflow an
	// int64 after 2191.
	wall := time.Unix(excelEpoch.Unix()+int64(math.Round(f*86400)), 0).UTC()
	return time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, loc), nil
}

// ReportFile is a result report read back.
type ReportFile struct {
	Path    string
	Format  Format
	Summary *ReportSummary // nil when the report has none (ErrNoSummary)
	Sheets  []ReportedSheet
}

// ReportedSheet is one input sheet of a report read back.
type ReportedSheet struct {
	Name   string   // the report sheet's name; "" for a CSV report
	Header []string // the input's header
	Rows   []ReportedRow
}

// ReportedRow is one report row read back: the input's cells and the
// outcome.
type ReportedRow struct {
	Num              int      // the report's row number (an XLSX report keeps the input's)
	Cells            []string // the input's cells as written (a CSV report's protecting quote undone)
	Status           string
	CarrierReference string
	Message          string
	SubmittedAt      time.Time // zero when empty or unreadable
}

// ReadReport reads the report at path, written by WriteReport or a
// ReportWriter, with its summary. loc is the time zone its times were
// written in (nil = UTC). A sheet whose header does not end with the
// outcome columns (the Summary) is not a report sheet. It holds the whole
// report: a reader that shows part of a large one uses StreamReport.
func ReadReport(path string, loc *time.Location) (*ReportFile, error) {
	var sheets []*ReportedSheet
	rf, err := readReportStream(context.Background(), path, loc, func(rs *ReportedSheet, rows []ReportedRow) {
		if len(sheets) == 0 || sheets[len(sheets)-1] != rs {
			sheets = append(sheets, rs)
		}
		rs.Rows = append(rs.Rows, rows...)
	}, 0)
	if err != nil {
		return nil, err
	}
	for _, rs := range sheets {
		rf.Sheets = append(rf.Sheets, *rs)
	}
	return rf, nil
}

// StreamReport reads the report at path as ReadReport does, but hands its
// rows to fn a chunk of chunkRows at a time (0 = DefaultChunkRows) and
// keeps none of them: memory stays that of one chunk whatever the report's
// size. fn gets the same *ReportedSheet for every chunk of one sheet (its
// Rows left empty). Once ctx ends the rest is skipped and ctx's error
// returned. The returned ReportFile has the summary but no Sheets.
func StreamReport(ctx context.Context, path string, loc *time.Location, chunkRows int, fn func(rs *ReportedSheet, rows []ReportedRow)) (*ReportFile, error) {
	rf, err := readReportStream(ctx, path, loc, fn, chunkRows)
	if err != nil {
		return nil, err
	}
	return rf, ctx.Err()
}

// readReportStream is StreamReport, with ReadReport's use of it.
func readReportStream(ctx context.Context, path string, loc *time.Location, fn func(rs *ReportedSheet, rows []ReportedRow), chunkRows int) (*ReportFile, error) {
	if loc == nil {
		loc = time.UTC
	}
	outcome := outcomeColumns()
	type layout struct {
		rs    *ReportedSheet // nil: not a report sheet
		n     int            // the input's columns
		lines [][]string     // a sheet that is not a report sheet: its lines (the Summary's are few)
	}
	var csvReport bool
	unquote := func(v string) string {
		if csvReport {
			return uncsvSafe(v)
		}
		return v
	}
	layouts := map[*Table]*layout{}
	onRows := func(t *Table, recs []Record) {
		lo, ok := layouts[t]
		if !ok {
			csvReport = t.Delimiter != 0
			header := make([]string, len(t.Header))
			for i, h := range t.Header {
				header[i] = unquote(h)
			}
			lo = &layout{n: len(header) - len(outcome)}
			if lo.n >= 0 && slices.Equal(header[lo.n:], outcome) {
				lo.rs = &ReportedSheet{Name: t.Name, Header: header[:lo.n]}
			} else {
				lo.lines = [][]string{t.Header}
			}
			layouts[t] = lo
		}
		if ctx.Err() != nil {
			return
		}
		if lo.rs == nil {
			if len(lo.lines) <= maxSummaryLines {
				for _, rec := range recs {
					lo.lines = append(lo.lines, rec.Cells)
				}
			}
			return
		}
		n := lo.n
		rows := make([]ReportedRow, 0, len(recs))
		for _, rec := range recs {
			cell := func(i int) string { return unquote(at(rec.Cells, i)) }
			row := ReportedRow{Num: rec.Num, Status: cell(n), CarrierReference: cell(n + 1), Message: cell(n + 2)}
			if v := cell(n + 3); v != "" {
				if csvReport {
					row.SubmittedAt, _ = time.Parse(time.RFC3339, v)
				} else {
					row.SubmittedAt, _ = SerialTime(v, loc)
				}
			}
			row.Cells = make([]string, 0, n)
			for i := range n {
				row.Cells = append(row.Cells, cell(i))
			}
			for i := n + len(outcome); i < len(rec.Cells); i++ { // a row wider than the header: its cells after the outcome
				row.Cells = append(row.Cells, cell(i))
			}
			for len(row.Cells) > 0 && row.Cells[len(row.Cells)-1] == "" && len(row.Cells) > n {
				row.Cells = row.Cells[:len(row.Cells)-1]
			}
			rows = append(rows, row)
		}
		fn(lo.rs, rows)
	}
	wb, err := Open(path, Options{OnRows: onRows, DropRecords: true, ChunkRows: chunkRows})
	if err != nil {
		return nil, fmt.Errorf("read report %s: %w", filepath.Base(path), err)
	}
	for _, t := range wb.Sheets { // a sheet without any row has had no OnRows call
		if _, ok := layouts[t]; !ok {
			onRows(t, nil)
		}
	}
	rf := &ReportFile{Path: path, Format: wb.Format}
	if wb.Format == CSV {
		rf.Summary, err = ReadReportSummary(path, loc)
	} else if n := len(wb.Sheets); n > 0 {
		if lo := layouts[wb.Sheets[n-1]]; lo.rs == nil { // the last sheet, the Summary
			rf.Summary, err = parseSummary(filepath.Base(path), lo.lines, func(v string) (time.Time, error) { return SerialTime(v, loc) })
		} else {
			err = ErrNoSummary
		}
	}
	if err != nil && !errors.Is(err, ErrNoSummary) {
		return nil, err
	}
	return rf, nil
}

// maxSummaryLines bounds what a reader keeps of a sheet that is not a
// report sheet: the Summary has a few dozen lines.
const maxSummaryLines = 1000

// uncsvSafe undoes csvSafe: the quote a CSV report puts before a value a
// spreadsheet would run as a formula.
func uncsvSafe(v string) string {
	if len(v) >= 2 && v[0] == '\'' && quotedFormula(v[1:]) {
		return v[1:]
	}
	return v
}
