package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lastErr returns the last_error fields of an outbox file.
func lastErr(outbox []byte) []string {
	var q []pending
	if err := json.Unmarshal(outbox, &q); err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, p := range q {
		out = append(out, p.LastErr)
	}
	return out
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"query value", "https://hc-ping.com/ping?token=x&a=b", "https://hc-ping.com/ping?token=…&a=…"},
		{"healthchecks uuid", "https://hc-ping.com/5f3c6c0e-2a1b-4c7d-9e8f-0123456789ab", "https://hc-ping.com/…"},
		{"healthchecks ping key and slug", "https://hc-ping.com/fmx1ktoq5ah5kvvx8cqnoa/backup", "https://hc-ping.com/…"},
		{"slack", "https://hooks.slack.com/services/T0/B0/XXXX", "https://hooks.slack.com/services/…"},
		{"discord", "https://discord.com/api/webhooks/1234567/AbCdEf-token", "https://discord.com/api/…"},
		{"teams", "https://acme.webhook.office.com/webhookb2/1a2b@3c4d/IncomingWebhook/5e6f/7a8b", "https://acme.webhook.office.com/…"},
		{"user info", "https://user:pw@example.com/a", "https://example.com/a"},
		{"fragment", "https://example.com/hook#secret", "https://example.com/hook"},
		{"root", "https://example.com/", "https://example.com/"},
		{"unreadable", "https://exa mple.com/%zz", "(unreadable URL)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redact(tt.in); got != tt.want {
				t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// The tokens in webhook URLs reach neither the log, nor the outbox, nor a
// digest, whatever the failure.
func TestWebhookTokensStayOutOfLogsAndOutbox(t *testing.T) {
	answer500 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	}))
	t.Cleanup(answer500.Close)
	const token = "SECRETTOKEN42"
	urls := map[string]string{
		"refused, slack path":   "http://" + closedPort(t) + "/services/T0/B0/" + token,
		"refused, discord path": "http://" + closedPort(t) + "/api/webhooks/123/" + token,
		"refused, query":        "http://" + closedPort(t) + "/hook?token=" + token,
		"refused, user info":    "http://u:" + token + "@" + closedPort(t) + "/hook",
		"500, slack path":       answer500.URL + "/services/T0/B0/" + token,
		"hanging, discord path": hangingHook(t).URL + "/api/webhooks/123/" + token,
	}
	for name, u := range urls {
		t.Run(name, func(t *testing.T) {
			hook, err := NewWebhook(WebhookOptions{URL: u, Secret: "s", MaxAttempts: 2, Backoff: noWait, Timeout: 100 * time.Millisecond})
			require.NoError(t, err)
			var logs bytes.Buffer
			outbox := filepath.Join(t.TempDir(), "notify-outbox.json")
			n := New(Options{Channels: []Channel{hook}, Outbox: outbox, Timeout: time.Second,
				Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			res := n.Deliver(context.Background(), Build(samplePass(t), 0))
			require.Equal(t, 1, res.Failed)
			data, err := os.ReadFile(outbox)
			require.NoError(t, err)
			assert.Contains(t, string(data), `"last_error": "`)
			assert.False(t, strings.Contains(string(data), token), "outbox: %s", lastErr(data))
			assert.Contains(t, logs.String(), "notification not delivered")
			assert.NotContains(t, logs.String(), token, "log")
		})
	}
}

func TestHeartbeatTokenStaysOutOfErrors(t *testing.T) {
	const token = "5f3c6c0e-2a1b-4c7d-9e8f-0123456789ab"
	for _, u := range []string{
		"http://" + closedPort(t) + "/" + token,
		"http://" + closedPort(t) + "/ping/" + token,
		"http://" + closedPort(t) + "/ping?uuid=" + token,
	} {
		hb, err := NewHeartbeat(u, "GET")
		require.NoError(t, err)
		err = hb.Ping(context.Background())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "heartbeat http://127.0.0.1:")
		assert.NotContains(t, err.Error(), token)
	}
}
