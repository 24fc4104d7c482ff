package order

import "github.com/orderdrop/orderdrop/internal/sheet"

// Parser validates a table's rows as they are read, chunk by chunk, so
// that checking them overlaps reading the rest of the file; Result then
// groups them. Rows are independent until grouping, so a file checked in
// chunks gives exactly the Result of Parse on the whole table.
//
// A Parser is used by one goroutine at a time; Add spreads each chunk's
// checks over the CPUs itself.
type Parser struct {
	v      *validator
	header []string
	res    *Result
	builds []*rowBuild
	done   bool
}

// NewParser returns a Parser for rows of kind under header (the header
// cells as in the file).
func NewParser(kind Kind, header []string, opts Options) *Parser {
	return &Parser{
		v:      newValidator(kind, opts),
		header: header,
		res:    &Result{Kind: kind, Columns: CanonicalHeader(kind, header)},
	}
}

// Add checks the next records of the table, in file order. The records'
// cells are read, not kept: the Result refers to rows by number.
func (p *Parser) Add(recs []sheet.Record) {
	if p.done {
		panic("order: Parser.Add after Result")
	}
	builds := make([]*rowBuild, len(recs))
	cells := make([][]string, len(recs))
	for i, rec := range recs {
		cells[i] = rec.Cells
		chk := &checker{}
		for idx, msg := range rec.Problems {
			col := ""
			if idx >= 0 && idx < len(p.res.Columns) {
				col = p.res.Columns[idx]
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
		if err := p.v.validateRows(p.res.Columns, cells, builds); err != nil {
			for _, b := range builds {
				b.chk.fail("", err.Error())
			}
		}
	}
	p.builds = append(p.builds, builds...)
}

// Result groups the rows added so far into orders (rows sharing an
// order_ref, duplicate keys) and returns the verdict on every row. It is
// called once, after the last Add.
func (p *Parser) Result() *Result {
	p.done = true
	res := p.res
	res.Orders = p.v.group(p.builds)
	res.Rows = make([]RowResult, len(p.builds))
	for i, b := range p.builds {
		rr := RowResult{Num: b.num, Problems: b.chk.problems, Notes: b.chk.notes}
		if b.chk.ok() {
			rr.Order = b.order
		}
		res.Rows[i] = rr
	}
	p.builds = nil
	return res
}
