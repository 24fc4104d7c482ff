package track

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	_, err := Pass(context.Background(), l, opts)
	require.NoError(t, err)

	clk.Add(time.Hour)
	f.set("R1", carrier.Status{Stage: ledger.StageCompleted, Word: "COMPLETED", Date: "2026-11-23"})
	f.set("R2", carrier.Status{Stage: ledger.StageScheduled, Word: "CONFIRMED", Date: "2026-12-01"})
	_, err = Pass(context.Background(), l, opts)
	require.NoError(t, err)

	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	dir := t.TempDir()
	oo, err := WriteOpenOrders(l, dir, paris, clk.Now())
	require.NoError(t, err)
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
