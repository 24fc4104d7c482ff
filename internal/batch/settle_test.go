package batch

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// TestTooEarlyToRelease: an order in doubt sent less than settle ago is
// refused with until when to wait; later, or an order not in doubt or
// unknown, is left to Resolve.
func TestTooEarlyToRelease(t *testing.T) {
	clock := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	l, err := ledger.Open(filepath.Join(t.TempDir(), "ledger.db"), ledger.Options{Now: func() time.Time { return clock }, NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	require.NoError(t, l.BeginSubmits([]ledger.Intent{{Key: "l2/X", Kind: "l2", Carrier: "prizz", Ref: "X", Fingerprint: "fp", BatchID: "b"}}))
	require.NoError(t, l.RecordOutcomes([]ledger.Outcome{{Key: "l2/X", State: ledger.InDoubt, Message: "timeout"}}))

	tests := []struct {
		name  string
		key   string
		after time.Duration
		want  string // "" = no error
	}{
		{"too early", "l2/X", time.Hour, "l2/X was sent at 2026-11-23 09:00:00 UTC, 1h0m0s ago: prizz may still be creating it"},
		{"settled", "l2/X", 25 * time.Hour, ""},
		{"unknown", "l2/NONE", time.Hour, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC).Add(tt.after)
			err := TooEarlyToRelease(l, tt.key, 24*time.Hour, time.UTC)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if tt.want == "" && got != "" || !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
