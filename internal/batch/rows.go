package batch

import (
	"time"

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

// slot is one row read and not yet written to the report: its cells are
// held only until then.
type slot struct {
	num      int
	cells    []string
	st       rowState
	warnings []string // the row's warnings, "warning: column: why" (order.RowResult.WarningTexts)
}

// table is one order sheet on its way through the pass: its parser, and
// the rows read whose report rows are not yet written, in file order.
// Guarded by pass.mu once the pass runs.
type table struct {
	name     string
	header   []string
	kind     order.Kind
	columns  []string // canonical column per header index
	parser   *order.Parser
	size     sheet.SheetSize // from the first pass; zero = unknown
	rows     int             // rows read
	readDone bool            // every row of the sheet has been read and checked

	queue []*slot       // rows not yet written, file order
	index map[int]*slot // Record.Num → its slot, for the rows in queue
}

func newTable(t *sheet.Table, kind order.Kind, parser *order.Parser, size sheet.SheetSize) *table {
	return &table{name: t.Name, header: t.Header, kind: kind, columns: parser.Columns(), parser: parser, size: size,
		index: map[int]*slot{}}
}

// add queues the rows of recs (held until they are written).
func (tab *table) add(recs []sheet.Record) {
	for _, r := range recs {
		s := &slot{num: r.Num, cells: r.Cells}
		tab.queue = append(tab.queue, s)
		tab.index[r.Num] = s
	}
	tab.rows += len(recs)
}

// written drops the first n rows of the queue, once in the report.
func (tab *table) written(n int) {
	for _, s := range tab.queue[:n] {
		delete(tab.index, s.num)
	}
	clear(tab.queue[:n])
	tab.queue = tab.queue[n:]
	if cap(tab.queue) > 4096 && len(tab.queue) < cap(tab.queue)/4 {
		tab.queue = append([]*slot(nil), tab.queue...) // let the written part go
	}
}

// dateColumns marks the header positions of the kind's date columns, so the
// report shows their spreadsheet serials as dates again.
func (tab *table) dateColumns() []bool {
	isDate := map[string]bool{}
	for _, c := range order.Columns(tab.kind) {
		if c.Date {
			isDate[c.Name] = true
		}
	}
	out := make([]bool, len(tab.columns))
	for i, name := range tab.columns {
		out[i] = isDate[name]
	}
	return out
}

// cell is the value of s in the canonical column col; "" when the sheet
// has no such column.
func (tab *table) cell(s *slot, col string) string {
	for i, c := range tab.columns {
		if c == col && i < len(s.cells) {
			return s.cells[i]
		}
	}
	return ""
}
