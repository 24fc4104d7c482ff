package review

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/web"
)

func TestLedgerGateLendsThePassLedgerAndNeverHoldsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orderdrop.db")
	cfg := &config.Config{Ledger: path}
	var g Gate
	err := g.read(path, func(*ledger.Ledger) error { return nil })
	require.ErrorIs(t, err, fs.ErrNotExist, "before the first pass there is no ledger, and reading creates none")
	assert.ErrorIs(t, view(err), web.ErrNotFound)

	// During a pass the page reads through the pass's handle: no second lock, and it sees the pass's writes.
	l, err := g.OpenForPass(opener(cfg))
	require.NoError(t, err)
	require.NoError(t, l.BeginSubmits([]ledger.Intent{{Key: "l2/ref:A", Fingerprint: "fp", BatchID: "b1"}}))
	require.NoError(t, g.read(path, func(r *ledger.Ledger) error {
		o, err := r.Get("l2/ref:A")
		if err == nil {
			assert.Equal(t, ledger.Submitting, o.State)
		}
		return err
	}))
	require.NoError(t, g.ClosePass(l))

	// Between passes it opens the file read-only for one read only: a writer gets it right after.
	require.NoError(t, g.read(path, func(r *ledger.Ledger) error { _, err := r.Get("l2/ref:A"); return err }))
	w, err := ledger.Open(path, ledger.Options{Timeout: 100 * time.Millisecond})
	require.NoError(t, err, "the page must not keep the ledger locked between reads")

	// Another process (here: another handle) holding the file makes the page busy, not broken.
	err = g.read(path, func(*ledger.Ledger) error { return nil })
	require.ErrorIs(t, err, ledger.ErrLocked)
	assert.ErrorIs(t, view(err), web.ErrBusy)
	require.NoError(t, w.Close())

	// A pass can always open it after a read.
	l, err = g.OpenForPass(opener(cfg))
	require.NoError(t, err)
	require.NoError(t, g.ClosePass(l))
}

// A pass waiting for the ledger waits only for the read in progress: a
// read that comes after it waits for the pass, and then reads through the
// pass's handle.
func TestLedgerGateLetsAWaitingPassInBeforeNewReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orderdrop.db")
	cfg := &config.Config{Ledger: path}
	var g Gate
	l, err := g.OpenForPass(opener(cfg))
	require.NoError(t, err)
	require.NoError(t, g.ClosePass(l))

	entered, releaseA := make(chan struct{}), make(chan struct{})
	readA := make(chan error, 1)
	go func() {
		readA <- g.read(path, func(*ledger.Ledger) error { close(entered); <-releaseA; return nil })
	}()
	<-entered

	passOpened := make(chan *ledger.Ledger, 1)
	go func() {
		l, err := g.OpenForPass(opener(cfg))
		assert.NoError(t, err)
		passOpened <- l
	}()
	waitFor(t, "the pass to wait at the gate", func() bool {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.writers > 0
	}, nil, nil)

	readB := make(chan bool, 1) // whether B read during the pass
	go func() {
		assert.NoError(t, g.read(path, func(*ledger.Ledger) error {
			g.mu.Lock()
			readB <- g.pass != nil
			g.mu.Unlock()
			return nil
		}))
	}()
	time.Sleep(50 * time.Millisecond) // let B reach the gate (it must wait whenever it does)
	select {
	case <-passOpened:
		t.Fatal("the pass opened the ledger while a read held it read-only")
	case <-readB:
		t.Fatal("a read started while a pass waited for the ledger")
	default:
	}

	close(releaseA)
	require.NoError(t, <-readA)
	var pass *ledger.Ledger
	select {
	case pass = <-passOpened:
	case <-time.After(10 * time.Second):
		t.Fatal("the pass did not get the ledger once the read in progress ended")
	}
	select {
	case duringPass := <-readB:
		assert.True(t, duringPass, "got a read before the waiting pass, want the pass first")
	case <-time.After(10 * time.Second):
		t.Fatal("the read after the pass never ran")
	}
	require.NoError(t, g.ClosePass(pass))

	w, err := ledger.Open(path, ledger.Options{Timeout: 100 * time.Millisecond})
	require.NoError(t, err, "between reads the page holds no lock")
	require.NoError(t, w.Close())
}

