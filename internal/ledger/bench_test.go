package ledger

import (
	"fmt"
	"path/filepath"
	"testing"
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
