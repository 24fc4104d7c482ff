package order

import (
	"fmt"
	"time"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

// validator holds what one Parse call needs, prepared once.
type validator struct {
	kind   Kind
	opts   Options
	now    time.Time
	win    window
	winErr error
	loas   map[string]loaResult // loa_file reads, by file name
}

func newValidator(kind Kind, opts Options) *validator {
	v := &validator{kind: kind, opts: opts, now: opts.now(), loas: make(map[string]loaResult)}
	v.win, v.winErr = opts.FrWindow.compile()
	return v
}

// rowBuild is one row on its way through validation and grouping.
type rowBuild struct {
	num   int
	ref   string
	chk   *checker
	order *Order // this row alone; nil once the row is invalid
}

// Parse validates every record of t as orders of kind, groups rows sharing an
// order_ref into one order, and gives each order its key and fingerprint.
func Parse(t *sheet.Table, kind Kind, opts Options) *Result {
	res := &Result{Kind: kind, Columns: CanonicalHeader(kind, t.Header), Rows: make([]RowResult, len(t.Records))}
	v := newValidator(kind, opts)
	builds := make([]*rowBuild, len(t.Records))
	cells := make([][]string, len(t.Records))
	for i, rec := range t.Records {
		cells[i] = rec.Cells
		chk := &checker{}
		for idx, msg := range rec.Problems {
			col := ""
			if idx >= 0 && idx < len(res.Columns) {
				col = res.Columns[idx]
				if col == "" && idx < len(t.Header) {
					col = t.Header[idx]
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
	if err := v.validateRows(res.Columns, cells, builds); err != nil {
		for _, b := range builds {
			b.chk.fail("", err.Error())
		}
	}
	res.Orders = v.group(builds)
	for i, b := range builds {
		rr := RowResult{Num: b.num, Problems: b.chk.problems, Notes: b.chk.notes}
		if b.chk.ok() {
			rr.Order = b.order
		}
		res.Rows[i] = rr
	}
	return res
}

// validateRows binds the rows to the kind's struct and checks each one.
func (v *validator) validateRows(header []string, cells [][]string, builds []*rowBuild) error {
	switch v.kind {
	case FrPort:
		rows, err := bind[frRow](header, cells)
		if err != nil {
			return err
		}
		for i := range rows {
			v.finishRow(builds[i], rows[i].OrderRef, v.frPort(&rows[i], builds[i].chk))
		}
	case CaPort:
		rows, err := bind[caRow](header, cells)
		if err != nil {
			return err
		}
		for i := range rows {
			v.finishRow(builds[i], rows[i].OrderRef, v.caPort(&rows[i], builds[i].chk))
		}
	case L2:
		rows, err := bind[l2Row](header, cells)
		if err != nil {
			return err
		}
		for i := range rows {
			v.finishRow(builds[i], rows[i].OrderRef, v.l2(&rows[i], builds[i].chk))
		}
	default:
		return fmt.Errorf("unknown order kind %q (known: fr-port, ca-port, l2)", v.kind)
	}
	return nil
}

func (v *validator) finishRow(b *rowBuild, ref string, o *Order) {
	b.ref = trim(ref)
	if o != nil {
		o.Kind, o.Ref, o.Rows = v.kind, b.ref, []int{b.num}
	}
	b.order = o
}

// ValidateRow validates one row of kind under header, alone, and returns its
// problems (nil when valid).
func ValidateRow(kind Kind, header []string, cells []string, opts Options) []Problem {
	t := &sheet.Table{Header: header, Records: []sheet.Record{{Num: 2, Line: 2, Cells: cells}}}
	return Parse(t, kind, opts).Rows[0].Problems
}
