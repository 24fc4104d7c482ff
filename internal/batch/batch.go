// Package batch takes one input file through the pipeline: read and validate
// every row, look every order up in the ledger, submit the new ones through
// the carrier clients (committing "submitting" before each request), record
// every outcome and write the result report.
package batch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// Report statuses, one per row (DESIGN §2). Package sheet owns them: it
// colours and counts them in the report.
const (
	Submitted        = sheet.StatusSubmitted
	AlreadySubmitted = sheet.StatusAlreadySubmitted
	Invalid          = sheet.StatusInvalid
	Rejected         = sheet.StatusRejected
	Conflict         = sheet.StatusConflict
	InDoubt          = sheet.StatusInDoubt
	NotSubmitted     = sheet.StatusNotSubmitted
)

// Statuses lists every status in report order.
var Statuses = sheet.Statuses()

// Submitter sends one order to its carrier. The carrier clients implement it.
type Submitter interface {
	Submit(ctx context.Context, o *order.Order, s carrier.Submission) carrier.Result
}

// Options configure one pass over one file.
type Options struct {
	// Ledger records every order. nil = validate only: nothing is sent and
	// valid rows are reported not_submitted.
	Ledger *ledger.Ledger
	// Carriers by kind. A kind without a Submitter is validated and
	// reported not_submitted ("carrier not configured").
	Carriers map[order.Kind]Submitter
	// Concurrency by kind: orders in flight at once. 0 = 4.
	Concurrency map[order.Kind]int
	// AllOrNothing reports whether a kind sends nothing from a file holding
	// an invalid row of that kind. nil = never.
	AllOrNothing func(order.Kind) bool
	// Order are the validation options (clock, window, attachments, reference data).
	Order order.Options
	// ReportDir is where the report goes. "" = beside the input.
	ReportDir string
	// Source is the file's name as the user dropped it, for the report name
	// and the summary. "" = the base name of the path.
	Source string
	// Now is the clock for report times. nil = time.Now.
	Now func() time.Time
	// Location is the time zone of the report's times. nil = UTC.
	Location *time.Location
	// Resume: the file was left in processing/ by an earlier pass (a stop,
	// a crash, a failed write). Its open batch in the ledger, if any, is
	// continued: same batch ID, and the report replaces the earlier one
	// under the same name. A batch already Done is not read again (see
	// Summary.Done). false = a new batch and a new report name.
	Resume bool
	// Progress, when set, is called as rows are settled (done of total).
	Progress func(done, total int)
	// Logger receives one line per order outcome at debug level. nil = discard.
	Logger *slog.Logger

	// Stops holds the carriers stopped for the rest of the pass (credentials
	// refused, carrier unreachable); share one between the files of a pass.
	// nil = a new one for this file alone.
	Stops *Stops
	// Unread holds the reference data that could not be read, with the
	// error: an order whose checks need one of them is not sent (its rows
	// not_submitted, "could not read …", the file retried later). nil = all
	// read, or validation offline.
	Unread map[order.RefData]error
	// RetryAt is when a later pass may send again the orders this pass
	// cannot (carrier unavailable), for the report messages, in the time
	// zone to show. Zero = "at the next pass".
	RetryAt time.Time
	// Credentials names, per kind, where the carrier's credentials are
	// configured, for the message of a refusal ("carriers.thinktel.username
	// and carriers.thinktel.password"). "" = "the credentials under carriers.CARRIER".
	Credentials map[order.Kind]string
	// Places says, per kind, where its carrier's orders are placed: the
	// environment (part of the ledger key, so that an order placed on a
	// test platform is sent again in production) and the base URL,
	// recorded with each order so that it is followed there. A kind
	// without one is placed in production.
	Places map[order.Kind]Place
}

// Place is where a carrier's orders go.
type Place struct {
	// Environment is carriers.NAME.environment; "" = production.
	Environment string
	// BaseURL is carriers.NAME.base_url, recorded with each order.
	BaseURL string
}

