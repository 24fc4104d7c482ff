package track

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

func TestOpenOrdersListsOpenAndLatestChanges(t *testing.T) {
	l, clk := newLedger(t)
	submit(t, l, "thinktel", "R1", "R2", "R3")
	f := &fakeTracker{answers: map[string]carrier.Status{
		"R1": {Stage: ledger.StagePending, Word: "SUBMITTED"},
		"R2": {Stage: ledger.StagePending, Word: "SUBMITTED"},
	}, errs: map[string]error{}}
	opts := Options{Trackers: map[string]Tracker{"thinktel": f}}
	_, err := Pass(context.Background(), Held(l), opts)
	require.NoError(t, err)

	clk.Add(time.Hour)
	f.set("R1", carrier.Status{Stage: ledger.StageCompleted, Word: "COMPLETED", Date: "2026-11-23"})
	f.set("R2", carrier.Status{Stage: ledger.StageScheduled, Word: "CONFIRMED", Date: "2026-12-01"})
	_, err = Pass(context.Background(), Held(l), opts)
	require.NoError(t, err)

	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	dir := t.TempDir()
	count, err := WriteOpenOrders(l, dir, paris, clk.Now())
	require.NoError(t, err)
	oo, err := OpenOrders(l, paris, clk.Now())
	require.NoError(t, err)
	assert.Equal(t, sheet.OpenOrdersCount{Orders: 2, ByStage: map[string]int{"scheduled": 1, "": 1}, Changes: 2}, count)
	var keys []string
	for _, o := range oo.Orders {
		keys = append(keys, o.Key)
	}
	assert.ElementsMatch(t, []string{"thinktel/R2", "thinktel/R3"}, keys, "R1 is completed: no longer open")
	for _, o := range oo.Orders {
		assert.Equal(t, "ports.csv", o.File)
		assert.Equal(t, "2", o.Rows)
		if o.Key == "thinktel/R2" {
			assert.Equal(t, "scheduled", o.Stage)
			assert.Equal(t, "2026-12-01", o.Date)
			assert.Equal(t, "CONFIRMED", o.Status)
			assert.Equal(t, paris, o.LastChecked.Location())
		}
	}
	require.Len(t, oo.Changes, 2, "only the latest pass's changes")
	got := map[string][2]string{}
	for _, c := range oo.Changes {
		got[c.Key] = [2]string{c.From, c.To}
	}
	assert.Equal(t, map[string][2]string{"thinktel/R1": {"pending", "completed"}, "thinktel/R2": {"pending", "scheduled"}}, got)
	assert.FileExists(t, filepath.Join(dir, sheet.OpenOrdersXLSX))
	assert.FileExists(t, filepath.Join(dir, sheet.OpenOrdersCSV))
}

// TestWriteOpenOrdersSameAsTheList checks that the files written from the
// ledger a batch of orders at a time hold what the whole list writes: rows
// in submission order (ties in key order), column widths, summary.
func TestWriteOpenOrdersSameAsTheList(t *testing.T) {
	l, clk := newLedger(t)
	submit(t, l, "thinktel", "R5", "R1")
	clk.Add(time.Minute)
	submit(t, l, "thinktel", "R0", "R9-with-a-much-longer-reference")
	clk.Add(time.Minute)
	submit(t, l, "thinktel", "R3")
	f := &fakeTracker{answers: map[string]carrier.Status{
		"R1": {Stage: ledger.StagePending, Word: "SUBMITTED"},
		"R3": {Stage: ledger.StageScheduled, Word: "CONFIRMED", Date: "2026-12-01"},
		"R5": {Stage: ledger.StageCompleted, Word: "COMPLETED"},
	}, errs: map[string]error{}}
	_, err := Pass(context.Background(), Held(l), Options{Trackers: map[string]Tracker{"thinktel": f}})
	require.NoError(t, err)
	require.NoError(t, l.StopTracking([]string{"thinktel/R0"}, "older than 90 days"))

	now := clk.Now()
	streamed, listed := t.TempDir(), t.TempDir()
	count, err := WriteOpenOrders(l, streamed, time.UTC, now)
	require.NoError(t, err)
	oo, err := OpenOrders(l, time.UTC, now)
	require.NoError(t, err)
	require.NoError(t, sheet.WriteOpenOrders(listed, oo))
	assert.Equal(t, len(oo.Orders), count.Orders)
	assert.Equal(t, len(oo.Changes), count.Changes)

	got, err := os.ReadFile(filepath.Join(streamed, sheet.OpenOrdersCSV))
	require.NoError(t, err)
	want, err := os.ReadFile(filepath.Join(listed, sheet.OpenOrdersCSV))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))

	gotX, err := excelize.OpenFile(filepath.Join(streamed, sheet.OpenOrdersXLSX))
	require.NoError(t, err)
	defer gotX.Close()
	wantX, err := excelize.OpenFile(filepath.Join(listed, sheet.OpenOrdersXLSX))
	require.NoError(t, err)
	defer wantX.Close()
	assert.Equal(t, wantX.GetSheetList(), gotX.GetSheetList())
	for _, name := range wantX.GetSheetList() {
		wantRows, err := wantX.GetRows(name)
		require.NoError(t, err)
		gotRows, err := gotX.GetRows(name)
		require.NoError(t, err)
		assert.Equal(t, wantRows, gotRows, "sheet %s", name)
		for col := 1; col <= 13; col++ {
			c, err := excelize.ColumnNumberToName(col)
			require.NoError(t, err)
			w1, err := wantX.GetColWidth(name, c)
			require.NoError(t, err)
			w2, err := gotX.GetColWidth(name, c)
			require.NoError(t, err)
			assert.Equal(t, w1, w2, "sheet %s column %s width", name, c)
		}
	}
	rows, err := gotX.GetRows("Open orders")
	require.NoError(t, err)
	var keys []string
	for _, r := range rows[1:] {
		keys = append(keys, r[2])
	}
	assert.Equal(t, []string{"thinktel/R1", "thinktel/R0", "thinktel/R9-with-a-much-longer-reference", "thinktel/R3"}, keys,
		"submission order, ties in key order; R5 is completed")
}

