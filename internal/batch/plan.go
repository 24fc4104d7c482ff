package batch

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// rowState is what the report says of one row.
type rowState struct {
	status, reference, message string
	// lazy, when set, gives the message as the report row is written (see
	// text): a validate-only message lists every normalised field, and
	// holding it for every row until the report was a quarter of the
	// live memory of a 100,000-row file.
	lazy    func() string
	at      time.Time
	settled bool
}

// text is the row's message.
func (st *rowState) text() string {
	if st.lazy != nil {
		return st.lazy()
	}
	return st.message
}

// table is one sheet with its validation result and row states.
type table struct {
	t     *sheet.Table
	res   *order.Result
	rows  []rowState  // same order as t.Records
	index map[int]int // Record.Num → index in rows
}

// item is one valid order on its way to the carrier.
type item struct {
	o     *order.Order
	tab   *table
	prior *ledger.Order // nil when the ledger has never seen the key
}

// pass holds the state of one Process call.
type pass struct {
	path   string
	opts   Options
	wb     *sheet.Workbook
	tables []*table
	send   map[order.Kind][]*item
	start  time.Time
	batch  *ledger.Batch
	report string // the report's path, once startBatch chose it

	mu          sync.Mutex // guards rows' states, done and interrupted once submission starts
	done, total int
	interrupted bool

	avail availability // carriers stopped or unavailable (outage.go)
}

func newPass(path string, opts Options) (*pass, error) {
	p := &pass{path: path, opts: opts, start: opts.now(), send: map[order.Kind][]*item{}}
	p.avail.stops = opts.Stops
	if p.avail.stops == nil {
		p.avail.stops = NewStops()
	}
	src := opts.source(path)
	wb, parsers, err := readChecking(path, opts.Order)
	if err != nil {
		return nil, &FileError{File: src, Err: err}
	}
	p.wb = wb
	for _, t := range orderSheets(wb.Sheets) {
		if len(t.Records) == 0 {
			continue // an empty sheet or a header alone: nothing to order
		}
		kind, err := order.DetectKind(t.Name, t.Header)
		if err != nil {
			if t.Name != "" {
				err = fmt.Errorf("sheet %q: %w", t.Name, err)
			}
			return nil, &FileError{File: src, Err: err}
		}
		var res *order.Result
		if ps := parsers[t]; ps != nil && ps.kind == kind {
			res = ps.p.Result()
		} else {
			res = order.Parse(t, kind, opts.Order)
		}
		tab := &table{t: t, res: res, rows: make([]rowState, len(t.Records)), index: make(map[int]int, len(t.Records))}
		for i, r := range t.Records {
			tab.index[r.Num] = i
		}
		p.tables = append(p.tables, tab)
		p.total += len(t.Records)
	}
	if len(p.tables) == 0 {
		return nil, &FileError{File: src, Err: fmt.Errorf("no order rows found: the file needs a header row naming the columns and at least one row below it")}
	}
	return p, nil
}

// orderSheets picks the sheets that hold orders: every sheet named after a
// kind ("fr-port", "ca-port", "l2") when there is one, else the first sheet
// (its kind then comes from its header). Other sheets — notes, lists for
// dropdowns — are left alone.
func orderSheets(sheets []*sheet.Table) []*sheet.Table {
	var named []*sheet.Table
	for _, t := range sheets {
		if order.KindFromName(t.Name) != "" {
			named = append(named, t)
		}
	}
	if len(named) > 0 || len(sheets) == 0 {
		return named
	}
	return sheets[:1]
}

// plan settles invalid rows, applies all-or-nothing, and looks every valid
// order up in the ledger to decide what is sent.
func (p *pass) plan() error {
	invalid := map[order.Kind]int{}
	for _, tab := range p.tables {
		for i, rr := range tab.res.Rows {
			if !rr.Valid() {
				invalid[tab.res.Kind]++
				p.settle(tab, i, rowState{status: Invalid, message: rr.Message()})
			}
		}
	}
	var items []*item
	seen := map[string]string{} // key → where it was first seen in this file
	for _, tab := range p.tables {
		kind := tab.res.Kind
		for _, o := range tab.res.Orders {
			where := rowsWhere(tab, o)
			if first, dup := seen[o.Key]; dup {
				p.settleOrder(tab, o, rowState{status: Invalid, message: fmt.Sprintf("order_ref: same order as %s (key %s)", first, o.Key)})
				continue
			}
			seen[o.Key] = where
			switch {
			case p.opts.AllOrNothing != nil && p.opts.AllOrNothing(kind) && invalid[kind] > 0:
				p.settleOrder(tab, o, rowState{status: NotSubmitted, message: fmt.Sprintf(
					"not sent: %s is all-or-nothing and this file has %d invalid %s row(s); correct them and drop the whole file again", kind, invalid[kind], kind)})
			case p.opts.Ledger == nil:
				p.settleOrder(tab, o, rowState{status: NotSubmitted, lazy: func() string {
					return notes(tab, o, "valid; not sent (validation only); would send "+normalised(o))
				}})
			case p.opts.Carriers[kind] == nil:
				p.settleOrder(tab, o, rowState{status: NotSubmitted, message: fmt.Sprintf(
					"not sent: carrier %s is not configured (set carriers.%s.base_url and its credentials)", kind.Carrier(), kind.Carrier())})
			default:
				items = append(items, &item{o: o, tab: tab})
			}
		}
	}
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
		p.send[it.o.Kind] = append(p.send[it.o.Kind], it)
	}
	return nil
}

