package config

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCarrierEnvironment(t *testing.T) {
	cfg, err := Parse([]byte("carriers:\n  prizz:\n    environment: test\n"), "/x", env(nil))
	require.NoError(t, err)
	got := map[string]string{"netwo": netwoOf(cfg).Environment, "prizz": prizzOf(cfg).Environment, "thinktel": thinktelOf(cfg).Environment}
	want := map[string]string{"netwo": "production", "prizz": "test", "thinktel": "production"}
	assert.Equal(t, want, got, "got environments %v, want %v", got, want)

	_, err = Parse([]byte("carriers:\n  prizz:\n    environment: \"pre prod\"\n"), "/x", env(nil))
	require.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "carriers.prizz.environment")
}

func TestStateDir(t *testing.T) {
	tests := []struct {
		name, yml, dir string
		wantInbox      string
		wantLedger     string
	}{
		{"no state_dir: beside the file", "", "/etc/od", "/etc/od/inbox", "/etc/od/orderdrop.db"},
		{"state_dir", "state_dir: /var/lib/od\n", "/etc/od", "/var/lib/od/inbox", "/var/lib/od/orderdrop.db"},
		{"absolute folders stay", "state_dir: /var/lib/od\ninbox: /srv/in\n", "/etc/od", "/srv/in", "/var/lib/od/orderdrop.db"},
		{"relative state_dir: beside the file", "state_dir: state\n", "/etc/od", "/etc/od/state/inbox", "/etc/od/state/orderdrop.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yml), tt.dir, env(nil))
			require.NoError(t, err)
			assert.Equal(t, filepath.FromSlash(tt.wantInbox), cfg.Inbox, "inbox: got %q, want %q", cfg.Inbox, tt.wantInbox)
			assert.Equal(t, filepath.FromSlash(tt.wantLedger), cfg.Ledger, "ledger: got %q, want %q", cfg.Ledger, tt.wantLedger)
		})
	}
}

// Every problem of a file is listed at once: an unknown key does not hide
// a missing environment variable or a bad value, and a missing variable
// is not also reported as a missing credential.
func TestParseListsEveryProblem(t *testing.T) {
	yml := "inbx: in\nschedule: every day\ncarriers:\n  thinktel:\n    base_url: https://x\n    username: ${TT_USER}\n    password: ${TT_PASSWORD}\n"
	_, err := Parse([]byte(yml), "/x", env(map[string]string{"TT_PASSWORD": "p"}))
	require.ErrorIs(t, err, ErrInvalid)
	for _, want := range []string{"unknown key `inbx`", "TT_USER is not set", "schedule"} {
		assert.Contains(t, err.Error(), want, "got %q, want it to list %q", err, want)
	}
	assert.NotContains(t, err.Error(), "username and password are required", "a missing variable is said once")
}

// The notification outbox and the metrics textfile are state too.
func TestStateDirHoldsOutboxAndTextfile(t *testing.T) {
	cfg, err := Parse([]byte("state_dir: /var/lib/od\nnotify:\n  outbox: out.json\nmetrics:\n  textfile: m.prom\n"), "/etc/od", env(nil))
	require.NoError(t, err)
	assert.Equal(t, filepath.FromSlash("/var/lib/od/out.json"), cfg.Notify.Outbox)
	assert.Equal(t, filepath.FromSlash("/var/lib/od/m.prom"), cfg.Metrics.Textfile)
}
