package order

import (
	"fmt"
	"reflect"
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
			r["city"] = "Quimper" // disagrees with the other rows of its order
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
	for _, size := range []int{1, 2, 7, 256, 599, 600} {
		p := NewParser(FrPort, tab.Header, opts())
		for lo := 0; lo < len(tab.Records); lo += size {
			p.Add(tab.Records[lo:min(lo+size, len(tab.Records))])
		}
		if got := p.Result(); !reflect.DeepEqual(got, want) {
			t.Errorf("chunks of %d rows: result differs from Parse of the whole table", size)
		}
	}
}
