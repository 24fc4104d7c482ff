package batch

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// fakeCarrier answers by order_ref: a class per ref (Accepted by default)
// and counts what it was sent.
type fakeCarrier struct {
	mu      sync.Mutex
	classes map[string]carrier.Class
	sent    map[string]int
	n       int
}

func newFake() *fakeCarrier {
	return &fakeCarrier{classes: map[string]carrier.Class{}, sent: map[string]int{}}
}

func (f *fakeCarrier) Submit(_ context.Context, o *order.Order, _ carrier.Submission) carrier.Result {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent[o.Ref]++
	f.n++
	switch c := f.classes[o.Ref]; c {
	case 0, carrier.Accepted:
		return carrier.Result{Class: carrier.Accepted, Reference: fmt.Sprintf("CMD-L2-%06d", f.n), Attempts: 1}
	case carrier.Rejected:
		return carrier.Result{Class: carrier.Rejected, Message: "idOffre 2201 inconnue", Attempts: 1}
	case carrier.Retryable:
		return carrier.Result{Class: carrier.Retryable, Message: "HTTP 503", Attempts: 5}
	default:
		return carrier.Result{Class: c, Message: "timeout after the request was sent", Attempts: 1}
	}
}

func (f *fakeCarrier) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

var l2Header = []string{"order_ref", "client_name", "offer_id", "option_ids", "gtr_contact_ho", "gtr_contact_hno", "street_number", "street_type",
	"street_name", "zip_code", "city", "site_contact_name", "site_contact_phone", "site_contact_email", "site_contact_hours",
	"follow_contact_ids", "port_ref", "site_vlan_mode", "port_vlan_mode", "delivery_interface", "site_vlan", "port_vlan"}

func l2Row(ref, client string) []string {
	return []string{ref, client, "2201", "41", "7101", "7102", "27", "avenue", "Jean Jaurès", "33600", "Pessac", "Mathilde Roques",
		"0536490731", "m.roques@cave-pessac.example", "9h-18h", "7103", "PZ-BDX-ATL1-03", "Flux non tagué", "Flux non tagué", "1000 Base LX", "", ""}
}

func writeCSV(t *testing.T, dir, name string, rows ...[]string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	require.NoError(t, err)
	w := csv.NewWriter(f)
	require.NoError(t, w.Write(l2Header))
	require.NoError(t, w.WriteAll(rows))
	require.NoError(t, f.Close())
	return path
}

type env struct {
	dir  string
	l    *ledger.Ledger
	fake *fakeCarrier
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	l, err := ledger.Open(filepath.Join(dir, "ledger.db"), ledger.Options{NoSync: true})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return &env{dir: dir, l: l, fake: newFake()}
}

func (e *env) opts() Options {
	return Options{Ledger: e.l, Carriers: map[order.Kind]Submitter{order.L2: e.fake}, ReportDir: filepath.Join(e.dir, "reports"),
		Order: order.Options{Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}}
}

// reportRows reads a CSV report back: status, reference and message by order_ref.
func reportRows(t *testing.T, path string) map[string][3]string {
	t.Helper()
	wb, err := sheet.Open(path, sheet.Options{})
	require.NoError(t, err)
	require.Len(t, wb.Sheets, 1)
	tab := wb.Sheets[0]
	col := map[string]int{}
	for i, h := range tab.Header {
		col[h] = i
	}
	out := map[string][3]string{}
	for _, r := range tab.Records {
		out[r.Cells[col["order_ref"]]] = [3]string{r.Cells[col["status"]], r.Cells[col["carrier_reference"]], r.Cells[col["message"]]}
	}
	return out
}

func TestProcessSubmitsOnceAcrossRuns(t *testing.T) {
	e := newEnv(t)
	in := writeCSV(t, e.dir, "orders.csv", l2Row("A-1", "Cave de Pessac"), l2Row("A-2", "Clinique du Tondu"))

	s1, err := Process(context.Background(), in, e.opts())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Submitted: 2}, s1.Counts)
	assert.Equal(t, 2, e.fake.total())
	rows := reportRows(t, s1.Report)
	assert.Equal(t, Submitted, rows["A-1"][0])
	assert.NotEmpty(t, rows["A-1"][1], "a submitted row carries the carrier reference")

	// The same file dropped again: nothing is sent, the original references are shown.
	s2, err := Process(context.Background(), in, e.opts())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{AlreadySubmitted: 2}, s2.Counts)
	assert.Equal(t, 2, e.fake.total(), "got a second order at the carrier, want none")
	assert.NotEqual(t, s1.Report, s2.Report, "an earlier report must never be overwritten")
	assert.Equal(t, rows["A-1"][1], reportRows(t, s2.Report)["A-1"][1])
}

func TestProcessConflictOnChangedContent(t *testing.T) {
	e := newEnv(t)
	_, err := Process(context.Background(), writeCSV(t, e.dir, "a.csv", l2Row("A-1", "Cave de Pessac")), e.opts())
	require.NoError(t, err)
	s, err := Process(context.Background(), writeCSV(t, e.dir, "b.csv", l2Row("A-1", "Cave de Bordeaux")), e.opts())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Conflict: 1}, s.Counts)
	assert.Equal(t, 1, e.fake.total())
	assert.Contains(t, reportRows(t, s.Report)["A-1"][2], "client_name", "the conflict names the differing field")
}

