package ledger

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// procStatus reads a "kB" line of /proc/self/status (RssAnon, RssFile,
// VmHWM) in bytes; 0 where the file does not exist (not Linux).
func procStatus(b *testing.B, name string) float64 {
	b.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), name+":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
		if err != nil {
			b.Fatalf("parse %s: %v", name, err)
		}
		return kb * 1024
	}
	return 0
}

// l2Intents is a group of n single-call l2 orders as the batch records
// them, refs following each other as in a generated file.
func l2Intents(from, n int) []Intent {
	in := make([]Intent, n)
	for i := range in {
		ref := fmt.Sprintf("L2-%07d", from+i)
		fields := map[string]string{"order_ref": ref, "offer_id": "12", "port_ref": "P" + strconv.Itoa((from+i)%97),
			"street_number": strconv.Itoa(1 + (from+i)%180), "street_type": "rue", "street_name": "de la République",
			"zip_code": "69003", "city": "Lyon", "contact_name": "Jeanne Exemple", "contact_phone": "+33478000000",
			"contact_email": "jeanne@example.com", "client_name": "Boulangerie Exemple", "siret": "73282932000074"}
		in[i] = Intent{Key: "l2/ref:" + ref, Kind: "l2", Carrier: "prizz", Ref: ref, BatchID: "20261123T140502-0001",
			Fingerprint: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Fields: fields,
			File: "orders-l2.xlsx", Sheet: "l2", Rows: []int{from + i + 2}}
	}
	return in
}

// writeOrders submits n orders in groups of 1000 (one intent and one
// outcome transaction per group, as a run does) into l.
func writeOrders(b *testing.B, l *Ledger, n int) {
	b.Helper()
	for from := 0; from < n; from += 1000 {
		in := l2Intents(from, min(1000, n-from))
		if err := l.BeginSubmits(in); err != nil {
			b.Fatal(err)
		}
		outs := make([]Outcome, len(in))
		for i, x := range in {
			outs[i] = Outcome{Key: x.Key, State: Submitted, Reference: "PZ-" + strconv.Itoa(from+i), Attempts: 1}
		}
		if err := l.RecordOutcomes(outs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLedgerWriteOrders writes N submitted l2 orders into a fresh,
// fsync'ing ledger per op, and reports what that costs: the file's bytes per
// order, and how the process's resident memory grew, split into the part
// backed by files (bbolt's mapping of the ledger) and the anonymous part
// (the heap). Run with -benchtime 1x: RSS does not shrink between ops.
func BenchmarkLedgerWriteOrders(b *testing.B) {
	for _, n := range []int{10_000, 50_000} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			var size int64
			file0, anon0 := procStatus(b, "RssFile"), procStatus(b, "RssAnon")
			for b.Loop() {
				path := filepath.Join(b.TempDir(), "ledger.db")
				l, err := Open(path, Options{})
				if err != nil {
					b.Fatal(err)
				}
				writeOrders(b, l, n)
				fi, err := os.Stat(path)
				if err != nil {
					b.Fatal(err)
				}
				size = fi.Size()
				b.ReportMetric((procStatus(b, "RssFile")-file0)/(1<<20), "rssfile-MiB")
				b.ReportMetric((procStatus(b, "RssAnon")-anon0)/(1<<20), "rssanon-MiB")
				if err := l.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size)/float64(n), "file-B/order")
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "orders/s")
		})
	}
}
