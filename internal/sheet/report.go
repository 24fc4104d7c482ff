package sheet

import (
	"fmt"
	"io"
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
	Sheets    []ReportSheet
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
	SubmittedAt      time.Time // zero = empty cell
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
// carrier_reference, message and submitted_at (RFC 3339, UTC). No value ever
// runs as a formula: XLSX cells are all written as text cells, and in a CSV
// report a value starting with '=', '+', '-', '@', tab or carriage return is
// prefixed with a single quote ('), as OWASP advises against CSV injection.
func WriteReport(path string, r *Report) error {
	if r == nil {
		return fmt.Errorf("write report %s: nil report", filepath.Base(path))
	}
	write := func(w io.Writer) error { return writeReportXLSX(w, r) }
	if r.Format == CSV {
		write = func(w io.Writer) error { return writeReportCSV(w, r) }
	}
	if err := WriteFileAtomic(path, 0o640, write); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
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

// outcome returns the four outcome cells of row.
func (row *ReportRow) outcome() []string {
	at := ""
	if !row.SubmittedAt.IsZero() {
		at = row.SubmittedAt.UTC().Format(time.RFC3339)
	}
	return []string{row.Status, row.CarrierReference, row.Message, at}
}