// A workbook that cannot be rewritten is marked stale, beside it, with
// when it was last right and what to do; the next good write removes the
// mark.
func TestWriteOpenOrdersMarksAStaleWorkbook(t *testing.T) {
	l, clk := newLedger(t)
	submit(t, l, "thinktel", "R1")
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	dir := t.TempDir()
	_, err = WriteOpenOrders(l, dir, paris, clk.Now())
	require.NoError(t, err)
	right := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	require.NoError(t, os.Chtimes(filepath.Join(dir, sheet.OpenOrdersXLSX), right, right))
	stale := filepath.Join(dir, sheet.OpenOrdersStale)
	assert.NoFileExists(t, stale)

	// The CSV cannot be replaced (here: a folder took its name).
	blocker := filepath.Join(dir, sheet.OpenOrdersCSV)
	require.NoError(t, os.Remove(blocker))
	require.NoError(t, os.MkdirAll(filepath.Join(blocker, "x"), 0o750))
	clk.Add(2 * time.Hour)
	_, err = WriteOpenOrders(l, dir, paris, clk.Now())
	require.Error(t, err)
	note, rerr := os.ReadFile(stale)
	require.NoError(t, rerr, "the old workbook is left without a note")
	assert.Contains(t, string(note), "OUT OF DATE")
	assert.Contains(t, string(note), "as of 2026-11-23 10:00 CET", "when it was last right, in the configured zone")
	assert.Contains(t, string(note), "could not rewrite them at 2026-11-23 12:00 CET")
	assert.Contains(t, string(note), sheet.OpenOrdersCSV)
	assert.Contains(t, string(note), "orderdrop track")

	require.NoError(t, os.RemoveAll(blocker))
	_, err = WriteOpenOrders(l, dir, paris, clk.Now())
	require.NoError(t, err)
	assert.NoFileExists(t, stale, "a good write removes the mark")
}

// The Changes sheet keeps the last 30 days of changes, not only the last
// pass's, and an order seen for the first time is not a change.
func TestOpenOrdersChangesKeepThirtyDays(t *testing.T) {
	l, clk := newLedger(t)
	submit(t, l, "thinktel", "R1", "R2")
	f := &fakeTracker{answers: map[string]carrier.Status{
		"R1": {Stage: ledger.StagePending, Word: "SUBMITTED"},
		"R2": {Stage: ledger.StagePending, Word: "SUBMITTED"},
	}, errs: map[string]error{}}
	opts := Options{Trackers: map[string]Tracker{"thinktel": f}}
	pass := func() {
		t.Helper()
		_, err := Pass(context.Background(), Held(l), opts)
		require.NoError(t, err)
	}
	changes := func() []string {
		t.Helper()
		dir := t.TempDir()
		count, err := WriteOpenOrders(l, dir, time.UTC, clk.Now())
		require.NoError(t, err)
		oo, err := OpenOrders(l, time.UTC, clk.Now())
		require.NoError(t, err)
		assert.Equal(t, len(oo.Changes), count.Changes, "the workbook and the list agree")
		var out []string
		for _, c := range oo.Changes {
			out = append(out, c.Key+" "+c.From+"→"+c.To)
		}
		return out
	}
	pass()
	assert.Empty(t, changes(), "first seen pending: not a change")

	clk.Add(24 * time.Hour)
	f.set("R1", carrier.Status{Stage: ledger.StageConfirmed, Word: "CONFIRMED"})
	pass()
	clk.Add(24 * time.Hour)
	f.set("R2", carrier.Status{Stage: ledger.StageCancelled, Word: "CANCELLED"})
	pass()
	assert.Equal(t, []string{"thinktel/R1 pending→confirmed", "thinktel/R2 pending→cancelled"}, changes(), "both days' changes")

	clk.Add(29*24*time.Hour + time.Hour)
	pass()
	assert.Equal(t, []string{"thinktel/R2 pending→cancelled"}, changes(), "the change of more than 30 days ago is gone")
}
