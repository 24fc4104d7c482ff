package web

import (
	"context"
	"errors"
	"time"
)

var (
	// ErrNotFound is returned by a Source when the batch or order asked for
	// does not exist; the page answers 404.
	ErrNotFound = errors.New("not found")

	// ErrBusy is returned by a Source when its data cannot be read right now
	// (another orderdrop command holds the ledger); the page answers 503 and
	// asks to reload in a moment.
	ErrBusy = errors.New("busy")

	// ErrUnavailable is returned by a Source's OpenOrders or Attention when
	// this installation does not provide that list; the page says so rather
	// than showing an empty (falsely reassuring) list.
	ErrUnavailable = errors.New("not available")
)

// Source is what the page reads. Every method is a short read: the page
// must never keep the daemon's passes from writing.
type Source interface {
	// Batches returns the newest batches first, at most limit of them.
	Batches(ctx context.Context, limit int) ([]BatchSummary, error)
	// Batch returns one batch with its rows, or ErrNotFound.
	Batch(ctx context.Context, id string) (*BatchDetail, error)
	// Order returns one order's history, or ErrNotFound.
	Order(ctx context.Context, key string) (*OrderDetail, error)
	// OpenOrders returns the orders submitted and not yet completed at
	// their carrier, or ErrUnavailable.
	OpenOrders(ctx context.Context) ([]OpenOrder, error)
	// Attention returns what needs a person, or ErrUnavailable.
	Attention(ctx context.Context) ([]AttentionItem, error)
}

// BatchSummary is one input file's pass, as the batch list shows it.
type BatchSummary struct {
	ID       string
	File     string // the input's name as dropped
	Report   string // the report's file name in the reports folder; "" when there is none to download
	Started  time.Time
	Finished time.Time      // zero while the pass runs
	Counts   map[string]int // rows per report status
	// Interrupted: the pass stopped before every order was sent; the next
	// pass resumes the file.
	Interrupted bool
}

// BatchDetail is a batch with its rows.
type BatchDetail struct {
	BatchSummary
	Rows []Row
	// Note explains where the rows come from when it is not the report
	// (for example "the report is gone: rows from the ledger"); "" = none.
	Note string
}

// Row is one input row and its outcome, as in the report.
type Row struct {
	Sheet            string // "" for a CSV input
	Num              int    // spreadsheet row number (header = 1)
	Ref              string // the row's order_ref; "" when it has none
	Status           string // submitted, already_submitted, invalid, …
	CarrierReference string
	Message          string
	SubmittedAt      time.Time
	OrderKey         string  // the ledger order the row belongs to; "" when none (invalid rows)
	Cells            []Field // the input's cells, by header
}

// Field is one named value.
type Field struct {
	Name, Value string
}

// OrderDetail is everything known about one order.
type OrderDetail struct {
	Key, Kind, Carrier, Ref string
	State                   string
	Reference               string // the carrier's reference
	Message                 string
	BatchID                 string // the batch that last touched it
	SubmittedAt             time.Time
	Fields                  []Field // the normalised request, sorted by name
	History                 []Event // oldest first
	Tracking                []Stage // the carrier's progress, oldest first; nil when not tracked
}

// Event is one step of an order's history in the ledger.
type Event struct {
	At        time.Time
	State     string
	Reference string
	Message   string
	By        string
	Attempts  int // requests it took; 0 = not recorded
}

// Stage is one step of an order at its carrier, as tracking saw it.
type Stage struct {
	At     time.Time
	Stage  string
	Detail string
}

// OpenOrder is an order the carrier accepted and has not completed yet.
type OpenOrder struct {
	Key, Kind, Carrier, Ref string
	Reference               string    // the carrier's reference
	Stage                   string    // the last stage tracking saw
	Submitted               time.Time // when the carrier accepted it
	Checked                 time.Time // when tracking last asked the carrier; zero = not asked yet
	Detail                  string    // the carrier's word and message
}

// AttentionItem is something a person must act on.
type AttentionItem struct {
	Key     string // the order's key; "" when the item is not an order (a failed file)
	Ref     string
	What    string // in_doubt, rejected, conflict, failed file, …
	Detail  string // what happened
	Action  string // what to do next; "" when Detail says it
	Since   time.Time
	BatchID string // "" when not tied to a batch
}