// bigReport writes a CSV report of n L2 rows, each submitted, and returns
// its size.
func bigReport(t *testing.T, path string, n int) int64 {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	w := csv.NewWriter(f)
	require.NoError(t, w.Write([]string{"order_ref", "client_name", "offer_id", "option_ids", "gtr_contact_ho", "gtr_contact_hno", "street_number",
		"street_type", "street_name", "zip_code", "city", "site_contact_name", "site_contact_phone", "site_contact_email", "site_contact_hours",
		"follow_contact_ids", "port_ref", "site_vlan_mode", "port_vlan_mode", "delivery_interface",
		"status", "carrier_reference", "message", "submitted_at"}))
	for i := 1; i <= n; i++ {
		require.NoError(t, w.Write([]string{fmt.Sprintf("BIG-%06d", i), fmt.Sprintf("Client %d", i), "2201", "41", "7101", "7102", fmt.Sprint(i),
			"rue", "Sainte-Catherine", "33000", "Bordeaux", "Anne Roux", fmt.Sprintf("05%08d", i), "anne@example.example", "9h-18h",
			"7103", "PZ-BDX-ATL1-03", "Flux non tagué", "Flux non tagué", "1000 Base LX",
			"submitted", fmt.Sprintf("PZ-%06d", i), "", "2026-11-23T13:04:05Z"}))
	}
	w.Flush()
	require.NoError(t, w.Error())
	require.NoError(t, f.Close())
	st, err := os.Stat(path)
	require.NoError(t, err)
	return st.Size()
}

// bigBatch makes a ledger holding one batch of n rows whose report is a
// CSV file, and the orders of its first and last rows.
func bigBatch(t *testing.T, n int) (cfg *config.Config, id string, reportSize int64) {
	t.Helper()
	dir := t.TempDir()
	cfg = &config.Config{Ledger: filepath.Join(dir, "orderdrop.db"), Reports: dir}
	report := filepath.Join(dir, "big.result.csv")
	reportSize = bigReport(t, report, n)
	l, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	defer l.Close()
	at := time.Date(2026, 11, 23, 13, 4, 5, 0, time.UTC)
	id = l.NewBatchID(at)
	first, last := "l2/ref:BIG-000001", fmt.Sprintf("l2/ref:BIG-%06d", n)
	require.NoError(t, l.PutBatch(&ledger.Batch{ID: id, File: "big.csv", Report: report, Started: at, Finished: at.Add(time.Hour),
		Counts: map[string]int{"submitted": n}, Keys: []string{first, last}}))
	require.NoError(t, l.BeginSubmits([]ledger.Intent{{Key: first, Fingerprint: "fp1", BatchID: id}, {Key: last, Fingerprint: "fp2", BatchID: id}}))
	return cfg, id, reportSize
}

