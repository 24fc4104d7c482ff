package config

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRecovery(t *testing.T) {
	tests := []struct {
		name, yml string
		want      Recovery
		wantErr   string
	}{
		{"defaults", "", Recovery{SettleAfter: 24 * time.Hour, LookupEvery: 30 * time.Minute, MaxLookupsPerPass: 20}, ""},
		{"set", "recovery:\n  settle_after: 48h\n  release_unfound_after_settle: true\n  lookup_every: 1h\n  max_lookups_per_pass: 5\n",
			Recovery{SettleAfter: 48 * time.Hour, ReleaseUnfoundAfterSettle: true, LookupEvery: time.Hour, MaxLookupsPerPass: 5}, ""},
		{"settle too short", "recovery:\n  settle_after: 5s\n", Recovery{}, "recovery.settle_after"},
		{"negative lookups", "recovery:\n  max_lookups_per_pass: -1\n", Recovery{}, "recovery.max_lookups_per_pass"},
		{"typo", "recovery:\n  release_unfound: true\n", Recovery{}, "release_unfound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yml), "/srv/od", env(nil))
			if tt.wantErr != "" {
				require.ErrorIs(t, err, ErrInvalid)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg.Recovery)
		})
	}
}
