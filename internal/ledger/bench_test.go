package ledger

import (
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// benchLedger opens a real, fsync'ing ledger.
func benchLedger(b *testing.B) *Ledger {
	b.Helper()
	l, err := Open(filepath.Join(b.TempDir(), "ledger.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = l.Close() })
	return l
}

func benchIntents(round, n int) []Intent {
	in := make([]Intent, n)
	for i := range in {
		key := fmt.Sprintf("fr-port|REF-%06d-%04d", round, i)
		in[i] = Intent{Key: key, Kind: "fr-port", Carrier: "netwo", Ref: key, BatchID: "20261123T140502-0001",
			Fingerprint: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
			Fields: map[string]string{"idn": "0261910210", "did": "0261910211", "siret": "73282932000074",
				"customer_name": "Boulangerie Exemple", "zip_code": "75011", "city": "Paris"}}
	}
	return in
}

// BenchmarkBeginSubmits1000 commits groups of 1000 intents, one fsync'd
// transaction each (DESIGN §9).
func BenchmarkBeginSubmits1000(b *testing.B) {
	l := benchLedger(b)
	rounds := 0
	for b.Loop() {
		b.StopTimer()
		in := benchIntents(rounds, 1000)
		rounds++
		b.StartTimer()
		if err := l.BeginSubmits(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rounds*1000)/b.Elapsed().Seconds(), "keys/s")
}

// BenchmarkRecordOutcomes1000 records groups of 1000 outcomes, one fsync'd
// transaction each.
func BenchmarkRecordOutcomes1000(b *testing.B) {
	l := benchLedger(b)
	rounds := 0
	for b.Loop() {
		b.StopTimer()
		in := benchIntents(rounds, 1000)
		if err := l.BeginSubmits(in); err != nil {
			b.Fatal(err)
		}
		outs := make([]Outcome, len(in))
		for i, x := range in {
			outs[i] = Outcome{Key: x.Key, State: Submitted, Reference: fmt.Sprintf("NW-%d", i), Attempts: 1}
		}
		rounds++
		b.StartTimer()
		if err := l.RecordOutcomes(outs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rounds*1000)/b.Elapsed().Seconds(), "keys/s")
}

// BenchmarkSaveCheckpoint16 saves checkpoints from 16 orders in flight at
// once, as a multi-step carrier does at concurrency 16: they share
// transactions, so fsyncs/op stays well below 1.
func BenchmarkSaveCheckpoint16(b *testing.B) {
	l := benchLedger(b)
	in := benchIntents(0, 16)
	if err := l.BeginSubmits(in); err != nil {
		b.Fatal(err)
	}
	var first uint64
	_ = l.db.View(func(tx *bolt.Tx) error { first = uint64(tx.ID()); return nil })
	b.SetParallelism(8) // 16 goroutines on 2 CPUs
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		key := in[next.Add(1)%16].Key
		for pb.Next() {
			if err := l.SaveCheckpoint(key, map[string]string{"cart_id": "CART-1"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	var last uint64
	_ = l.db.View(func(tx *bolt.Tx) error { last = uint64(tx.ID()); return nil })
	b.ReportMetric(float64(last-first)/float64(b.N), "fsyncs/op")
}
