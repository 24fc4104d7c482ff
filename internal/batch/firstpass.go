package batch

import (
	"cmp"
	"errors"
	"strings"

	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// layout is what the first pass learnt of a file before it is read: which
// sheets hold orders, of what kind, how many rows carry each order_ref, and
// each sheet's size.
type layout struct {
	sheets map[string]*sheetPlan // by sheet name ("" for a CSV)
}

// sheetPlan is one sheet of a layout.
type sheetPlan struct {
	hasRef bool // the sheet has an order_ref column
	kind   order.Kind
	counts order.RefCounts
	size   sheet.SheetSize
}

// firstPass reads the file's layout cheaply (sheet.CountColumn: the
// order_ref column of every sheet whose kind it can tell). A nil layout
// means the whole file is read and checked before anything is sent, so
// that a file that fails sends nothing: when the first pass cannot read
// the layout, when a sheet's kind cannot be told, when a sheet could not be
// counted with certainty (the first pass might then miss what Open will
// refuse), and when a sheet may hold more rows or columns than Open
// accepts (Open tells). An error is a file the first pass refuses as Open would
// (damaged, too large, malformed): it fails before anything is sent.
func (p *pass) firstPass() (*layout, error) {
	if firstPassOff {
		return nil, nil
	}
	lay := &layout{sheets: map[string]*sheetPlan{}}
	ok := true
	limits := sheet.Options{MaxRows: maxRows, SHA256: p.sha}
	counts, err := countColumn(p.path, limits, func(name string, header []string) int {
		kind, err := order.DetectKind(name, header)
		if err != nil {
			ok = false // perhaps not an order sheet; the read will tell
			return -1
		}
		sp := &sheetPlan{kind: kind}
		lay.sheets[name] = sp
		col := order.RefColumn(kind, header)
		if col < 0 { // no order_ref: count the first column, for the sheet's size
			return 0
		}
		sp.hasRef = true
		return col
	}, strings.TrimSpace)
	if refused(err) {
		return nil, &FileError{File: p.opts.source(p.path), Err: err}
	}
	if err != nil || !ok {
		return nil, nil
	}
	for _, c := range counts {
		if c.Unknown() {
			return nil, nil
		}
	}
	for name, sp := range lay.sheets {
		c := counts[name]
		if c == nil || c.Unknown() || c.Size().Rows > cmp.Or(limits.MaxRows, sheet.DefaultMaxRows) || c.Size().Width > sheet.DefaultMaxColumns {
			return nil, nil
		}
		if sp.hasRef {
			sp.counts = refCounts(c)
		}
		sp.size = c.Size()
	}
	return lay, nil
}

// refused reports whether err, from sheet.CountColumn, is a file that
// sheet.Open refuses too: damaged, too large or malformed.
func refused(err error) bool {
	return errors.Is(err, sheet.ErrDamaged) || errors.Is(err, sheet.ErrTooLarge) || errors.Is(err, sheet.ErrMalformedCSV)
}

// refCounts gives a sheet's counts to its parser; a test replaces it to
// make the first pass wrong.
var refCounts = func(c *sheet.ValueCounts) order.RefCounts { return c }

// firstPassOff, set by tests, makes every pass read its file whole before
// sending, as without a first pass.
var firstPassOff = false

// The sheet package's readers, as the pass calls them; tests count the
// calls.
var (
	identify    = sheet.Identify
	countColumn = sheet.CountColumn
	openSheet   = sheet.Open
)

// sheet returns the plan of the sheet named name; nil when the layout is
// nil or did not see that sheet.
func (l *layout) sheet(name string) *sheetPlan {
	if l == nil {
		return nil
	}
	return l.sheets[name]
}
