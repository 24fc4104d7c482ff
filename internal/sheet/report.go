package sheet

import (
	"fmt"
	"path/filepath"
	"time"
)

// Report is the result report of one input file: the input's rows, each
// followed by its outcome.
type Report struct {
	Source    string    // the input file's base name
	SHA256    string    // hex digest of the input file
	Format    Format    // CSV writes a CSV report; anything else an XLSX one
	Delimiter rune      // CSV report delimiter (the input's); 0 means ','
	Generated time.Time // when the report was made
	// Location is the time zone report times (submitted_at, generated) are
	// shown in. nil means UTC.
	Location *time.Location
	// LedgerID is the id of the ledger the pass recorded the file's orders
	// in, and BatchID its batch there: the Summary names them, so that a
	// lost ledger can be rebuilt from the reports. "" (validate) = not shown.
	LedgerID, BatchID string
	Sheets            []ReportSheet
	// Warnings is the number of rows with a warning (ReportRow.Warnings),
	// shown in the Summary; a ReportWriter counts it from the rows.
	Warnings int
}

// ReportSheet is one input sheet in a report.
type ReportSheet struct {
	Name   string   // the input sheet's name; "" (CSV input) becomes "Report" in XLSX
	Header []string // the input's header, copied untouched
	Rows   []ReportRow
	// DateColumns marks (by column index) the input columns that hold dates.
	// In an XLSX report a cell there that is a spreadsheet serial number (as
	// read from a date cell) is written back as a date cell, so reviewers see
	// "24/12/2026 10:00", not 46380.4166; other values stay text. nil = none.
	DateColumns []bool
}

// ReportRow is one input row and its outcome.
type ReportRow struct {
	Num              int      // input row number (header = 1)
	Cells            []string // the input's cells, copied untouched
	Status           string   // submitted, already_submitted, not_submitted, in_doubt, conflict, invalid, rejected
	CarrierReference string
	Message          string
	// MessageFunc, when set, gives the message as the row is written, in
	// place of Message, so that a long message (a validate-only row lists
	// every normalised field) is not held for every row until the report is
	// written. It may be called more than once and must give the same text.
	// nil = Message.
	MessageFunc func() string
	SubmittedAt time.Time // zero = empty cell
	// Warnings is the number of warnings in Message (checks that did not
	// stop the row); the Summary counts the rows that have any.
	Warnings int
}

// message is the row's message: MessageFunc's when set, else Message.
func (row *ReportRow) message() string {
	if row.MessageFunc != nil {
		return row.MessageFunc()
	}
	return row.Message
}

// Statuses, in the order the Summary sheet lists them.
const (
	StatusSubmitted        = "submitted"
	StatusAlreadySubmitted = "already_submitted"
	StatusNotSubmitted     = "not_submitted"
	StatusInDoubt          = "in_doubt"
	StatusConflict         = "conflict"
	StatusInvalid          = "invalid"
	StatusRejected         = "rejected"
)

// Statuses lists every status in Summary order (a new slice each call).
func Statuses() []string {
	return []string{StatusSubmitted, StatusAlreadySubmitted, StatusNotSubmitted,
		StatusInDoubt, StatusConflict, StatusInvalid, StatusRejected}
}

// outcomeColumns are the columns a report adds after the input's own.
func outcomeColumns() []string {
	return []string{"status", "carrier_reference", "message", "submitted_at"}
}

// WriteReport writes r to path, crash-safely (see WriteFileAtomic) with mode
// 0640: a CSV report when r.Format is CSV, else an XLSX report.
//
// Each row is the input's own cells, untouched, then status,
// carrier_reference, message and submitted_at: in r.Location, a date-time
// cell in XLSX (yyyy-mm-dd hh:mm:ss), RFC 3339 with the offset in CSV
// ("2026-11-23T14:05:00+01:00"). No value ever runs as a formula: XLSX
// cells are all written as text cells (times as numbers), and in a CSV
// report a value starting with '=', '+', '-', '@', tab or carriage return is
// prefixed with a single quote ('), as OWASP advises against CSV injection
// (and one starting with quotes then such a character gets one more quote,
// so that ReadReport gives every value back as written). An XLSX report
// cannot hold the characters XML forbids (control characters other than
// tab and line ends): they are written as U+FFFD; a CSV report keeps them,
// but drops carriage returns (its lines end in CRLF).
func WriteReport(path string, r *Report) error {
	if r == nil {
		return fmt.Errorf("write report %s: nil report", filepath.Base(path))
	}
	w, err := NewReportWriter(path, r)
	if err != nil {
		return err
	}
	for i := range r.Sheets {
		s := &r.Sheets[i]
		if err := w.StartSheet(*s, SheetSize{}); err != nil {
			w.Abort()
			return fmt.Errorf("write report: %w", err)
		}
		for _, row := range s.Rows {
			if err := w.WriteRow(row); err != nil {
				w.Abort()
				return fmt.Errorf("write report: %w", err)
			}
		}
	}
	return w.Close(r.Generated)
}

// width returns the number of data columns of s: the longest of its header
// and its rows.
func (s *ReportSheet) width() int {
	n := len(s.Header)
	for i := range s.Rows {
		n = max(n, len(s.Rows[i].Cells))
	}
	return n
}

// location is the report's time zone.
func (r *Report) location() *time.Location {
	if r.Location == nil {
		return time.UTC
	}
	return r.Location
}

// localTime formats t in loc as RFC 3339 with its offset; "" for zero.
func localTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}

// excelEpoch is day 0 of Excel's 1900 date system, as Excel counts from
// March 1900 on (it believes 1900 was a leap year).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excelSerial is the serial number of t's wall clock in loc, to the second:
// what a date-time cell holds.
func excelSerial(t time.Time, loc *time.Location) float64 {
	l := t.In(loc)
	wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
	return float64(wall.Unix()-excelEpoch.Unix()) / 86400
}

// outcome returns the four outcome cells of row, times in loc.
func (row *ReportRow) outcome(loc *time.Location) []string {
	at := localTime(row.SubmittedAt, loc)
	return []string{row.Status, row.CarrierReference, row.message(), at}
}
