package batch

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// The pass streams a file through four stages running at once:
//
//   - the reader (sheet.Open) hands records over in chunks;
//   - the checker validates each chunk (order.Parser) and plans the orders
//     that became final: invalid rows, duplicates, orders the ledger knows,
//     the rest queued to their carrier;
//   - one sender per kind (sendKind) marks orders submitting, sends them
//     and records their outcomes;
//   - the reporter writes each row to the report once it and every row
//     before it have settled, and then forgets its cells.
//
// The queues between them are bounded, so a file is held only as far as
// the slowest stage lags: the reader waits for the checker, the checker
// for the senders. Sending starts once the first pass (firstPass) has
// read the file's layout: every order sheet's kind, how many rows carry
// each order_ref, and each sheet's size. Without it (the first pass failed)
// nothing is sent and no report row written before the whole file is read,
// as a damaged file must send nothing.

// chunkQueue is how many chunks of read records may wait for their checks;
// beyond it the read waits, so the records in flight stay bounded.
const chunkQueue = 4

// maxRows is the most data rows a sheet may hold, for the first pass and
// the reader alike; 0 = the reader's default (sheet.DefaultMaxRows). Tests
// make it small.
var maxRows = 0

// chunkRows is how many records are checked at a time; 0 = the reader's
// default (sheet.DefaultChunkRows). Tests make it small.
var chunkRows = 0

// onRead and onChecked, when set by a test, are called as each chunk has
// been read and after it has been checked, with the number of its first
// row. nil = no calls.
var onRead, onChecked func(firstRow int)

// item is one valid order on its way to the carrier.
type item struct {
	o     *order.Order
	tab   *table
	notes []string      // repairs made to its rows' values
	prior *ledger.Order // nil when the ledger has never seen the key
}

// pass holds the state of one Process call.
type pass struct {
	path    string
	opts    Options
	ctx     context.Context // the pass's: cancelled = a graceful stop
	start   time.Time
	sha     string
	format  sheet.Format
	delim   rune
	lay     *layout       // nil: no first pass; set before layDone is closed
	layErr  error         // the first pass refused the file; set before layDone is closed
	layDone chan struct{} // closed once the first pass is over
	batch   *ledger.Batch
	report  string // the report's path, once chosen

	mu          sync.Mutex // guards the tables and their rows, done, total, interrupted, gate, readEnd, abort, repFailed
	cond        *sync.Cond // on mu: a row settled, a table began or ended, the gate opened, the read ended
	tables      []*table
	done, total int
	interrupted bool
	gate        bool // sending and the report may start
	readEnd     bool // every table has been read and checked
	abort       bool // the file failed: the report is not written
	repFailed   bool // the report could not be written: nobody writes rows any more

	// The checker's own state.
	invalid    map[*table]int       // invalid rows per table (all-or-nothing)
	seen       map[string]firstSeen // key → the order of this file that first had it
	keys       []string             // the file's orders' keys, for the batch
	waiting    []*item              // planned before the gate opened
	later      []planned            // orders of all-or-nothing kinds: planned at the end
	holds      []ledger.Hold        // the all-or-nothing holds planLater made, for the batch
	orderNames map[string]bool      // the sheets holding orders (orderSheets), known before the first chunk
	kindErr    *FileError           // an order sheet whose kind cannot be told
	queues     map[order.Kind]chan *item
	// senders runs one sender per kind (sendKind); the first ledger
	// failure of one cancels sendCtx, which stops the others.
	senders *errgroup.Group
	sendCtx context.Context
	marked  atomic.Int64 // orders marked submitting

	avail availability // carriers stopped or unavailable (outage.go)

	// The reporter's own state.
	writer     *sheet.ReportWriter
	fix        *sheet.FixWriter // the to-fix file, beside the report
	counts     map[string]int
	warned     int       // rows written with a warning
	warnedRows []RowNote // the first MaxAttentionRows of them
	attention  []RowNote
}

// firstSeen is where a key was first seen in a file.
type firstSeen struct {
	tab  *table
	rows []int // the order's rows, not the order: it is not kept
}

// planned is an order of an all-or-nothing kind waiting for the end of the
// file, when its kind's invalid rows are known.
type planned struct {
	tab   *table
	o     *order.Order
	notes []string
}

// newPass prepares the pass over the file at path, whose content hashes
// to sum and whose format is format (sheet.Identify).
func newPass(path, sum string, format sheet.Format, opts Options) (*pass, error) {
	p := &pass{path: path, opts: opts, start: opts.now(), invalid: map[*table]int{}, seen: map[string]firstSeen{},
		queues: map[order.Kind]chan *item{}, counts: map[string]int{}}
	p.cond = sync.NewCond(&p.mu)
	p.avail.stops = opts.Stops
	if p.avail.stops == nil {
		p.avail.stops = NewStops()
	}
	p.sha, p.format = sum, format
	return p, nil
}

// run streams the file through the pass. A *FileError means the file
// cannot be used (no report is written); another error is internal.
func (p *pass) run(ctx context.Context) error {
	p.ctx = ctx
	p.senders, p.sendCtx = errgroup.WithContext(ctx)
	// The first pass runs while the reader starts: the checker waits for
	// it before its first rows (layoutReady), so the two overlap by as
	// much as the reader may run ahead.
	p.layDone = make(chan struct{})
	go func() { // ends with the first pass
		defer close(p.layDone)
		p.lay, p.layErr = p.firstPass()
	}()
	chunks := make(chan chunk, chunkQueue)
	var (
		readErr error
		reader  sync.WaitGroup
		rep     sync.WaitGroup
		repErr  error
	)
	reader.Go(func() { // ends at the end of the file, or at its first error
		defer close(chunks)
		_, readErr = openSheet(p.path, sheet.Options{SHA256: p.sha, MaxRows: maxRows, ChunkRows: chunkRows, DropRecords: true, OnSheets: func(names []string) {
			p.orderNames = map[string]bool{}
			for _, n := range orderSheets(names) {
				p.orderNames[n] = true
			}
		}, OnRows: func(t *sheet.Table, recs []sheet.Record) {
			if onRead != nil {
				onRead(recs[0].Num)
			}
			chunks <- chunk{t: t, recs: recs}
		}})
	})
	rep.Go(func() { repErr = p.reporter() }) // ends once every row is written, or on abort

	checkErr := p.check(ctx, chunks) // returns once the reader has closed chunks
	reader.Wait()
	err := p.endRead(readErr, checkErr) // every sender done when it returns
	rep.Wait()
	if err != nil {
		return err
	}
	return repErr
}

// chunk is records of one table, as the reader hands them over.
type chunk struct {
	t    *sheet.Table
	recs []sheet.Record
}
