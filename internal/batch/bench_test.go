package batch

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
)

// instantCarrier accepts every order at once: the benchmark measures
// orderdrop's own cost per row (read, validate, ledger, report), which must
// stay far below any carrier's pace.
type instantCarrier struct{}

func (instantCarrier) Submit(_ context.Context, o *order.Order, _ carrier.Submission) carrier.Result {
	return carrier.Result{Class: carrier.Accepted, Reference: "REF-" + o.Ref, Attempts: 1}
}

func benchCSV(b testing.TB, dir string, n int) string {
	b.Helper()
	path := filepath.Join(dir, fmt.Sprintf("bench-%d.csv", n))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := csv.NewWriter(f)
	_ = w.Write(l2Header)
	for i := range n {
		_ = w.Write(l2Row(fmt.Sprintf("B-%06d", i), fmt.Sprintf("Client %d", i)))
	}
	w.Flush()
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkProcess10k runs a 10,000-row file through the whole pipeline with
// real fsync'd ledger commits and a carrier that answers at once.
func BenchmarkProcess10k(b *testing.B) {
	const rows = 10_000
	dir := b.TempDir()
	in := benchCSV(b, dir, rows)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		l, err := ledger.Open(filepath.Join(b.TempDir(), "ledger.db"), ledger.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s, err := Process(context.Background(), in, Options{Ledger: l, Carriers: map[order.Kind]Submitter{order.L2: instantCarrier{}},
			Concurrency: map[order.Kind]int{order.L2: 32}, ReportDir: b.TempDir(), Order: order.Options{Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}})
		if err != nil {
			b.Fatal(err)
		}
		if s.Counts[Submitted] != rows {
			b.Fatalf("got %v, want %d submitted", s.Counts, rows)
		}
		b.StopTimer()
		l.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
