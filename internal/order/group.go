package order

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// perRowFields are the Fields that may differ between the rows of one order
// (each row brings its own numbers); every other field must agree.
var perRowFields = map[Kind]map[string]bool{
	FrPort: {colNumbers: true},
	CaPort: {colNumbers: true, "labels": true, "toll_free": true},
	L2:     {},
}

// keyColumn names the column blamed when two orders share a key.
var keyColumn = map[Kind]string{FrPort: "idn", CaPort: colNumbers, L2: "port_ref"}

// formGroup checks that a group's rows are all valid and agree, merges them
// and finalises the order; nil when the group is invalid.
func (v *validator) formGroup(g []*rowBuild) *Order {
	var bad []string
	for _, b := range g {
		if !b.chk.ok() || b.order == nil {
			bad = append(bad, strconv.Itoa(b.num))
		}
	}
	if len(bad) > 0 {
		for _, b := range g {
			if b.chk.ok() {
				b.chk.fail(colOrderRef, fmt.Sprintf("row %s of order %s is invalid, so this order can't be sent", strings.Join(bad, ", "), b.ref))
			}
		}
		return nil
	}
	if len(g) > 1 && !v.agree(g) {
		return nil
	}
	parts := make([]*Order, len(g))
	for i, b := range g {
		parts[i] = b.order
	}
	o, problems := v.merge(parts)
	if len(problems) > 0 {
		for _, p := range problems {
			failAll(g, p.Column, p.Why)
		}
		return nil
	}
	v.finalise(o)
	return o
}

// agree reports whether the shared fields of every row of g are equal; if
// not, every row gets one problem per differing column.
func (v *validator) agree(g []*rowBuild) bool {
	fields := make([]map[string]string, len(g))
	for i, b := range g {
		fields[i] = orderFields(b.order)
	}
	var names []string
	for name := range fields[0] {
		if perRowFields[v.kind][name] {
			continue
		}
		for _, f := range fields[1:] {
			if f[name] != fields[0][name] {
				names = append(names, name)
				break
			}
		}
	}
	if len(names) == 0 {
		return true
	}
	slices.Sort(names)
	for _, name := range names {
		var vals []string
		for i, b := range g {
			vals = append(vals, fmt.Sprintf("row %d %q", b.num, fields[i][name]))
		}
		failAll(g, name, fmt.Sprintf("rows of order %s disagree (%s); rows sharing an order_ref must give the same value", g[0].ref, strings.Join(vals, ", ")))
	}
	return false
}

func failAll(g []*rowBuild, col, why string) {
	for _, b := range g {
		b.chk.fail(col, why)
		b.order = nil
	}
}

// merge joins the one-row orders of a group into one order.
func (v *validator) merge(parts []*Order) (*Order, []Problem) {
	o := parts[0]
	for _, p := range parts[1:] {
		o.Rows = append(o.Rows, p.Rows...)
	}
	slices.Sort(o.Rows)
	switch v.kind {
	case FrPort:
		for _, p := range parts[1:] {
			o.FrPort.DIDs = append(o.FrPort.DIDs, p.FrPort.DIDs...)
		}
		slices.Sort(o.FrPort.DIDs)
		o.FrPort.DIDs = slices.Compact(o.FrPort.DIDs)
	case CaPort:
		return o, v.mergeCa(o, parts)
	}
	return o, nil
}
