package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProblems: every problem comes back as one line, those of the keys
// (without "invalid configuration") and those of the places, and a usable
// configuration has none and creates nothing.
func TestProblems(t *testing.T) {
	dir := t.TempDir()
	notAFolder := filepath.Join(dir, "not-a-folder")
	require.NoError(t, os.WriteFile(notAFolder, []byte("x"), 0o600))
	tests := []struct {
		name string
		yml  string
		want []string
	}{
		{"places", "inbx: typo\ninbox: " + notAFolder + "\nledger: " + filepath.Join(notAFolder, "orderdrop.db") + "\n", []string{
			"unknown key `inbx` (line 1): did you mean `inbox`?",
			"inbox: " + notAFolder + " is not a folder",
			"ledger: " + filepath.Join(notAFolder, "orderdrop.db") + ": cannot be created: " + notAFolder + " is not a folder (a ledger in a read-only place cannot record orders)",
		}},
		{"usable", "state_dir: state\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".yaml")
			require.NoError(t, os.WriteFile(path, []byte(tt.yml), 0o640))
			cfg, got := Problems(path)
			require.NotNil(t, cfg)
			assert.Equal(t, tt.want, got, "got %q, want %q", got, tt.want)
		})
	}
	_, err := os.Stat(filepath.Join(dir, "state"))
	assert.ErrorIs(t, err, os.ErrNotExist, "Problems creates nothing")
}
