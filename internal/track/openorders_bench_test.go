package track

import (
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// benchOpenLedger is a ledger of n submitted l2 orders, written in groups of
// 1000 with a clock a second apart per group, half of them tracked once.
func benchOpenLedger(b *testing.B, n int) *ledger.Ledger {
	b.Helper()
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	l, err := ledger.Open(filepath.Join(b.TempDir(), "ledger.db"), ledger.Options{Now: c.Now, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = l.Close() })
	for from := 0; from < n; from += 1000 {
		var ins []ledger.Intent
		var outs []ledger.Outcome
		var ups []ledger.TrackUpdate
		for i := from; i < min(n, from+1000); i++ {
			ref := fmt.Sprintf("L2-%07d", i)
			k := "l2/ref:" + ref
			ins = append(ins, ledger.Intent{Key: k, Kind: "l2", Carrier: "prizz", Ref: ref, BatchID: "20261123T090000-0001",
				Fingerprint: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
				Fields:      map[string]string{"order_ref": ref, "zip_code": "69003", "city": "Lyon", "street_name": "de la République"},
				File:        "orders-l2.xlsx", Sheet: "l2", Rows: []int{i + 2}})
			outs = append(outs, ledger.Outcome{Key: k, State: ledger.Submitted, Reference: "PZ-" + strconv.Itoa(i), Attempts: 1})
			if i%2 == 0 {
				ups = append(ups, ledger.TrackUpdate{Key: k, Stage: ledger.StagePending, Status: "received"})
			}
		}
		if err := l.BeginSubmits(ins); err != nil {
			b.Fatal(err)
		}
		if err := l.RecordOutcomes(outs); err != nil {
			b.Fatal(err)
		}
		if _, err := l.RecordTracking(ups); err != nil {
			b.Fatal(err)
		}
		c.Add(time.Second)
	}
	return l
}

// peakHeap samples the heap every few milliseconds until stop is called,
// which returns the highest samples in bytes: of the heap in use (live and
// not yet collected) and of the heap live at the last collection.
func peakHeap() (stop func() (inuse, live float64)) {
	done := make(chan struct{})
	var peak, peakLive uint64
	var wg sync.WaitGroup
	wg.Go(func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			peakLive = max(peakLive, sample[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() (float64, float64) {
		close(done)
		wg.Wait()
		return float64(peak), float64(peakLive)
	}
}

// BenchmarkWriteOpenOrdersFromLedger rewrites open-orders.xlsx and .csv
// from a ledger of N open orders, as the end of every pass does, and
// reports the highest heap seen while it ran (-benchtime 2x or so: the
// ledger is built once per size).
func BenchmarkWriteOpenOrdersFromLedger(b *testing.B) {
	for _, n := range []int{20_000} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			l := benchOpenLedger(b, n)
			dir := b.TempDir()
			runtime.GC()
			stop := peakHeap()
			for b.Loop() {
				if _, err := WriteOpenOrders(l, dir, time.UTC, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			inuse, live := stop()
			b.ReportMetric(inuse/(1<<20), "peakheap-MiB")
			b.ReportMetric(live/(1<<20), "peaklive-MiB")
		})
	}
}
