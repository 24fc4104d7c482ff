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
	assert.Equal(t, 4, netwoOf(cfg).Concurrency)
	assert.Equal(t, "routing_on_prefix", netwoOf(cfg).RoutingPrefix)
	assert.Equal(t, "/sicom/commande/l2", prizzOf(cfg).OrderPath)
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
	assert.Equal(t, "s3cret", netwoOf(cfg).APIKey.Value())
	got := fmt.Sprintf("%v %+v %#v", netwoOf(cfg).APIKey, netwoOf(cfg), netwoOf(cfg).APIKey)
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
	assert.False(t, cfg.AllOrNothing("ca-port"), "the example as shipped keeps the default: valid rows are sent")
	assert.Equal(t, "https://api.thinktel.ca/rest.svc", thinktelOf(cfg).BaseURL)
	assert.Equal(t, filepath.Join("/var/lib/orderdrop", "inbox"), cfg.Inbox, "folders are under state_dir")
}

func TestTrackingDefaultsAndChecks(t *testing.T) {
	cfg, err := Parse([]byte("{}"), "/x", env(nil))
	require.NoError(t, err)
	assert.Equal(t, "0 8-18 * * 1-5", cfg.TrackSchedule)
	assert.Equal(t, Tracking{MaxAgeDays: 120, PageSize: 100, MaxDuration: 10 * time.Minute, BreakAfter: 3}, cfg.Tracking)
	assert.False(t, netwoOf(cfg).Track, "Netwo tracking is off by default")
	assert.Equal(t, "/orders/{order_id}", netwoOf(cfg).TrackPath)
	assert.Equal(t, "v2", prizzOf(cfg).Tracking)
	assert.Equal(t, []string{"ref_service", "ref_client"}, prizzOf(cfg).ContractRefFields)
	assert.Equal(t, "/sicom/suivi/{ref}", prizzOf(cfg).LegacyTrackPath)

	off, err := Parse([]byte("track_schedule: \"off\"\n"), "/x", env(nil))
	require.NoError(t, err)
	assert.Equal(t, "off", off.TrackSchedule)

	tests := []struct{ yml, want string }{
		{"track_schedule: \"every hour\"\n", "track_schedule"},
		{"tracking:\n  max_age_days: -1\n", "tracking.max_age_days"},
		{"carriers:\n  prizz:\n    tracking: sometimes\n", "carriers.prizz.tracking"},
		{"carriers:\n  netwo:\n    track_path: /orders\n", "carriers.netwo.track_path"},
		{"carriers:\n  prizz:\n    legacy_track_path: /suivi\n", "carriers.prizz.legacy_track_path"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.yml), "/x", env(nil))
		require.ErrorIs(t, err, ErrInvalid, tt.yml)
		assert.Contains(t, err.Error(), tt.want)
	}
}

func TestParseWeb(t *testing.T) {
	tests := []struct {
		name, yml, want string // want "" = accepted
	}{
		{"off by default", "", ""},
		{"loopback without auth", "web:\n  addr: 127.0.0.1:8080\n", ""},
		{"localhost without auth", "web:\n  addr: localhost:8080\n", ""},
		{"ipv6 loopback", "web:\n  addr: \"[::1]:8080\"\n", ""},
		{"all interfaces with auth", "web:\n  addr: \":8080\"\n  user: review\n  password: ${WEB_PASSWORD}\n", ""},
		{"all interfaces without auth", "web:\n  addr: \":8080\"\n", "can be reached from other machines"},
		{"lan address without auth", "web:\n  addr: 192.168.1.10:8080\n", "can be reached from other machines"},
		{"user without password", "web:\n  addr: 127.0.0.1:8080\n  user: review\n", "password is required"},
		{"no port", "web:\n  addr: 127.0.0.1\n", "host:port"},
		{"bad port", "web:\n  addr: 127.0.0.1:http-alt\n", "port"},
		{"password env missing", "web:\n  addr: 127.0.0.1:8080\n  user: review\n  password: ${NOT_SET}\n", "NOT_SET is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yml), "/x", env(map[string]string{"WEB_PASSWORD": "pw"}))
			if tt.want == "" {
				require.NoError(t, err)
				assert.NotContains(t, fmt.Sprintf("%+v", cfg.Web), "pw", "the password never prints")
				return
			}
			require.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestParseWebUserFromEnv(t *testing.T) {
	tests := []struct {
		name, user, want, wantErr string // wantErr "" = accepted
	}{
		{"literal", "review", "review", ""},
		{"from the environment", "${WEB_USER}", "ops-review", ""},
		{"braced in text", "team-${WEB_USER}", "team-ops-review", ""},
		{"variable not set", "${NOT_SET}", "", "web.user: environment variable NOT_SET is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			yml := "web:\n  addr: 127.0.0.1:8080\n  user: " + tt.user + "\n  password: ${WEB_PASSWORD}\n"
			cfg, err := Parse([]byte(yml), "/x", env(map[string]string{"WEB_PASSWORD": "pw", "WEB_USER": "ops-review"}))
			if tt.wantErr != "" {
				require.ErrorIs(t, err, ErrInvalid)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg.Web.User)
		})
	}
}
