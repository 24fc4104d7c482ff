package order

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestParserChunksEqualParse: a table checked chunk by chunk, as the
// streaming read hands it over, gives exactly Parse's result, with orders
// whose rows fall in different chunks, rows of one order that disagree,
// an invalid row inside a group and a key repeated far apart in the file.
func TestParserChunksEqualParse(t *testing.T) {
	var rows []map[string]string
	for i := range 600 {
		n := fmt.Sprintf("0353%06d", i)
		r := edit(frGood(), map[string]string{"order_ref": fmt.Sprintf("P-%04d", i/3), "idn": fmt.Sprintf("0353%06d", i/3*3), "numbers": n})
		switch {
		case i%97 == 0:
			r["contact_phone"] = "12345" // invalid: its whole order can't be sent
		case i%89 == 0:
			r["city"] = "BREST" // disagrees with the other rows of its order
		case i == 400:
			r["order_ref"], r["idn"] = "", "0353000003" // same key as order P-0001
		}
		rows = append(rows, r)
	}
	tab := table(frHeader, rows...)
	want := Parse(tab, FrPort, opts())
	if len(want.Orders) == 0 || len(want.Orders) == len(tab.Records)/3 {
		t.Fatalf("got %d orders of %d groups, want a mix of valid and invalid groups", len(want.Orders), len(tab.Records)/3)
	}
	counts := refCounter{}
	for _, r := range rows {
		counts[r["order_ref"]]++
	}
	for _, c := range []struct {
		name   string
		counts RefCounts
	}{{"no counts", nil}, {"exact counts", counts}, {"over-counts", overCounter{counts}}} {
		for _, size := range []int{1, 2, 7, 256, 599, 600} {
			p := NewParser(FrPort, tab.Header, opts(), c.counts)
			got := &Result{Kind: FrPort, Columns: p.Columns()}
			seen := map[int]bool{}
			add := func(f Final) {
				for _, r := range f.Rows {
					if seen[r.Num] {
						t.Errorf("%s, chunks of %d rows: row %d handed back twice", c.name, size, r.Num)
					}
					seen[r.Num] = true
				}
				got.Rows = append(got.Rows, f.Rows...)
				got.Orders = append(got.Orders, f.Orders...)
			}
			for lo := 0; lo < len(tab.Records); lo += size {
				add(p.Add(tab.Records[lo:min(lo+size, len(tab.Records))]))
			}
			add(p.Close())
			slices.SortFunc(got.Rows, func(a, b RowResult) int { return a.Num - b.Num })
			slices.SortFunc(got.Orders, func(a, b *Order) int { return a.Rows[0] - b.Rows[0] })
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, chunks of %d rows: result differs from Parse of the whole table", c.name, size)
			}
		}
	}
}

type refCounter map[string]int

func (c refCounter) Count(ref string) int { return c[ref] }

type overCounter struct{ refCounter }

func (c overCounter) Count(ref string) int { return c.refCounter[ref] + 1 }

// TestParserHandsBackGroupsWhenComplete: with counts, a group is final as
// soon as its last row is read, a row without order_ref at once; without
// counts, a group waits for Close.
func TestParserHandsBackGroupsWhenComplete(t *testing.T) {
	rows := []map[string]string{
		edit(frGood(), map[string]string{"order_ref": "A", "idn": "0353000001", "numbers": "0353000001"}),
		edit(frGood(), map[string]string{"order_ref": "", "idn": "0353000002", "numbers": "0353000002"}),
		edit(frGood(), map[string]string{"order_ref": "A", "idn": "0353000001", "numbers": "0353000003"}),
		edit(frGood(), map[string]string{"order_ref": "B", "idn": "0353000004", "numbers": "0353000004"}),
	}
	tab := table(frHeader, rows...)
	nums := func(f Final) []int {
		var out []int
		for _, r := range f.Rows {
			out = append(out, r.Num)
		}
		return out
	}
	p := NewParser(FrPort, tab.Header, opts(), refCounter{"A": 2, "B": 1})
	var got [][]int
	for i := range tab.Records {
		got = append(got, nums(p.Add(tab.Records[i:i+1])))
	}
	got = append(got, nums(p.Close()))
	want := [][]int{nil, {3}, {2, 4}, {5}, nil}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("with counts: got rows handed back per call %v, want %v", got, want)
	}

	p = NewParser(FrPort, tab.Header, opts(), nil)
	got = nil
	for i := range tab.Records {
		got = append(got, nums(p.Add(tab.Records[i:i+1])))
	}
	got = append(got, nums(p.Close()))
	want = [][]int{nil, {3}, nil, nil, {2, 4, 5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("without counts: got rows handed back per call %v, want %v", got, want)
	}
}

// TestParserNeverGrowsAFormedOrder: when the first pass counted fewer rows
// than came (it must not; this is the safety net), the late row is invalid
// and the order already handed back keeps its rows.
func TestParserNeverGrowsAFormedOrder(t *testing.T) {
	rows := []map[string]string{
		edit(frGood(), map[string]string{"order_ref": "A", "idn": "0353000001", "numbers": "0353000001"}),
		edit(frGood(), map[string]string{"order_ref": "A", "idn": "0353000001", "numbers": "0353000003"}),
	}
	tab := table(frHeader, rows...)
	p := NewParser(FrPort, tab.Header, opts(), refCounter{"A": 1})
	first := p.Add(tab.Records[:1])
	late := p.Add(tab.Records[1:])
	if len(first.Orders) != 1 || !reflect.DeepEqual(first.Orders[0].Rows, []int{2}) {
		t.Fatalf("got first orders %+v, want one order of row 2", first.Orders)
	}
	if len(late.Orders) != 0 || len(late.Rows) != 1 || late.Rows[0].Valid() {
		t.Fatalf("got late %+v, want row 3 invalid and no order", late)
	}
	if msg := late.Rows[0].Message(); !strings.Contains(msg, "order_ref: order A was already formed") {
		t.Errorf("got message %q, want it to say the order was already formed", msg)
	}
}
