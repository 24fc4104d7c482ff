package batch

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/orderdrop/orderdrop/internal/carrier/registry"

	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// maxReportLag is how many rows read may wait for the reporter before the
// checker waits for it.
const maxReportLag = 4096

// check is the checker stage: it validates each chunk the reader hands
// over and plans what became final. It returns once chunks is closed,
// having drained it; an error is a ledger failure (after which chunks are
// drained without being checked).
func (p *pass) check(ctx context.Context, chunks <-chan chunk) error {
	var (
		cur *sheet.Table
		tab *table
		err error
	)
	for c := range chunks {
		if err != nil {
			continue // drain: the reader must not block
		}
		if cur == nil {
			if err = p.layoutReady(); err != nil {
				continue
			}
		}
		if c.t != cur {
			if err = p.endTable(ctx, tab); err != nil {
				continue
			}
			cur, tab = c.t, p.startTable(c.t)
		}
		if tab == nil {
			continue // not an order sheet
		}
		p.mu.Lock()
		// The reporter lags (a report row costs more than checking it):
		// wait for it, so that the rows held stay bounded. Never when it
		// cannot go on: before the gate opens, or when its next row waits
		// for an order still being read.
		for p.gate && !p.abort && !p.repFailed && len(tab.queue) > maxReportLag && tab.queue[0].st.settled {
			p.cond.Wait()
		}
		if p.repFailed {
			tab.rows += len(c.recs) // no report to hold them for; the pass still sends and records
		} else {
			tab.add(c.recs)
		}
		if p.lay == nil || tab.size.LastRow == 0 {
			p.total += len(c.recs)
		}
		p.mu.Unlock()
		f := tab.parser.Add(c.recs)
		if onChecked != nil {
			onChecked(c.recs[0].Num)
		}
		if f.Err != nil { // the first pass's counts were wrong: send nothing more
			err = &FileError{File: p.opts.source(p.path), Err: inSheet(c.t.Name, f.Err)}
			continue
		}
		err = p.plan(ctx, tab, f)
	}
	if err == nil {
		err = p.endTable(ctx, tab)
	}
	return err
}

// inSheet names the sheet (an XLSX one; a CSV's is "") in err.
func inSheet(name string, err error) error {
	if name == "" {
		return err
	}
	return fmt.Errorf("sheet %q: %w", display.Line(name), err)
}

// layoutReady waits for the first pass and, when it read the file's
// layout, opens the gate: sending may start. A file the first pass refused
// gives its *FileError: nothing is sent. Called again, it does nothing more.
func (p *pass) layoutReady() error {
	<-p.layDone
	if p.layErr != nil {
		return p.layErr
	}
	if p.lay == nil || p.gateOpen() {
		return nil
	}
	return p.openGate()
}

// startTable begins a sheet: an order sheet gets its table (and parser),
// any other sheet nil. An order sheet whose kind cannot be told fails the
// file (p.kindErr) once it is read.
func (p *pass) startTable(t *sheet.Table) *table {
	var (
		kind   order.Kind
		counts order.RefCounts
		size   sheet.SheetSize
	)
	if !p.orderNames[t.Name] {
		return nil
	}
	if sp := p.lay.sheet(t.Name); sp != nil {
		kind, counts, size = sp.kind, sp.counts, sp.size
	} else {
		k, err := order.DetectKind(t.Name, t.Header)
		if err != nil {
			if t.Name != "" {
				err = fmt.Errorf("sheet %q: %w", t.Name, err)
			}
			if p.kindErr == nil {
				p.kindErr = &FileError{File: p.opts.source(p.path), Err: err}
			}
			return nil
		}
		kind = k
	}
	tab := newTable(t, kind, order.NewParser(kind, t.Header, p.opts.Order, counts), size)
	p.mu.Lock()
	if t.Delimiter != 0 {
		p.delim = t.Delimiter
	}
	p.tables = append(p.tables, tab)
	if size.LastRow > 0 {
		p.total += size.Rows
	}
	p.cond.Broadcast()
	p.mu.Unlock()
	return tab
}

// endTable plans the groups still open at the end of a sheet and marks it
// read. nil tab: nothing to do.
func (p *pass) endTable(ctx context.Context, tab *table) error {
	if tab == nil {
		return nil
	}
	err := p.plan(ctx, tab, tab.parser.Close())
	p.mu.Lock()
	if tab.size.Rows > 0 { // the first pass's bound: now the real count
		p.total += tab.rows - tab.size.Rows
	}
	tab.readDone = true
	p.cond.Broadcast()
	p.mu.Unlock()
	return err
}

