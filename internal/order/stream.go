package order

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// RefCounts tells how many rows of a table carry each order_ref, as counted
// by a first, cheap pass over the file (sheet.CountColumn). Count may give
// more than the true number (the group then waits for the end of the
// table), never less.
type RefCounts interface {
	Count(ref string) int
}

// Parser validates a table's rows as they are read, chunk by chunk, and
// hands back each row's verdict as soon as it is final, so that orders can
// be sent and report rows written while the rest of the file is still read.
//
// A row without an order_ref is final once checked: it is its own order,
// and only an earlier row can hold the same key. A row with an order_ref
// waits for the other rows of its group: with RefCounts, until as many rows
// as counted have come (at once for an order_ref used once); without, until
// Close. A file checked in chunks gives exactly the verdicts of Parse on the
// whole table.
//
// A Parser is used by one goroutine at a time; Add spreads each chunk's
// checks over the CPUs itself.
type Parser struct {
	v      *validator
	header []string
	kind   Kind
	cols   []string
	counts RefCounts

	open     map[string]*openGroup // order_ref → its rows so far, until the group is complete
	formed   map[string]int        // order_ref → first row, for groups already handed back
	firstRow map[string]int        // key → first row of the order holding it (duplicates)
	seen     map[string]int        // order_ref → rows read so far, checked against counts
	closed   bool
}

// openGroup is the rows of one order_ref read so far.
type openGroup struct {
	builds []*rowBuild
}

// Final is what became final in one Add or Close call.
type Final struct {
	// Rows are the verdicts of rows that became final, each row once over
	// all calls. A group's rows come together, sorted by row number.
	Rows []RowResult
	// Orders are the valid orders whose rows are in Rows, in order of their
	// first row within the call.
	Orders []*Order
	// Err, wrapping ErrCountMismatch, says that the call's rows hold more
	// rows of an order_ref than RefCounts counted: the counts cannot be
	// trusted, so no order of the call's rows was formed (from then on
	// groups wait for Close), and the caller must treat the file as
	// damaged and send nothing more from it. nil otherwise.
	Err error
}

// ErrCountMismatch is returned (in Final.Err, wrapped with the row and the
// order_ref) when a table holds more rows of an order_ref than the
// RefCounts given to NewParser counted: the file changed since it was
// counted, or the count was wrong. An order formed on such counts might
// lack rows, so none is formed.
var ErrCountMismatch = errors.New("more rows of an order_ref than counted")

// NewParser returns a Parser for rows of kind under header (the header
// cells as in the file). counts, when not nil, lets groups sharing an
// order_ref be handed back as soon as their last row is read.
func NewParser(kind Kind, header []string, opts Options, counts RefCounts) *Parser {
	return &Parser{
		v:        newValidator(kind, opts),
		header:   header,
		kind:     kind,
		cols:     CanonicalHeader(kind, header),
		counts:   counts,
		open:     map[string]*openGroup{},
		formed:   map[string]int{},
		firstRow: map[string]int{},
		seen:     map[string]int{},
	}
}

// Columns is the canonical column name per header index ("" for a column
// orderdrop does not know).
func (p *Parser) Columns() []string { return p.cols }

// RefColumn is the index of the order_ref column in header, or -1 when
// there is none: the column a first pass counts for NewParser's counts.
func RefColumn(kind Kind, header []string) int {
	return slices.Index(CanonicalHeader(kind, header), colOrderRef)
}

// Add checks the next records of the table, in file order, and returns
// what became final. The records' cells are read, not kept.
func (p *Parser) Add(recs []sheet.Record) Final {
	if p.closed {
		panic("order: Parser.Add after Close")
	}
	builds := p.check(recs)
	var f Final
	if p.counts != nil {
		f.Err = p.overCounted(builds)
	}
	for _, b := range builds {
		if b.ref == "" {
			p.emit(&f, []*rowBuild{b})
			continue
		}
		if first, done := p.formed[b.ref]; done {
			// The first pass counted fewer rows than came: the order was
			// formed without this row. Never add it to an order already
			// handed back (it may be sent).
			b.chk.fail(colOrderRef, fmt.Sprintf("order %s was already formed from its rows from row %d on before this row was read; give this row its own order_ref, or put every row of the order in one file and drop it again", b.ref, first))
			b.order = nil
			p.emit(&f, []*rowBuild{b})
			continue
		}
		g := p.open[b.ref]
		if g == nil {
			// A cell's text shares its row's memory: keep a copy, not the row.
			b.ref = strings.Clone(b.ref)
			g = &openGroup{}
			p.open[b.ref] = g
		}
		g.builds = append(g.builds, b)
		if p.counts != nil && len(g.builds) >= p.counts.Count(b.ref) {
			delete(p.open, b.ref)
			p.formed[g.builds[0].ref] = g.builds[0].num
			p.emit(&f, g.builds)
		}
	}
	return f
}

