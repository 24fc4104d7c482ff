package attention

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// TestRejectionHintIsTheAction shows a rejection explained by the carrier's
// catalogue: the carrier's words in What, the hint first in Action; and
// times in the configured time zone.
func TestRejectionHintIsTheAction(t *testing.T) {
	dir := t.TempDir()
	clock := time.Date(2026, 11, 23, 17, 47, 0, 0, time.UTC)
	l, err := ledger.Open(filepath.Join(dir, "ledger.db"), ledger.Options{Now: func() time.Time { return clock }, NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	in := func(k string) ledger.Intent {
		return ledger.Intent{Key: "ca-port/" + k, Kind: "ca-port", Carrier: "thinktel", Ref: k, Fingerprint: "fp", BatchID: "b",
			Fields: map[string]string{"numbers": "4165550120"}, File: "ports.xlsx", Rows: []int{4}}
	}
	require.NoError(t, l.BeginSubmits([]ledger.Intent{in("REJ"), in("UNKNOWN"), in("DOUBT")}))
	require.NoError(t, l.RecordOutcomes([]ledger.Outcome{
		{Key: "ca-port/REJ", State: ledger.Submitted, Reference: "PI-2"},
		{Key: "ca-port/UNKNOWN", State: ledger.Submitted, Reference: "PI-3"},
		{Key: "ca-port/DOUBT", State: ledger.InDoubt, Message: "request sent, then timeout"},
	}))
	_, err = l.RecordTracking([]ledger.TrackUpdate{
		{Key: "ca-port/REJ", Stage: ledger.StageRejected, Status: "REJECTED",
			Message: "RJCT REMARKS NAME MISMATCH; " + carrier.HintPrefix + "customer_name must be written exactly as on the losing carrier's bill"},
		{Key: "ca-port/UNKNOWN", Stage: ledger.StageRejected, Status: "REJECTED", Message: "RJCT CODE ZZ; " + carrier.HintPrefix + carrier.UnknownHint},
	})
	require.NoError(t, err)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)

	items, err := Collect(context.Background(), Sources{Ledger: l, Location: paris})
	require.NoError(t, err)
	got := map[string]Item{}
	for _, it := range items {
		got[it.Key] = it
	}
	tests := []struct {
		key, what, action string
	}{
		{"ca-port/REJ", "thinktel rejected the order after accepting it (REJECTED): RJCT REMARKS NAME MISMATCH",
			"customer_name must be written exactly as on the losing carrier's bill: it is sent again under the same order_ref REJ (attempt 2)"},
		{"ca-port/UNKNOWN", "RJCT CODE ZZ", carrier.UnknownHint},
		{"ca-port/DOUBT", "sent 2026-11-23 18:47 CET", "orderdrop resolve"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			it := got[tt.key]
			assert.Contains(t, it.What, tt.what, "got What %q", it.What)
			assert.NotContains(t, it.What, carrier.HintPrefix, "the hint belongs in Action")
			assert.Contains(t, it.Action, tt.action, "got Action %q", it.Action)
		})
	}
}