// Views of a 100,000-row batch: each holds about one page of rows, not the
// report; beyond the bound the next is refused at once; and a pass takes
// the ledger while the views are still reading.
func TestLargeBatchViewsHoldNeitherMemoryNorThePass(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a 100,000-row report")
	}
	if raceEnabled {
		t.Skip("measures reads of a 100,000-row report: make heavy runs it without the race detector (the gate's concurrency is tested under it by the other gate tests)")
	}
	const rows = 100_000
	cfg, id, reportSize := bigBatch(t, rows)
	gate := &Gate{}
	src := &Source{gate: gate, cfg: func() *config.Config { return cfg }}
	ctx := context.Background()
	last := fmt.Sprintf("BIG-%06d", rows)

	t.Run("one view's memory", func(t *testing.T) {
		keep := func(r web.Row) bool { return strings.HasSuffix(r.Ref, "7") } // a tenth of the rows match
		// Collect often, so that the heap measures what the view holds
		// rather than how much garbage the collector lets pile up.
		defer debug.SetGCPercent(debug.SetGCPercent(10))
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		stop, peak := make(chan struct{}), make(chan uint64)
		go func() {
			var m runtime.MemStats
			top := uint64(0)
			tick := time.NewTicker(2 * time.Millisecond)
			defer tick.Stop()
			for {
				runtime.ReadMemStats(&m)
				top = max(top, m.HeapAlloc)
				select {
				case <-stop:
					peak <- top
					return
				case <-tick.C:
				}
			}
		}()
		b, err := src.Batch(ctx, id, web.RowQuery{Keep: keep, Offset: 200, Limit: 200})
		close(stop)
		top := <-peak
		require.NoError(t, err)
		assert.Equal(t, rows, b.Total)
		assert.Equal(t, rows/10, b.Matched)
		require.Len(t, b.Rows, 200)
		assert.Equal(t, "BIG-002007", b.Rows[0].Ref, "the page starts at the 201st matching row")
		growth := int64(top) - int64(before.HeapAlloc)
		t.Logf("report %d MB, heap growth during the view %d MB", reportSize>>20, growth>>20)
		assert.Less(t, growth, reportSize/3, "got a heap growth of %d bytes for a report of %d bytes", growth, reportSize)
	})

	t.Run("links the page's rows to their orders", func(t *testing.T) {
		b, err := src.Batch(ctx, id, web.RowQuery{Offset: rows - 2, Limit: 10})
		require.NoError(t, err)
		require.Len(t, b.Rows, 2)
		assert.Empty(t, b.Rows[0].OrderKey, "no order in the ledger: no link")
		assert.Equal(t, "l2/ref:"+last, b.Rows[1].OrderKey)
	})

	t.Run("concurrent views and a pass", func(t *testing.T) {
		const heavy = 4
		held, release := make(chan struct{}, heavy), make(chan struct{})
		src := &Source{gate: gate, cfg: src.cfg}
		src.chunkRead = func() {
			select {
			case <-release:
				return
			default:
			}
			held <- struct{}{} // a view's first chunk: it waits here, so each view comes once
			<-release
		}
		srv := httptest.NewServer(web.New(web.Options{Source: src, MaxHeavy: heavy}))
		defer srv.Close()
		client := &http.Client{Timeout: 3 * time.Minute}
		type answer struct {
			code int
			body string
			err  error
		}
		answers := make(chan answer, heavy)
		for range heavy {
			go func() {
				res, err := client.Get(srv.URL + "/batches/" + id + "?q=" + last)
				if err != nil {
					answers <- answer{err: err}
					return
				}
				body, err := io.ReadAll(res.Body)
				_ = res.Body.Close()
				answers <- answer{res.StatusCode, string(body), err}
			}()
		}
		for range heavy {
			select {
			case <-held:
			case <-time.After(30 * time.Second):
				t.Fatal("the views did not start reading the report")
			}
		}

		// Every view is in the middle of the report: one more is refused at once.
		res, err := client.Get(srv.URL + "/batches/" + id)
		require.NoError(t, err)
		_ = res.Body.Close()
		assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
		assert.Equal(t, "5", res.Header.Get("Retry-After"))

		// A pass takes the ledger while they read.
		start := time.Now()
		opened := make(chan *ledger.Ledger, 1)
		go func() {
			l, err := gate.OpenForPass(opener(cfg))
			assert.NoError(t, err)
			opened <- l
		}()
		var pass *ledger.Ledger
		select {
		case pass = <-opened:
		case <-time.After(10 * time.Second):
			t.Fatal("the pass waited for the views")
		}
		waited := time.Since(start)
		t.Logf("the pass got the ledger after %s, %d views reading", waited, heavy)
		assert.Less(t, waited, 5*time.Second)
		select {
		case a := <-answers:
			t.Fatalf("a view ended before it was let go: %+v", a.code)
		default:
		}

		close(release) // the views read on, and look their rows' orders up through the pass's ledger
		for range heavy {
			a := <-answers
			require.NoError(t, a.err)
			assert.Equal(t, http.StatusOK, a.code)
			assert.Contains(t, a.body, `href="/order?key=l2%2fref%3a`+last+`"`)
			assert.Contains(t, a.body, "1 row shown of 100000.")
		}
		require.NoError(t, gate.ClosePass(pass))
	})
}