// overCounted counts the rows of each order_ref in builds and, when one
// has more rows than p.counts counted, drops the counts (every group then
// waits for Close) and returns an error naming its first row beyond them.
// It runs on a whole chunk before any of its groups forms.
func (p *Parser) overCounted(builds []*rowBuild) error {
	for _, b := range builds {
		if b.ref == "" {
			continue
		}
		n, ok := p.seen[b.ref]
		if !ok {
			b.ref = strings.Clone(b.ref) // a cell's text shares its row's memory
		}
		p.seen[b.ref] = n + 1
		if counted := p.counts.Count(b.ref); n+1 > counted {
			p.counts = nil
			p.seen = nil
			return fmt.Errorf("%w: row %d is row %d of order_ref %s, which the first read of the file counted %d times: the file changed while it was read, or is damaged; nothing more is sent from it: check it and drop it again",
				ErrCountMismatch, b.num, n+1, display.Line(b.ref), counted)
		}
	}
	return nil
}

// Close hands back the groups still open (their rows were fewer than
// counted, or there were no counts), in order of their first row. No Add
// may follow.
func (p *Parser) Close() Final {
	p.closed = true
	groups := make([]*openGroup, 0, len(p.open))
	for _, g := range p.open {
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b *openGroup) int { return a.builds[0].num - b.builds[0].num })
	var f Final
	for _, g := range groups {
		p.formed[g.builds[0].ref] = g.builds[0].num
		p.emit(&f, g.builds)
	}
	p.open = map[string]*openGroup{}
	return f
}

// check validates recs into one build per record.
func (p *Parser) check(recs []sheet.Record) []*rowBuild {
	builds := make([]*rowBuild, len(recs))
	cells := make([][]string, len(recs))
	for i, rec := range recs {
		cells[i] = rec.Cells
		chk := &checker{}
		for idx, msg := range rec.Problems {
			col := ""
			if idx >= 0 && idx < len(p.cols) {
				col = p.cols[idx]
				if col == "" && idx < len(p.header) {
					col = p.header[idx]
				}
			}
			chk.fail(col, msg)
			if chk.muted == nil {
				chk.muted = make(map[string]bool)
			}
			chk.muted[col] = true
		}
		builds[i] = &rowBuild{num: rec.Num, chk: chk}
	}
	if len(recs) > 0 {
		// A binding error comes from the header, so every chunk meets it
		// and every row fails with it, as when the table is bound whole.
		if err := p.v.validateRows(p.cols, cells, builds); err != nil {
			for _, b := range builds {
				b.chk.fail("", err.Error())
			}
		}
	}
	return builds
}

// emit forms the order of group g (one row, or the rows of an order_ref),
// rejects it when an earlier order holds its key, and adds its rows'
// verdicts (and the order, when valid) to f.
func (p *Parser) emit(f *Final, g []*rowBuild) {
	slices.SortFunc(g, func(a, b *rowBuild) int { return a.num - b.num })
	if o := p.v.formGroup(g); o != nil {
		if first, dup := p.firstRow[o.Key]; dup {
			failAll(g, keyColumn[p.kind], fmt.Sprintf("same as row %d", first))
		} else {
			p.firstRow[o.Key] = o.Rows[0]
			for _, b := range g {
				b.order = o
			}
			f.Orders = append(f.Orders, o)
		}
	}
	for _, b := range g {
		rr := RowResult{Num: b.num, Problems: b.chk.problems, Notes: b.chk.notes, Warnings: b.chk.warnings}
		if b.chk.ok() {
			rr.Order = b.order
		}
		f.Rows = append(f.Rows, rr)
	}
}

// Parse validates every record of t as orders of kind, groups rows sharing an
// order_ref into one order, and gives each order its key and fingerprint.
func Parse(t *sheet.Table, kind Kind, opts Options) *Result {
	p := NewParser(kind, t.Header, opts, nil)
	res := &Result{Kind: kind, Columns: p.Columns()}
	add := func(f Final) {
		res.Rows = append(res.Rows, f.Rows...)
		res.Orders = append(res.Orders, f.Orders...)
	}
	add(p.Add(t.Records))
	add(p.Close())
	slices.SortFunc(res.Rows, func(a, b RowResult) int { return a.Num - b.Num })
	slices.SortStableFunc(res.Orders, func(a, b *Order) int { return a.Rows[0] - b.Rows[0] })
	return res
}
