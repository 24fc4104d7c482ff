package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLedgerBackups(t *testing.T) {
	tests := []struct {
		yml  string
		want int
	}{
		{"", 7},
		{"ledger_backups: 0\n", 0},
		{"ledger_backups: 30\n", 30},
	}
	for _, tt := range tests {
		cfg, err := Parse([]byte(tt.yml), "/x", env(nil))
		require.NoError(t, err, tt.yml)
		got := cfg.LedgerBackups
		require.NotNil(t, got, tt.yml)
		assert.Equal(t, tt.want, *got, "%q", tt.yml)
	}
	_, err := Parse([]byte("ledger_backups: -1\n"), "/x", env(nil))
	require.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "ledger_backups")
}
