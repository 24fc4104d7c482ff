package order

import (
	"fmt"
	"reflect"
	"testing"
)

// TestParallelParseEqualsSerial: checking rows on several goroutines gives
// exactly the results of checking them one by one, valid and invalid rows
// mixed, for every kind (run with -race, it also shows the checks share no
// state unguarded).
func TestParallelParseEqualsSerial(t *testing.T) {
	const rows = 4 * parallelMin
	tables := []struct {
		kind Kind
		t    func() []map[string]string
		hdr  []string
	}{
		{FrPort, func() []map[string]string {
			var out []map[string]string
			for i := range rows {
				n := fmt.Sprintf("0353%06d", i)
				r := edit(frGood(), map[string]string{"order_ref": fmt.Sprintf("P-%04d", i), "idn": n, "numbers": n})
				if i%7 == 0 {
					r["contact_phone"] = "12345" // invalid
				}
				if i%11 == 0 {
					r["wanted_date"] = "2026-11-28 10:00" // a Saturday
				}
				out = append(out, r)
			}
			return out
		}, frHeader},
		{CaPort, func() []map[string]string {
			var out []map[string]string
			for i := range rows {
				r := edit(caGood(), map[string]string{"order_ref": fmt.Sprintf("P-%04d", i), "numbers": fmt.Sprintf("206-%03d-%04d", 200+i/1000, i%1000)})
				if i%5 == 0 {
					r["loa_file"] = "missing.pdf"
				}
				out = append(out, r)
			}
			return out
		}, caHeader},
		{L2, func() []map[string]string {
			var out []map[string]string
			for i := range rows {
				r := edit(l2Good(), map[string]string{"order_ref": fmt.Sprintf("P-%04d", i/2), "street_number": fmt.Sprint(i/2 + 1)})
				if i%9 == 0 {
					r["site_vlan"] = "5000"
				}
				out = append(out, r)
			}
			return out
		}, l2Header},
	}
	defer func(f func() int) { rowWorkers = f }(rowWorkers)
	for _, tt := range tables {
		tab := table(tt.hdr, tt.t()...)
		rowWorkers = func() int { return 1 }
		want := Parse(tab, tt.kind, opts())
		rowWorkers = func() int { return 4 }
		got := Parse(tab, tt.kind, opts())
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: parallel Parse differs from serial", tt.kind)
		}
		if len(want.Orders) == 0 || len(want.Orders) == len(tab.Records) {
			t.Errorf("%s: got %d orders of %d rows, want a mix of valid and invalid rows", tt.kind, len(want.Orders), len(tab.Records))
		}
	}
}
