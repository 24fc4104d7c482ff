package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sim"
	"github.com/orderdrop/orderdrop/internal/snapshot"
)

// track runs one tracking pass in this process; it returns the exit code,
// stdout and the log.
func (e *e2e) track() (int, string, string) {
	e.t.Helper()
	cfg, err := loadConfig(e.cfg)
	require.NoError(e.t, err)
	var out, logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	code, err := runTrack(context.Background(), cfg, time.Now, &out, log)
	if err != nil {
		out.WriteString(err.Error())
	}
	return code, out.String(), logs.String()
}

func (e *e2e) refs(carrierName string) []string {
	var out []string
	for _, o := range e.sim.Orders() {
		if o.Carrier == carrierName {
			out = append(out, o.Reference)
		}
	}
	return out
}

func (e *e2e) push(ref, stage, date, reason string) {
	e.t.Helper()
	_, ok, err := e.sim.PushStage(ref, stage, date, reason, "")
	require.NoError(e.t, err)
	require.True(e.t, ok, "unknown reference %s", ref)
}

func TestE2ETrackOpenOrdersAttentionAndRedrop(t *testing.T) {
	if _, err := os.Stat(fixtures); err != nil {
		t.Skip("shared fixtures not present")
	}
	e := newE2E(t, "tracking:\n  page_size: 2\n")
	e.dropFile(filepath.Join(fixtures, "inbox", "multi-kind.xlsx"))
	code, out := e.run(generatedOn(t))
	require.Equal(t, ExitAttention, code, out) // the fixture has invalid rows
	openXLSX := filepath.Join(e.dir, "reports", "open-orders.xlsx")
	assert.FileExists(t, openXLSX, "a run rewrites the open-orders workbook")
	assert.FileExists(t, filepath.Join(e.dir, "reports", "open-orders.csv"))

	// First pass: every port-in and L2 link is pending; Netwo is off by default.
	code, out, logs := e.track()
	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "tracking: 4 asked, 4 changed")
	assert.Contains(t, out, "2 not followed")
	assert.Contains(t, out, "open orders: 6 (2 not asked yet, 4 pending)", "fr-port orders stay open, not asked")
	assert.Contains(t, logs, "netwo tracking is off")

	tt, pz := e.refs(sim.CarrierThinktel), e.refs(sim.CarrierPrizz)
	require.Len(t, tt, 3)
	require.Len(t, pz, 1)
	e.push(tt[0], sim.StageScheduled, "2026-12-04", "")
	e.push(tt[1], sim.StageRejected, "", "End user name does not match")
	e.push(tt[2], sim.StageCompleted, "2026-11-30", "")
	e.push(pz[0], sim.StageScheduled, "2026-12-09", "")

	code, out, _ = e.track()
	assert.Equal(t, ExitAttention, code, "a rejection after submission needs a person: %s", out)
	assert.Contains(t, out, "tracking: 4 asked, 4 changed")
	assert.Contains(t, out, "pending → rejected: Losing carrier rejected the request; End user name does not match; RJCT CODE 6P")
	assert.Contains(t, out, "what to do: customer_name must be written exactly as on the losing carrier's bill", "the rejection's fix, from Thinktel's catalogue")
	assert.Contains(t, out, "pending → scheduled 2026-12-04 (CONFIRMED)")
	assert.Contains(t, out, "open orders: 4 (2 not asked yet, 2 scheduled)", "completed and rejected orders are no longer open")

	// The workbook: the open orders with their input file and stage, the changes of the last pass.
	f, err := excelize.OpenFile(openXLSX)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("Open orders")
	require.NoError(t, err)
	require.Len(t, rows, 5)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	byRef := map[string][]string{}
	for _, r := range rows[1:] {
		byRef[r[col["carrier_reference"]]] = r
	}
	require.Contains(t, byRef, tt[0])
	assert.Equal(t, "scheduled", byRef[tt[0]][col["stage"]])
	assert.Equal(t, "2026-12-04", byRef[tt[0]][col["scheduled_date"]])
	assert.Equal(t, "multi-kind.xlsx", byRef[tt[0]][col["input_file"]])
	assert.Contains(t, byRef[tt[0]][col["input_rows"]], `sheet "ca-port" row`)
	changes, err := f.GetRows("Changes")
	require.NoError(t, err)
	assert.Len(t, changes, 5, "header and the 4 changes of the last pass")

	// A pass with nothing new: no change (the Changes sheet keeps 30 days).
	code, out, _ = e.track()
	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "tracking: 2 asked, 0 changed")

	// attention lists the rejection with its action; --json for scripts.
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	var text bytes.Buffer
	code, err = runAttention(context.Background(), cfg, attentionOptions{}, &text)
	require.NoError(t, err)
	assert.Equal(t, ExitAttention, code)
	assert.Contains(t, text.String(), "rejected_at_carrier")
	assert.Contains(t, text.String(), "End user name does not match")
	assert.Contains(t, text.String(), "same order_ref")
	var js bytes.Buffer
	_, err = runAttention(context.Background(), cfg, attentionOptions{json: true}, &js)
	require.NoError(t, err)
	var all, items []attention.Item
	require.NoError(t, json.Unmarshal(js.Bytes(), &all))
	for _, it := range all {
		if it.Kind != attention.InvalidRows { // the fixture's invalid rows are listed too
			items = append(items, it)
		}
	}
	require.Len(t, items, 1)
	assert.Equal(t, attention.RejectedAtCarrier, items[0].Kind)
	assert.Equal(t, tt[1], items[0].Reference)

	// status BATCH shows each order's stage.
	l, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	batches, err := l.Batches(1)
	require.NoError(t, err)
	require.NoError(t, l.Close())
	require.Len(t, batches, 1)
	var st bytes.Buffer
	require.NoError(t, runStatus(cfg, batches[0].ID, statusOptions{}, &st))
	assert.Contains(t, st.String(), "STAGE")
	assert.Contains(t, st.String(), "scheduled 2026-12-04 (CONFIRMED)")

	// A re-drop still answers already_submitted, now with the stage; the
	// rejected order says it is unchanged since its rejection.
	e.dropFile(filepath.Join(fixtures, "inbox", "multi-kind.xlsx"))
	_, out = e.run(generatedOn(t))
	assert.Contains(t, out, "already_submitted", out)
	found := false
	for _, r := range e.reportRows("multi-kind.result.2.xlsx") {
		if r["carrier_reference"] == tt[1] {
			found = true
			// Rejected after acceptance and dropped unchanged: nothing sent, and why.
			assert.Equal(t, "rejected", r["status"])
			assert.Contains(t, r["message"], "unchanged since the carrier rejected it on")
		}
	}
	assert.True(t, found)
}