// Summary is what a pass over one file produced.
type Summary struct {
	File   string // input name
	Report string // report path
	// ToFix is the path of the to-fix file written beside the report: the
	// invalid, rejected and conflict rows, ready to be corrected and
	// dropped again (sheet.FixWriter). "" = no such row.
	ToFix string
	// ToFixErr is why the to-fix file could not be written (the report
	// was: the pass is not failed for it). nil = written or not needed.
	ToFixErr    error
	BatchID     string         // ledger batch ("" for validate-only passes)
	SHA256      string         // of the input
	Rows        int            // data rows
	Counts      map[string]int // rows per status
	Warnings    int            // rows not invalid with a warning: a check set to warning found something
	Interrupted bool           // the pass stopped (ctx cancelled) before every order was sent
	// Done: an earlier pass had finished this file (its batch is Done) and
	// only its move to archive/ was left; nothing was read, sent or written.
	Done bool
	// Outages lists the carriers that could not take some orders (refused
	// credentials, unreachable, busy, reference data unread): those rows are
	// not_submitted and the file should be kept for a later pass (NeedsRetry).
	Outages []Outage
	// Attention holds the first MaxAttentionRows rows that are invalid,
	// rejected, conflict or in_doubt, in file order (for notifications).
	Attention []RowNote
	// Warned holds the first MaxAttentionRows rows counted in Warnings, in
	// file order, each with its warnings only (for notifications).
	Warned []RowNote
}

// MaxAttentionRows bounds Summary.Attention; Counts has the full numbers.
const MaxAttentionRows = 500

// RowNote is one report row a person must look at.
type RowNote struct {
	Sheet    string // "" for a CSV
	Row      int    // the spreadsheet's row number
	OrderRef string // the row's order_ref; "" when it has none
	Status   string
	Message  string
}

// needsPerson reports whether a row status asks a person to act.
func needsPerson(status string) bool {
	return status == Invalid || status == Rejected || status == Conflict || status == InDoubt
}

// NeedsAttention reports whether any row is in a status a person must look at.
func (s *Summary) NeedsAttention() bool {
	for st, n := range s.Counts {
		if n > 0 && st != Submitted && st != AlreadySubmitted {
			return true
		}
	}
	return false
}

// Line is the one-line summary printed per file.
func (s *Summary) Line() string {
	unit := "rows"
	if s.Rows == 1 {
		unit = "row"
	}
	if s.Done {
		return display.Line(fmt.Sprintf("%s: processed by an earlier pass (%d %s); only its move to archive was left → %s", s.File, s.Rows, unit, s.Report))
	}
	line := fmt.Sprintf("%s: %d %s", s.File, s.Rows, unit)
	for _, st := range Statuses {
		if n := s.Counts[st]; n > 0 {
			line += fmt.Sprintf(", %d %s", n, st)
		}
	}
	if s.Warnings > 0 {
		line += fmt.Sprintf(", %d with warnings", s.Warnings)
	}
	if s.Interrupted {
		line += " (interrupted: the rest is sent by the next run)"
	}
	line += " → " + s.Report
	if s.ToFixErr != nil {
		line += fmt.Sprintf(" (no to-fix file: %v)", s.ToFixErr)
	}
	return display.Line(line) // a file name is the user's: no bidi control or line break reaches the terminal
}

// FileError is returned when the file as a whole can't be used (unreadable,
// damaged, no recognisable order kind). The caller moves it to failed/ with
// the message, which says what to do.
type FileError struct {
	File string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("%s: %v", e.File, e.Err) }
func (e *FileError) Unwrap() error { return e.Err }

// Process runs one file through the pipeline. Cancelling ctx is a graceful
// stop: no new order is started, orders in flight finish (bounded by the
// carrier timeouts), the report is written with the rest not_submitted and
// Summary.Interrupted set. An error other than *FileError is an internal
// failure (the ledger could not be written): the file should stay where it is.
func Process(ctx context.Context, path string, opts Options) (*Summary, error) {
	// One read for the file's hash and format; the first pass and the
	// reader then read it once each, without hashing it again (Options.SHA256).
	sum, format, err := identify(path)
	if err != nil {
		return nil, &FileError{File: opts.source(path), Err: err}
	}
	if opts.Resume && opts.Ledger != nil {
		s, err := doneEarlier(path, sum, opts)
		if s != nil || err != nil {
			return s, err
		}
	}
	p, err := newPass(path, sum, format, opts)
	if err != nil {
		return nil, err
	}
	if err := p.run(ctx); err != nil {
		return nil, p.failed(err)
	}
	s, err := p.finish()
	if err != nil {
		return nil, err
	}
	s.Outages = p.outageList()
	return s, nil
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) concurrency(k order.Kind) int {
	if n := o.Concurrency[k]; n > 0 {
		return n
	}
	return 4
}

func (o *Options) source(path string) string {
	if o.Source != "" {
		return o.Source
	}
	return filepath.Base(path)
}

// errLedger marks ledger failures, which stop the pass.
var errLedger = errors.New("ledger")
