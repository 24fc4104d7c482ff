package config

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestParseDefaults(t *testing.T) {
	cfg, err := Parse([]byte(""), "/srv/od", env(nil))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join("/srv/od", "inbox"), cfg.Inbox)
	assert.Equal(t, filepath.Join("/srv/od", "orderdrop.db"), cfg.Ledger)
	assert.Equal(t, 30*time.Second, cfg.StableAfter)
	assert.Equal(t, "*/5 * * * *", cfg.Schedule)
	assert.Equal(t, "Europe/Paris", cfg.TimeZone)
	assert.Equal(t, 4, cfg.Carriers.Netwo.Concurrency)
	assert.Equal(t, "routing_on_prefix", cfg.Carriers.Netwo.RoutingPrefix)
	assert.Equal(t, "/sicom/commande/l2", cfg.Carriers.Prizz.OrderPath)
	assert.Equal(t, 6, cfg.Validation.FrPortWindow.MinWorkingDays)
	assert.Len(t, cfg.FrWindow().Hours, 2)
}

func TestParseSecretsFromEnv(t *testing.T) {
	yml := `
carriers:
  netwo:
    base_url: https://api.netwo.io/api/v1
    api_key: ${NETWO_KEY}
    actor_slug: acme
`
	cfg, err := Parse([]byte(yml), "/x", env(map[string]string{"NETWO_KEY": "s3cret"}))
	require.NoError(t, err)
	assert.Equal(t, "s3cret", cfg.Carriers.Netwo.APIKey.Value())
	got := fmt.Sprintf("%v %+v %#v", cfg.Carriers.Netwo.APIKey, cfg.Carriers.Netwo, cfg.Carriers.Netwo.APIKey)
	assert.NotContains(t, got, "s3cret", "a secret must never print")
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yml, want string
	}{
		{"unknown key", "inbx: /tmp", "unknown key `inbx` (line 1): did you mean `inbox`?"},
		{"missing env", "carriers:\n  thinktel:\n    base_url: https://x\n    username: ${TT_USER}\n    password: p\n", "TT_USER is not set"},
		{"bad schedule", "schedule: every day", "schedule"},
		{"bad zone", "timezone: Mars/Olympus", "timezone"},
		{"bad kind", "kinds:\n  fr_port:\n    all_or_nothing: true\n", "kinds.fr_port"},
		{"bad hours", "validation:\n  fr_port_window:\n    hours: [\"8h-12h\"]\n", "hours"},
		{"missing credentials", "carriers:\n  prizz:\n    base_url: https://x\n", "email and password"},
		{"bad concurrency", "carriers:\n  netwo:\n    concurrency: -1\n", "concurrency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yml), "/x", env(nil))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestExampleConfigLoads(t *testing.T) {
	t.Setenv("NETWO_API_KEY", "k")
	t.Setenv("NETWO_ACTOR_SLUG", "a")
	t.Setenv("PRIZZ_EMAIL", "e@x.example")
	t.Setenv("PRIZZ_PASSWORD", "p")
	t.Setenv("THINKTEL_USERNAME", "u")
	t.Setenv("THINKTEL_PASSWORD", "p")
	cfg, err := Load(filepath.Join("..", "..", "config.example.yaml"))
	require.NoError(t, err)
	assert.True(t, cfg.AllOrNothing("ca-port"))
	assert.Equal(t, "https://api.thinktel.ca/rest.svc", cfg.Carriers.Thinktel.BaseURL)
}