func TestE2EAttentionEmptyExits0(t *testing.T) {
	e := newE2E(t, "")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	var out bytes.Buffer
	code, err := runAttention(context.Background(), cfg, attentionOptions{}, &out)
	require.NoError(t, err)
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, "nothing needs attention\n", out.String())
	out.Reset()
	code, err = runAttention(context.Background(), cfg, attentionOptions{json: true}, &out)
	require.NoError(t, err)
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, "[]", strings.TrimSpace(out.String()))
}

// While `orderdrop track` waits for a carrier that does not answer, the
// ledger is free: `orderdrop run` can open it. The pass ends within
// tracking.max_duration.
func TestTrackLendsTheLedgerWhileACarrierHangs(t *testing.T) {
	e := newE2E(t, "tracking:\n  max_duration: 1s\n")
	arrived, release := make(chan struct{}, 100), make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) })
	e.edit(e.srv.URL+"/thinktel/rest.svc", hang.URL+"/thinktel/rest.svc")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	l, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	in := ledger.Intent{Key: "ca-port/CA-1", Kind: "ca-port", Carrier: "thinktel", Ref: "CA-1", Fingerprint: "fp", BatchID: "b1",
		Fields: map[string]string{"numbers": "4165550101"}}
	require.NoError(t, l.BeginSubmits([]ledger.Intent{in}))
	require.NoError(t, l.RecordOutcomes([]ledger.Outcome{{Key: in.Key, State: ledger.Submitted, Reference: "PI-1"}}))
	require.NoError(t, l.Close())
	require.NoError(t, os.MkdirAll(cfg.Reports, 0o750))

	type result struct {
		code int
		out  string
	}
	ended := make(chan result, 1)
	start := time.Now()
	go func() {
		code, out, _ := e.track()
		ended <- result{code, out}
	}()
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("the carrier was never asked")
	}
	run, err := ledger.Open(cfg.Ledger, ledger.Options{Timeout: 200 * time.Millisecond})
	require.NoError(t, err, "orderdrop run could not open the ledger while tracking waited for the carrier")
	require.NoError(t, run.Close())
	var got result
	select {
	case got = <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("the tracking pass did not end")
	}
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, ExitOK, got.code, got.out)
	assert.Contains(t, got.out, "stopped after tracking.max_duration 1s")
	assert.Contains(t, got.out, "open orders: 1")
}

