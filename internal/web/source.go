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
// must never keep the daemon's passes from writing, nor hold more than the
// rows it shows.
type Source interface {
	// Batches returns the newest batches first, at most limit of them.
	Batches(ctx context.Context, limit int) ([]BatchSummary, error)
	// Batch returns one batch with the page of its rows q asks for, or
	// ErrNotFound. The rows are read one after the other and only those
	// of the page are kept.
	Batch(ctx context.Context, id string, q RowQuery) (*BatchDetail, error)
	// Order returns one order's history, or ErrNotFound.
	Order(ctx context.Context, key string) (*OrderDetail, error)
	// OpenOrders returns the orders submitted and not yet completed at
	// their carrier, oldest submission first: at most limit of them from
	// the offset-th on, and how many there are in all; or ErrUnavailable.
	OpenOrders(ctx context.Context, offset, limit int) ([]OpenOrder, int, error)
	// Attention returns what needs a person, or ErrUnavailable.
	Attention(ctx context.Context) ([]AttentionItem, error)
}

// RowQuery is the page of a batch's rows to keep: of the rows Keep
// accepts, in report order, at most Limit from the Offset-th on (0-based).
type RowQuery struct {
	// Keep reports whether the row passes the page's filters. nil = every
	// row. Its Row.OrderKey may be a guess (the key the row's order would
	// have); the Source checks it in the ledger for the rows it keeps.
	Keep   func(Row) bool
	Offset int
	Limit  int // 0 = no row kept (the counts only)
}

// Page returns the rows of a batch a Source keeps for q while it reads them
// one after the other: call Add with each row, then Rows. It counts every
// row and those Keep accepts, and never holds more than q.Limit rows.
type Page struct {
	q       RowQuery
	rows    []Row
	Matched int // rows Keep accepted so far
	Total   int // rows added so far
}

// NewPage starts the page q asks for.
func NewPage(q RowQuery) *Page { return &Page{q: q} }

// Add counts r and keeps it when it is on the page.
func (p *Page) Add(r Row) {
	p.Total++
	if p.q.Keep != nil && !p.q.Keep(r) {
		return
	}
	if p.Matched >= p.q.Offset && len(p.rows) < p.q.Limit {
		p.rows = append(p.rows, r)
	}
	p.Matched++
}

// Rows returns the rows kept.
func (p *Page) Rows() []Row { return p.rows }

// BatchSummary is one input file's pass, as the batch list shows it.
type BatchSummary struct {
	ID     string
	File   string // the input's name as dropped
	Report string // the report's file name in the reports folder; "" when there is none to download
	// ToFix is the to-fix file's name in the reports folder: the rows to
	// correct and drop again. "" = none.
	ToFix    string
	Started  time.Time
	Finished time.Time      // zero while the pass runs
	Counts   map[string]int // rows per report status
	// Interrupted: the pass stopped before every order was sent; the next
	// pass resumes the file.
	Interrupted bool
}

// BatchDetail is a batch with one page of its rows.
type BatchDetail struct {
	BatchSummary
	Rows    []Row // the page of rows RowQuery asked for
	Matched int   // rows that pass RowQuery.Keep
	Total   int   // rows read
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
	Stage            string  // the order's last stage at its carrier ("cancelled"); "" before tracking saw it
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
	Stage                   string  // the last stage at the carrier; "" before tracking saw it
	// Attempts are the earlier sendings of the order its carrier turned
	// down, oldest first; nil for an order sent once.
	Attempts []Attempt
}

// Attempt is an earlier sending of an order that its carrier turned down.
type Attempt struct {
	N         int
	Reference string    // the carrier's reference of that attempt; "" when rejected at submission
	Outcome   string    // "rejected", "cancelled"
	Reason    string    // the carrier's words
	At        time.Time // when orderdrop learnt it
}

// Current is the number of the order's latest attempt.
func (d *OrderDetail) Current() int { return len(d.Attempts) + 1 }

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
	Stage                   string    // the last stage tracking saw, with its date ("scheduled 2026-12-01")
	StageName               string    // the stage alone ("scheduled"), for its colour; "" = not asked yet
	Submitted               time.Time // when the carrier accepted it
	Checked                 time.Time // when tracking last asked the carrier; zero = not asked yet
	Detail                  string    // the carrier's word and message
}

// AttentionItem is something a person must act on.
type AttentionItem struct {
	ID      string // the item's id, for `orderdrop attention ack ID`; "" = none
	Key     string // the order's key; "" when the item is not an order (a failed file)
	Ref     string
	What    string // in_doubt, rejected, conflict, failed file, …
	Detail  string // what happened
	Action  string // what to do next; "" when Detail says it
	Since   time.Time
	BatchID string // "" when not tied to a batch
}
