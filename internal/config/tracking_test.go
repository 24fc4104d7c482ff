package config

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTrackingBounds(t *testing.T) {
	tests := []struct {
		yml             string
		wantMax         time.Duration
		wantBreakAfter  int
		wantErrContains string
	}{
		{"", 10 * time.Minute, 3, ""},
		{"tracking:\n  page_size: 50\n", 10 * time.Minute, 3, ""},
		{"tracking:\n  max_duration: 0\n", 0, 3, ""}, // no bound
		{"tracking:\n  max_duration: 90s\n  break_after: 5\n", 90 * time.Second, 5, ""},
		{"tracking:\n  max_duration: -1m\n", 0, 0, "tracking.max_duration"},
		{"tracking:\n  break_after: -1\n", 0, 0, "tracking.break_after"},
	}
	for _, tt := range tests {
		t.Run(tt.yml, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yml), "/x", env(nil))
			if tt.wantErrContains != "" {
				require.ErrorIs(t, err, ErrInvalid)
				assert.Contains(t, err.Error(), tt.wantErrContains)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantMax, cfg.Tracking.MaxDuration, "got max_duration %s want %s", cfg.Tracking.MaxDuration, tt.wantMax)
			assert.Equal(t, tt.wantBreakAfter, cfg.Tracking.BreakAfter)
		})
	}
}
