package review

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// TestOpenOrderDetailNotRepeated shows a carrier status that only repeats
// the stage is not shown again as the open order's detail.
func TestOpenOrderDetailNotRepeated(t *testing.T) {
	tests := []struct {
		name  string
		tr    ledger.Tracking
		wantD string
	}{
		{"repeats", ledger.Tracking{Stage: ledger.StageRejected, Status: "REJECTED", Message: "address unknown"}, "address unknown"},
		{"says more", ledger.Tracking{Stage: ledger.StageScheduled, Date: "2026-12-01", Status: "CONFIRMEDwDATECHANGE"}, "CONFIRMEDwDATECHANGE"},
		{"status equals message", ledger.Tracking{Stage: ledger.StagePending, Status: "Accepted", Message: "Accepted"}, "Accepted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := tt.tr
			assert.Equal(t, tt.wantD, openOrder(&ledger.Order{Track: &tr}).Detail)
		})
	}
}

// TestOrderPageShowsWantedDateInTheTimeZone shows a port typed as 10:00
// Paris read "2026-12-22 10:00 CET" on the order's page, not the
// fingerprint's "2026-12-22T09:00:00Z".
func TestOrderPageShowsWantedDateInTheTimeZone(t *testing.T) {
	dir := t.TempDir()
	cfg := &config.Config{Ledger: filepath.Join(dir, "orderdrop.db"), Reports: dir, TimeZone: "Europe/Paris"}
	l, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	require.NoError(t, l.BeginSubmits([]ledger.Intent{{Key: "fr-port/idn:0261910210", Kind: "fr-port", Fingerprint: "fp", BatchID: "b",
		Fields: map[string]string{"wanted_date": "2026-12-22T09:00:00Z", "idn": "0261910210"}}}))
	require.NoError(t, l.Close())

	src := NewSource(&Gate{}, func() *config.Config { return cfg })
	d, err := src.Order(context.Background(), "fr-port/idn:0261910210")
	require.NoError(t, err)
	got := map[string]string{}
	for _, f := range d.Fields {
		got[f.Name] = f.Value
	}
	assert.Equal(t, "2026-12-22 10:00 CET", got["wanted_date"])
	assert.Equal(t, "0261910210", got["idn"])
}