// decide returns the row state of an order the ledger already knows, or
// ok=false when the order is to be sent.
func (p *pass) decide(it *item) (rowState, bool) {
	prev := it.prior
	if prev == nil {
		return rowState{}, false
	}
	when := prev.SubmittedAt
	if when.IsZero() && len(prev.History) > 0 {
		when = prev.History[len(prev.History)-1].At
	}
	day := when.Format("2006-01-02 15:04 MST")
	switch prev.State {
	case ledger.Submitted:
		if prev.Fingerprint == it.o.Fingerprint {
			return rowState{status: AlreadySubmitted, reference: prev.Reference, at: prev.SubmittedAt,
				message: fmt.Sprintf("submitted on %s (batch %s); nothing sent again", day, prev.BatchID) + stageNote(prev)}, true
		}
		return rowState{status: Conflict, reference: prev.Reference, message: fmt.Sprintf(
			"%s was submitted on %s (reference %s) with other values: %s differ; nothing sent. Use a new order_ref for a new order",
			refOrKey(it.o), day, prev.Reference, strings.Join(order.Diff(prev.Fields, it.o.Fields()), ", "))}, true
	case ledger.Submitting, ledger.InDoubt:
		return rowState{status: InDoubt, reference: prev.Reference, message: inDoubtMessage(prev, it.o.Kind.Carrier(), it.o.Key)}, true
	case ledger.Rejected:
		if prev.Fingerprint == it.o.Fingerprint {
			return rowState{status: Rejected, message: fmt.Sprintf(
				"rejected by %s on %s: %s — nothing was created; correct the row to send it again", it.o.Kind.Carrier(), day, prev.Message)}, true
		}
	}
	return rowState{}, false // new content after a rejection, not_submitted, retryable: send
}

// normalised lists the order's normalised fields, as they would be sent.
func normalised(o *order.Order) string {
	fields := o.Fields()
	names := make([]string, 0, len(fields))
	for k, v := range fields {
		if v != "" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for i, k := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(fields[k])
	}
	return b.String()
}

func refOrKey(o *order.Order) string {
	if o.Ref != "" {
		return "order_ref " + o.Ref
	}
	return "this order (" + o.Key + ")"
}

// notes adds the order's repair notes (e.g. a restored leading zero) to msg.
func notes(tab *table, o *order.Order, msg string) string {
	var ns []string
	for _, n := range o.Rows {
		if i, ok := tab.index[n]; ok {
			ns = append(ns, tab.res.Rows[i].Notes...)
		}
	}
	if len(ns) == 0 {
		return msg
	}
	return msg + "; " + strings.Join(dedupe(ns), "; ")
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func rowsWhere(tab *table, o *order.Order) string {
	rows := append([]int(nil), o.Rows...)
	sort.Ints(rows)
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = fmt.Sprint(r)
	}
	where := "row " + strings.Join(parts, ", ")
	if tab.t.Name != "" {
		where = fmt.Sprintf("sheet %q %s", tab.t.Name, where)
	}
	return where
}

// settle records the state of row i of tab (caller holds p.mu once
// submission runs concurrently).
func (p *pass) settle(tab *table, i int, st rowState) {
	if !tab.rows[i].settled {
		p.done++
	}
	st.settled = true
	tab.rows[i] = st
	if p.opts.Progress != nil {
		p.opts.Progress(p.done, p.total)
	}
}

func (p *pass) settleOrder(tab *table, o *order.Order, st rowState) {
	for _, n := range o.Rows {
		if i, ok := tab.index[n]; ok {
			p.settle(tab, i, st)
		}
	}
}

// stageNote is what tracking last learnt of a submitted order, for the
// report of a re-dropped row: "; carrier stage: scheduled for 2026-12-01
// (CONFIRMED), checked 2026-11-24 10:00 UTC". "" before the first look-up.
func stageNote(o *ledger.Order) string {
	t := o.Track
	if t == nil || t.Stage == "" {
		return ""
	}
	s := "; carrier stage: " + string(t.Stage)
	if t.Date != "" {
		s += " for " + t.Date
	}
	if t.Status != "" {
		s += " (" + t.Status + ")"
	}
	if t.Message != "" {
		s += ": " + t.Message
	}
	if !t.Checked.IsZero() {
		s += ", checked " + t.Checked.Format("2006-01-02 15:04 MST")
	}
	if t.Stage == ledger.StageRejected {
		s += " — correct the order and send it under a new order_ref"
	}
	return s
}