// A report that is gone leaves the batch's orders, read from the ledger a
// chunk at a time, paged and filtered as the report's rows are.
func TestBatchWithoutItsReportShowsTheLedgerOrdersPaged(t *testing.T) {
	dir := t.TempDir()
	cfg := &config.Config{Ledger: filepath.Join(dir, "orderdrop.db"), Reports: dir}
	l, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	at := time.Date(2026, 11, 23, 13, 4, 5, 0, time.UTC)
	id := l.NewBatchID(at)
	const n = readChunk + 20 // more than one read
	var keys []string
	var intents []ledger.Intent
	for i := range n {
		k := fmt.Sprintf("l2/ref:GONE-%04d", i)
		keys = append(keys, k)
		intents = append(intents, ledger.Intent{Key: k, Kind: "l2", Ref: fmt.Sprintf("GONE-%04d", i), Fingerprint: "fp", BatchID: id})
	}
	require.NoError(t, l.PutBatch(&ledger.Batch{ID: id, File: "gone.csv", Report: filepath.Join(dir, "gone.result.csv"), Started: at, Finished: at,
		Counts: map[string]int{"submitting": n}, Keys: keys}))
	require.NoError(t, l.BeginSubmits(intents))
	require.NoError(t, l.Close())

	src := &Source{gate: &Gate{}, cfg: func() *config.Config { return cfg }}
	b, err := src.Batch(context.Background(), id, web.RowQuery{Offset: readChunk, Limit: 10})
	require.NoError(t, err)
	assert.Contains(t, b.Note, "gone.result.csv could not be read")
	assert.Equal(t, n, b.Total)
	assert.Equal(t, n, b.Matched)
	require.Len(t, b.Rows, 10)
	assert.Equal(t, fmt.Sprintf("GONE-%04d", readChunk), b.Rows[0].Ref)
	assert.Equal(t, keys[readChunk], b.Rows[0].OrderKey)

	b, err = src.Batch(context.Background(), id, web.RowQuery{Keep: func(r web.Row) bool { return r.Ref == "GONE-0007" }, Limit: 10})
	require.NoError(t, err)
	assert.Equal(t, 1, b.Matched)
	require.Len(t, b.Rows, 1)
}

// The open orders come oldest submission first, a page at a time, though
// the ledger is walked readChunk keys a read, in key order.
func TestOpenOrdersPagedAcrossReads(t *testing.T) {
	dir := t.TempDir()
	cfg := &config.Config{Ledger: filepath.Join(dir, "orderdrop.db"), Reports: dir}
	at := time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)
	now := at
	l, err := ledger.Open(cfg.Ledger, ledger.Options{NoSync: true, Now: func() time.Time { return now }})
	require.NoError(t, err)
	const n = 2*readChunk + 7
	// Keys in the reverse of their submission: key order is not the page's order.
	for i := n - 1; i >= 0; i-- {
		k := fmt.Sprintf("l2/ref:OPEN-%04d", i)
		require.NoError(t, l.BeginSubmits([]ledger.Intent{{Key: k, Kind: "l2", Carrier: "prizz", Ref: k[len("l2/ref:"):], Fingerprint: "fp", BatchID: "b"}}))
		require.NoError(t, l.RecordOutcomes([]ledger.Outcome{{Key: k, State: ledger.Submitted, Reference: "PZ-" + k}}))
		now = now.Add(time.Second)
	}
	require.NoError(t, l.Close())

	src := &Source{gate: &Gate{}, cfg: func() *config.Config { return cfg }}
	tests := []struct {
		offset, limit int
		first, last   string // refs; "" = none shown
	}{
		{0, 10, fmt.Sprintf("OPEN-%04d", n-1), fmt.Sprintf("OPEN-%04d", n-10)},
		{readChunk, 3, fmt.Sprintf("OPEN-%04d", n-1-readChunk), fmt.Sprintf("OPEN-%04d", n-3-readChunk)},
		{n - 2, 10, "OPEN-0001", "OPEN-0000"},
		{n, 10, "", ""},
	}
	for _, tt := range tests {
		items, total, err := src.OpenOrders(context.Background(), tt.offset, tt.limit)
		require.NoError(t, err)
		assert.Equal(t, n, total)
		if tt.first == "" {
			assert.Empty(t, items)
			continue
		}
		require.NotEmpty(t, items)
		assert.Equal(t, tt.first, items[0].Ref, "offset %d", tt.offset)
		assert.Equal(t, tt.last, items[len(items)-1].Ref, "offset %d", tt.offset)
		assert.Equal(t, "not asked yet", items[0].Stage)
	}
}

// opener opens the ledger of cfg for a pass, as the passes' own opening does
// when the folders show no earlier pass.
func opener(cfg *config.Config) func() (*ledger.Ledger, error) {
	return func() (*ledger.Ledger, error) {
		return ledger.Open(cfg.Ledger, ledger.Options{Timeout: time.Second})
	}
}

// waitFor waits (10s at most) until cond holds, then fails naming what.
func waitFor(t *testing.T, what string, cond func() bool, logs ...fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			for _, l := range logs {
				t.Log(l.String())
			}
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
