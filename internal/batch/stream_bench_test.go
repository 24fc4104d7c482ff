package batch

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/orderdrop/orderdrop/internal/order"
)

// BenchmarkValidateHeld validates a 10,000-row file (validate only, as
// `orderdrop validate`) and reports, besides time and allocations, the live
// heap per row as the report is about to be written (after a collection):
// what a pass holds of a file at its fullest, which peak RSS follows
// (about twice it, with the collector's default pacing).
func BenchmarkValidateHeld(b *testing.B) {
	const rows = 10_000
	in := benchCSV(b, b.TempDir(), rows)
	defer func() { beforeReport = nil }()
	var held uint64
	beforeReport = func() {
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		held = max(held, ms.HeapAlloc)
		b.StartTimer()
	}
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Process(context.Background(), in, Options{ReportDir: b.TempDir(), Order: order.Options{Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}})
		if err != nil {
			b.Fatal(err)
		}
		if s.Counts[NotSubmitted] != rows {
			b.Fatalf("got %v, want %d not_submitted", s.Counts, rows)
		}
	}
	b.ReportMetric(float64(held-min(held, base.HeapAlloc))/rows, "live-B/row")
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
