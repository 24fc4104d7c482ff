package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goTypeNames matches what a Go or YAML library error shows and a user
// should never see: type names and YAML tags.
var goTypeNames = regexp.MustCompile(`config\.|time\.Duration|\bint(64)?\b|float64|\[\]string|map\[|!!|unmarshal|struct`)

func TestParseStableAfterZeroMeansZero(t *testing.T) {
	tests := []struct {
		yml  string
		want time.Duration
	}{
		{"", 30 * time.Second},
		{"inbox: in\n", 30 * time.Second},
		{"stable_after:\n", 30 * time.Second}, // empty: the default
		{"stable_after: 0s\n", 0},
		{"stable_after: 0\n", 0},
		{"stable_after: 2m\n", 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.yml, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yml), "/x", env(nil))
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg.StableAfter, "got stable_after %s want %s", cfg.StableAfter, tt.want)
		})
	}
}

// TestParseErrorsNameTheKey: a configuration error names the key (with its
// path and line), suggests the closest known key for a typo, and shows no
// Go type name.
func TestParseErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		name, yml string
		want      []string
		wantNot   string
	}{
		{"typo deep", "carriers:\n  thinktel:\n    base_url: https://x\n    pasword: p\n",
			[]string{"unknown key `carriers.thinktel.pasword` (line 4): did you mean `password`?"}, ""},
		{"typo top", "stable_afer: 1m\n", []string{"unknown key `stable_afer` (line 1): did you mean `stable_after`?"}, ""},
		{"typo in an inlined key", "carriers:\n  netwo:\n    concurency: 2\n", []string{"unknown key `carriers.netwo.concurency` (line 3): did you mean `concurrency`?"}, ""},
		{"typo under a map", "kinds:\n  l2:\n    all_or_nothin: true\n", []string{"unknown key `kinds.l2.all_or_nothin` (line 3): did you mean `all_or_nothing`?"}, ""},
		{"nothing close", "colour: blue\n", []string{"unknown key `colour` (line 1)"}, "did you mean"},
		{"two typos", "inbx: a\nlog:\n  levl: debug\n", []string{"unknown key `inbx` (line 1): did you mean `inbox`?", "unknown key `log.levl` (line 3): did you mean `level`?"}, ""},
		{"not a number", "carriers:\n  netwo:\n    concurrency: many\n", []string{"carriers.netwo.concurrency (line 3): many is not a whole number"}, ""},
		{"not a decimal", "carriers:\n  netwo:\n    rate_per_second: fast\n", []string{"carriers.netwo.rate_per_second (line 3): fast is not a number"}, ""},
		{"not a duration", "stable_after: soon\n", []string{"stable_after (line 1): soon is not a duration such as 30s, 5m or 1h"}, ""},
		{"not a boolean", "kinds:\n  l2:\n    all_or_nothing: maybe\n", []string{"kinds.l2.all_or_nothing (line 3): maybe is not true or false"}, ""},
		{"scalar for a section", "log: text\n", []string{"log (line 1): must hold keys (indented on the lines below), not a single value"}, ""},
		{"list for a value", "inbox: [a, b]\n", []string{"inbox (line 1): must be a single value, not a list"}, ""},
		{"list for a secret", "carriers:\n  netwo:\n    api_key: [a]\n", []string{"carriers.netwo.api_key (line 3): must be a single value, not a list"}, ""},
		{"value for a list", "skip: '*.bak'\n", []string{"skip (line 1): must be a list"}, ""},
		{"yaml syntax", "inbox: [\n", []string{"line"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yml), "/x", env(nil))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalid)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			if tt.wantNot != "" {
				assert.NotContains(t, err.Error(), tt.wantNot)
			}
			assert.NotRegexp(t, goTypeNames, err.Error(), "got %q: no Go type names in a user message", err)
			t.Log(err)
		})
	}
}

// TestLoadLiteralSecretNeedsPrivateFile: a credential written in the file
// itself (not a ${VAR} reference) is refused unless only the owner can
// read the file, and even then a warning recommends ${VAR}.
func TestLoadLiteralSecretNeedsPrivateFile(t *testing.T) {
	const literal = "carriers:\n  thinktel:\n    base_url: https://x\n    username: ${TT_USER}\n    password: hunter2\n"
	const fromEnv = "carriers:\n  thinktel:\n    base_url: https://x\n    username: ${TT_USER}\n    password: ${TT_PASSWORD}\n"
	t.Setenv("TT_USER", "u")
	t.Setenv("TT_PASSWORD", "p")
	tests := []struct {
		name        string
		yml         string
		mode        os.FileMode
		wantErr     []string
		wantWarning string
	}{
		{"literal, readable by others", literal, 0o644, []string{"carriers.thinktel.password", "chmod 600 ", "${THINKTEL_PASSWORD}"}, ""},
		{"literal, readable by the group", literal, 0o640, []string{"carriers.thinktel.password", "chmod 600 "}, ""},
		{"literal, owner only", literal, 0o600, nil, "carriers.thinktel.password"},
		{"literal, owner read-only", literal, 0o400, nil, "carriers.thinktel.password"},
		{"from the environment", fromEnv, 0o644, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "orderdrop.yaml")
			require.NoError(t, os.WriteFile(path, []byte(tt.yml), 0o600))
			require.NoError(t, os.Chmod(path, tt.mode))
			cfg, err := Load(path)
			if tt.wantErr != nil {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalid)
				for _, w := range tt.wantErr {
					assert.Contains(t, err.Error(), w)
				}
				assert.Contains(t, err.Error(), path, "the message names the file to chmod")
				assert.NotContains(t, err.Error(), "hunter2", "a secret never prints")
				return
			}
			require.NoError(t, err)
			if tt.wantWarning == "" {
				assert.Empty(t, cfg.Warnings)
				return
			}
			require.Len(t, cfg.Warnings, 1)
			assert.Contains(t, cfg.Warnings[0], tt.wantWarning)
			assert.Contains(t, cfg.Warnings[0], "${THINKTEL_PASSWORD}")
			assert.NotContains(t, strings.Join(cfg.Warnings, " "), "hunter2")
		})
	}
}

// TestLoadPermissionDenied: a configuration file orderdrop may not read
// says so and what to do. The error is injected (tests run as root here).
func TestLoadPermissionDenied(t *testing.T) {
	err := readError("/etc/orderdrop/orderdrop.yaml", &fs.PathError{Op: "open", Path: "/etc/orderdrop/orderdrop.yaml", Err: syscall.EACCES})
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Equal(t, "invalid configuration: cannot read /etc/orderdrop/orderdrop.yaml: permission denied — give orderdrop's user read access to it", err.Error())
}