// While a pass holds the ledger, attention reads the snapshot the pass
// keeps beside it (as status does), says so, and exits as usual.
func TestAttentionDuringAPassReadsTheSnapshot(t *testing.T) {
	e := newE2E(t, "")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	held, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	defer held.Close()
	in := ledger.Intent{Key: "ca-port/CA-9", Kind: "ca-port", Carrier: "thinktel", Ref: "CA-9", Fingerprint: "fp", BatchID: "b1",
		File: "ports.csv", Rows: []int{4}, Fields: map[string]string{"numbers": "4165550109"}}
	require.NoError(t, held.BeginSubmits([]ledger.Intent{in}))
	require.NoError(t, held.RecordOutcomes([]ledger.Outcome{{Key: in.Key, State: ledger.InDoubt, Message: "request sent, then timeout"}}))
	// The pass writes its snapshot, and keeps the ledger.
	snapshot.Start(held, slog.New(slog.DiscardHandler), time.Hour).Close()

	var out, notes bytes.Buffer
	code, err := runAttention(context.Background(), cfg, attentionOptions{notes: &notes}, &out)
	require.NoError(t, err)
	assert.Equal(t, ExitAttention, code)
	assert.Regexp(t, `a pass is running \(process \d+\): attention list as of \d\d:\d\d:\d\d`, out.String())
	assert.Contains(t, out.String(), "ca-port/CA-9")

	out.Reset()
	code, err = runAttention(context.Background(), cfg, attentionOptions{json: true, notes: &notes}, &out)
	require.NoError(t, err)
	assert.Equal(t, ExitAttention, code)
	var items []attention.Item
	require.NoError(t, json.Unmarshal(out.Bytes(), &items), "the JSON stays JSON: %s", out.String())
	require.Len(t, items, 1)
	assert.Equal(t, "ca-port/CA-9", items[0].Key)
	assert.Contains(t, notes.String(), "a pass is running")

	// No snapshot (an older orderdrop holds the ledger): say so.
	require.NoError(t, os.Remove(snapshot.Path(cfg.Ledger)))
	_, err = runAttention(context.Background(), cfg, attentionOptions{}, &out)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, ExitFatal, ee.Code)
	assert.Contains(t, err.Error(), "has written no attention list yet")
}

// An open-orders workbook a run cannot rewrite is not a silent warning: the
// run says so, its digest lists it, the old workbook is marked out of date
// and orderdrop attention lists it until a write succeeds.
func TestRunSaysTheOpenOrdersWorkbookIsStale(t *testing.T) {
	e := newE2E(t, "")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	e.drop("one.csv", l2CSV(t, 1))
	code, out := e.runCommand("--print-digest")
	require.Equal(t, ExitOK, code, out)
	require.FileExists(t, filepath.Join(cfg.Reports, "open-orders.xlsx"))

	blocker := filepath.Join(cfg.Reports, "open-orders.csv")
	require.NoError(t, os.Remove(blocker))
	require.NoError(t, os.MkdirAll(filepath.Join(blocker, "x"), 0o750))
	e.drop("two.csv", l2CSV(t, 1))
	_, out = e.runCommand("--print-digest")
	assert.Contains(t, out, "open-orders.xlsx: not rewritten, it is out of date (see open-orders.STALE.txt)")
	assert.Regexp(t, `(?s)== digest this pass would send.*open-orders.xlsx could not be rewritten`, out)
	assert.FileExists(t, filepath.Join(cfg.Reports, "open-orders.STALE.txt"))

	var listing bytes.Buffer
	code, err = runAttention(context.Background(), cfg, attentionOptions{}, &listing)
	require.NoError(t, err)
	assert.Equal(t, ExitAttention, code)
	assert.Contains(t, listing.String(), "stale_open_orders")

	require.NoError(t, os.RemoveAll(blocker))
	code, out, _ = e.track()
	require.Equal(t, ExitOK, code, out)
	assert.NoFileExists(t, filepath.Join(cfg.Reports, "open-orders.STALE.txt"))
	listing.Reset()
	code, err = runAttention(context.Background(), cfg, attentionOptions{}, &listing)
	require.NoError(t, err)
	assert.Equal(t, ExitOK, code, listing.String())
}
