package order

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

const benchOrderRows = 10_000

// benchTable builds n valid rows of one kind, each its own order, with the
// numbers varying per row as in a real file.
func benchTable(header []string, good map[string]string, vary func(row map[string]string, i int)) *sheet.Table {
	t := &sheet.Table{Header: header}
	for i := range benchOrderRows {
		r := edit(good, nil)
		r["order_ref"] = fmt.Sprintf("B-%06d", i)
		vary(r, i)
		t.Records = append(t.Records, sheet.Record{Num: i + 2, Line: i + 2, Cells: cells(header, r)})
	}
	return t
}

func benchParse(b *testing.B, kind Kind, t *sheet.Table) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		res := Parse(t, kind, opts())
		if len(res.Orders) != benchOrderRows {
			b.Fatalf("got %d orders, want %d (first problem: %v)", len(res.Orders), benchOrderRows, res.Rows[0].Problems)
		}
	}
	b.ReportMetric(float64(benchOrderRows*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.StopTimer()
	// What a parsed file keeps alive, per order (what peak RSS grows with).
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res := Parse(t, kind, opts())
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(res)
	b.ReportMetric(float64(after.HeapAlloc-min(before.HeapAlloc, after.HeapAlloc))/benchOrderRows, "live-B/order")
}

// BenchmarkParseFrPort10k validates 10,000 fr-port rows (phones, SIRET, dates, window).
func BenchmarkParseFrPort10k(b *testing.B) {
	benchParse(b, FrPort, benchTable(frHeader, frGood(), func(r map[string]string, i int) {
		n := fmt.Sprintf("0353%06d", i)
		r["idn"], r["numbers"] = n, n
	}))
}

// BenchmarkParseCaPort10k validates 10,000 ca-port rows.
func BenchmarkParseCaPort10k(b *testing.B) {
	benchParse(b, CaPort, benchTable(caHeader, caGood(), func(r map[string]string, i int) {
		r["numbers"] = fmt.Sprintf("206-%03d-%04d", 200+i/10_000, i%10_000)
	}))
}

// BenchmarkParseL210k validates 10,000 l2 rows.
func BenchmarkParseL210k(b *testing.B) {
	benchParse(b, L2, benchTable(l2Header, l2Good(), func(r map[string]string, i int) {
		r["street_number"] = fmt.Sprint(1 + i)
	}))
}