func TestProcessOutcomeClasses(t *testing.T) {
	e := newEnv(t)
	e.fake.classes["R"] = carrier.Rejected
	e.fake.classes["D"] = carrier.InDoubt
	e.fake.classes["B"] = carrier.Retryable
	in := writeCSV(t, e.dir, "mix.csv", l2Row("R", "Rejected Co"), l2Row("D", "Doubt Co"), l2Row("B", "Busy Co"), l2Row("OK", "Fine Co"))
	s, err := Process(context.Background(), in, e.opts())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Rejected: 1, InDoubt: 1, NotSubmitted: 1, Submitted: 1}, s.Counts)
	rows := reportRows(t, s.Report)
	assert.Contains(t, rows["R"][2], "idOffre 2201 inconnue")
	assert.Contains(t, rows["D"][2], "orderdrop resolve")

	// Second run: the in-doubt order is never resent, the busy one is, the rejected one is not (same content).
	delete(e.fake.classes, "B")
	s2, err := Process(context.Background(), in, e.opts())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Rejected: 1, InDoubt: 1, Submitted: 1, AlreadySubmitted: 1}, s2.Counts)
	assert.Equal(t, 1, e.fake.sent["D"], "an in_doubt order must not be resent")
	assert.Equal(t, 2, e.fake.sent["B"])
	assert.Equal(t, 1, e.fake.sent["R"])
}

func TestProcessInvalidRowsAndAllOrNothing(t *testing.T) {
	e := newEnv(t)
	bad := l2Row("BAD", "Vlan Co")
	bad[20] = "4095" // site_vlan on an untagged side, and out of range
	in := writeCSV(t, e.dir, "aon.csv", l2Row("G-1", "Good Co"), bad)
	o := e.opts()
	o.AllOrNothing = func(k order.Kind) bool { return k == order.L2 }
	s, err := Process(context.Background(), in, o)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Invalid: 1, NotSubmitted: 1}, s.Counts)
	assert.Zero(t, e.fake.total(), "all-or-nothing: nothing may be sent from a file with an invalid row")
	rows := reportRows(t, s.Report)
	assert.Contains(t, rows["BAD"][2], "site_vlan")
	assert.Contains(t, rows["G-1"][2], "all-or-nothing")
	b, err := e.l.Batch(s.BatchID)
	require.NoError(t, err)
	assert.Equal(t, []ledger.Hold{{Kind: "l2", Held: 1, Invalid: 1, Setting: "kinds.l2.all_or_nothing"}}, b.Holds,
		"the hold is recorded in the batch, not guessed from its counts")
}

func TestProcessValidateOnly(t *testing.T) {
	e := newEnv(t)
	in := writeCSV(t, e.dir, "v.csv", l2Row("V-1", "Valid Co"))
	s, err := Process(context.Background(), in, Options{Order: e.opts().Order})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{NotSubmitted: 1}, s.Counts)
	assert.Equal(t, filepath.Join(e.dir, "v.result.csv"), s.Report, "without ReportDir the report goes beside the input")
	assert.Zero(t, e.fake.total())
}

func TestProcessStoppedBeforeSending(t *testing.T) {
	e := newEnv(t)
	in := writeCSV(t, e.dir, "stop.csv", l2Row("S-1", "One"), l2Row("S-2", "Two"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, err := Process(ctx, in, e.opts())
	require.NoError(t, err)
	assert.True(t, s.Interrupted)
	assert.Equal(t, map[string]int{NotSubmitted: 2}, s.Counts)
	assert.Zero(t, e.fake.total())

	// The next pass sends them.
	s2, err := Process(context.Background(), in, e.opts())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Submitted: 2}, s2.Counts)
}

func TestProcessUnreadableFile(t *testing.T) {
	e := newEnv(t)
	path := filepath.Join(e.dir, "broken.xlsx")
	require.NoError(t, os.WriteFile(path, []byte("PK\x03\x04 not really a zip"), 0o644))
	_, err := Process(context.Background(), path, e.opts())
	var fe *FileError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "broken.xlsx", fe.File)
}

func TestSummaryLine(t *testing.T) {
	s := &Summary{File: "a.xlsx", Rows: 3, Counts: map[string]int{Submitted: 2, Invalid: 1}, Report: "reports/a.result.xlsx"}
	got := s.Line()
	assert.True(t, strings.HasPrefix(got, "a.xlsx: 3 rows, 2 submitted, 1 invalid"), "got %q", got)
	assert.True(t, s.NeedsAttention())

	s.ToFixErr = errors.New("disk full")
	assert.True(t, strings.HasSuffix(s.Line(), "→ reports/a.result.xlsx (no to-fix file: disk full)"), "got %q", s.Line())
}

func TestOrderSheets(t *testing.T) {
	tab := func(name string) *sheet.Table { return &sheet.Table{Name: name} }
	names := func(ts []*sheet.Table) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Name)
		}
		return out
	}
	tests := []struct {
		name   string
		sheets []*sheet.Table
		want   []string
	}{
		{"sheets named after kinds win, others are left alone", []*sheet.Table{tab("Notes"), tab("FR-PORT"), tab("Lists"), tab("l2")}, []string{"FR-PORT", "l2"}},
		{"no sheet named after a kind: the first sheet", []*sheet.Table{tab("Commandes"), tab("Notes")}, []string{"Commandes"}},
		{"a CSV's single table", []*sheet.Table{tab("")}, []string{""}},
		{"no sheet", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, orderSheets(names(tt.sheets)))
		})
	}
}

// A file name with a bidi control or a line break is shown on one safe
// line in the pass's summary on the terminal.
func TestSummaryLineShowsTheFileNameOnOneLine(t *testing.T) {
	s := &Summary{File: "orders\u202Excl.\nfake.csv", Rows: 1, Counts: map[string]int{Submitted: 1}, Report: "r.csv"}
	got := s.Line()
	if strings.ContainsAny(got, "\u202E\n\r") {
		t.Errorf("Line() = %q, want no bidi control or line break", got)
	}
	if !strings.Contains(got, "1 submitted") {
		t.Errorf("Line() = %q, want the counts kept", got)
	}
}