// noteWarnings marks the slots of the rows that carry warnings, for the
// report's count.
func (p *pass) noteWarnings(tab *table, rows []order.RowResult) {
	for i := range rows {
		if len(rows[i].Warnings) == 0 {
			continue
		}
		p.mu.Lock()
		if s := tab.index[rows[i].Num]; s != nil {
			s.warnings = rows[i].WarningTexts()
		}
		p.mu.Unlock()
	}
}

// plan settles the rows of f that are invalid and decides, for each valid
// order, whether it is sent: duplicates in the file, all-or-nothing kinds
// (held until the end), validation only, carriers not configured, and
// what the ledger already knows.
func (p *pass) plan(ctx context.Context, tab *table, f order.Final) error {
	byRow := make(map[int][]string, len(f.Rows))
	p.noteWarnings(tab, f.Rows)
	for _, rr := range f.Rows {
		if !rr.Valid() {
			p.invalid[tab]++
			p.settleOrder(tab, &order.Order{Rows: []int{rr.Num}}, rowState{status: Invalid, message: rr.Message()})
			continue
		}
		if len(rr.Notes) > 0 || len(rr.Warnings) > 0 { // a warning goes with the row, as a note does
			byRow[rr.Num] = append(rr.WarningTexts(), rr.Notes...)
		}
	}
	var todo []*item
	for _, o := range f.Orders {
		var ns []string
		for _, n := range o.Rows {
			ns = append(ns, byRow[n]...)
		}
		ns = dedupe(ns)
		o.Key = ledger.KeyIn(p.opts.Places[o.Kind].Environment, o.Key)
		if first, dup := p.seen[o.Key]; dup {
			p.settleOrder(tab, o, rowState{status: Invalid, message: fmt.Sprintf("order_ref: same order as %s (key %s)", rowsWhere(first.tab, first.rows), o.Key)})
			continue
		}
		p.seen[o.Key] = firstSeen{tab: tab, rows: o.Rows}
		p.keys = append(p.keys, o.Key)
		if p.opts.AllOrNothing != nil && p.opts.AllOrNothing(o.Kind) {
			p.later = append(p.later, planned{tab: tab, o: o, notes: ns})
			continue
		}
		if it := p.route(tab, o, ns); it != nil {
			todo = append(todo, it)
		}
	}
	return p.lookup(ctx, todo)
}

// route settles an order that is not sent (validation only, carrier not
// configured) or returns its item, to look up in the ledger.
func (p *pass) route(tab *table, o *order.Order, ns []string) *item {
	it := &item{o: o, tab: tab, notes: ns}
	switch {
	case p.opts.Ledger == nil:
		p.settleOrder(tab, o, rowState{status: NotSubmitted, lazy: func() string {
			return notes(it, "valid; not sent (validation only); would send "+o.Normalised())
		}})
	case p.opts.Carriers[o.Kind] == nil:
		p.settleOrder(tab, o, rowState{status: NotSubmitted, message: fmt.Sprintf(
			"not sent: carrier %s is not configured (set carriers.%s.base_url and its credentials)", registry.CarrierOf(o.Kind), registry.CarrierOf(o.Kind))})
	default:
		return it
	}
	return nil
}

// lookup looks items up in the ledger, settles those it already knows or
// that are held back, and queues the rest to their senders (or keeps them
// until the gate opens).
func (p *pass) lookup(ctx context.Context, items []*item) error {
	if len(items) == 0 {
		return nil
	}
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.o.Key
	}
	prior, err := p.opts.Ledger.Lookup(keys)
	if err != nil {
		return fmt.Errorf("%w: look up %d orders: %w", errLedger, len(keys), err)
	}
	for _, it := range items {
		it.prior = prior[it.o.Key]
		if st, ok := p.decide(it); ok {
			p.settleOrder(it.tab, it.o, st)
			continue
		}
		if st, ok := p.held(it); ok { // carrier stopped for the pass, or reference data unread
			p.settleOrder(it.tab, it.o, st)
			continue
		}
		p.enqueue(it)
	}
	return nil
}

// enqueue hands it to its kind's sender, started with the first order of
// the kind; before the gate opens it waits in p.waiting. It blocks while
// the sender's queue is full: that bounds what the pass holds.
func (p *pass) enqueue(it *item) {
	p.mu.Lock()
	open := p.gate
	p.mu.Unlock()
	if !open {
		p.waiting = append(p.waiting, it)
		return
	}
	k := it.o.Kind
	q := p.queues[k]
	if q == nil {
		q = make(chan *item, 2*inflightPerConcurrency*p.opts.concurrency(k)) // a backlog, so intents group well
		p.queues[k] = q
		p.senders.Go(func() error { // ends when q is closed (endRead) and drained
			return p.sendKind(p.sendCtx, k, q)
		})
	}
	q <- it
}

// openGate starts the batch in the ledger and lets orders be sent and
// report rows be written.
func (p *pass) openGate() error {
	if p.opts.Ledger != nil {
		if err := p.startBatch(); err != nil {
			return err
		}
	}
	p.mu.Lock()
	p.gate = true
	p.cond.Broadcast()
	p.mu.Unlock()
	return nil
}

// endRead ends the checker's work once the reader is done: without a first
// pass it opens the gate now; it plans
// the all-or-nothing kinds, lets the senders finish and marks the read
// ended. A file that cannot be used gives a *FileError and the report is
// dropped; orders already sent are recorded whatever happens.
func (p *pass) endRead(readErr, checkErr error) error {
	ctx := p.ctx
	err := checkErr
	if lerr := p.layoutReady(); err == nil { // a file without rows: no chunk waited for it
		err = lerr
	}
	if err == nil && readErr != nil {
		err = &FileError{File: p.opts.source(p.path), Err: readErr}
	}
	if err == nil && p.kindErr != nil {
		err = p.kindErr
	}
	if err == nil && len(p.tables) == 0 {
		err = &FileError{File: p.opts.source(p.path), Err: fmt.Errorf("no order rows found: the file needs a header row naming the columns and at least one row below it")}
	}
	if err == nil && !p.gateOpen() {
		err = p.openGate()
	}
	if err == nil {
		waiting := p.waiting
		p.waiting = nil
		for _, it := range waiting {
			p.enqueue(it)
		}
		err = p.planLater(ctx)
	}
	if err != nil { // nothing more is sent; what was queued is not
		for _, it := range p.waiting {
			p.settleOrder(it.tab, it.o, rowState{status: NotSubmitted, message: "not sent: the file could not be read to its end"})
		}
		p.waiting = nil
	}
	for _, q := range p.queues {
		close(q)
	}
	if sendErr := p.senders.Wait(); sendErr != nil && !errors.Is(err, errLedger) {
		err = errors.Join(sendErr, err)
	}
	p.mu.Lock()
	if err != nil {
		p.abort = true
	}
	p.readEnd = true
	p.cond.Broadcast()
	p.mu.Unlock()
	return err
}

func (p *pass) gateOpen() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gate
}

// planLater plans the orders of all-or-nothing kinds: none is sent from a
// file holding an invalid row of its kind.
func (p *pass) planLater(ctx context.Context) error {
	invalid := map[order.Kind]int{}
	for tab, n := range p.invalid {
		invalid[tab.kind] += n
	}
	var todo []*item
	held := map[order.Kind]int{}
	for _, pl := range p.later {
		kind := pl.o.Kind
		if invalid[kind] > 0 {
			held[kind] += len(pl.o.Rows)
			p.settleOrder(pl.tab, pl.o, rowState{status: NotSubmitted, message: fmt.Sprintf(
				"not sent: %s is all-or-nothing and this file has %d invalid %s row(s); correct them and drop the whole file again", kind, invalid[kind], kind)})
			continue
		}
		if it := p.route(pl.tab, pl.o, pl.notes); it != nil {
			todo = append(todo, it)
		}
	}
	p.later = nil
	p.holds = nil
	for _, kind := range slices.Sorted(maps.Keys(held)) {
		p.holds = append(p.holds, ledger.Hold{Kind: string(kind), Held: held[kind], Invalid: invalid[kind], Setting: holdSetting(kind)})
	}
	return p.lookup(ctx, todo)
}

// holdSetting is the configuration key that makes kind k all-or-nothing.
func holdSetting(k order.Kind) string { return "kinds." + string(k) + ".all_or_nothing" }
