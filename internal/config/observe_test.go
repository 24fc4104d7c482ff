package config

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestObserveDefaults(t *testing.T) {
	cfg, err := Parse([]byte(""), "/srv/od", env(nil))
	require.NoError(t, err)
	assert.False(t, cfg.NotifyEnabled(), "notifications are off by default")
	assert.Equal(t, 50, cfg.Notify.MaxRows)
	assert.Equal(t, 30*time.Second, cfg.Notify.Timeout)
	assert.Equal(t, filepath.Join("/srv/od", "notify-outbox.json"), cfg.Notify.Outbox)
	assert.Equal(t, 4<<20, cfg.Notify.OutboxMaxBytes)
	assert.Equal(t, "starttls", cfg.Notify.Mail.TLS)
	assert.Equal(t, 587, cfg.Notify.Mail.Port)
	assert.Equal(t, int64(5<<20), cfg.Notify.Mail.AttachMax)
	assert.Equal(t, "GET", cfg.Notify.Heartbeat.Method)
	assert.Equal(t, "127.0.0.1:9464", cfg.Metrics.Addr)
	assert.Empty(t, cfg.Metrics.Textfile)
}

func TestObserveSecretsAndPaths(t *testing.T) {
	yml := `
notify:
  mail:
    host: smtp.example.com
    tls: tls
    username: ${SMTP_USER}
    password: ${SMTP_PASSWORD}
    from: orderdrop@example.com
    to: [ops@example.com]
  webhook:
    url: ${HOOK_URL}
    secret: ${HOOK_SECRET}
  heartbeat:
    url: https://hc-ping.com/abc
    method: post
metrics:
  addr: "off"
  textfile: metrics/orderdrop.prom
`
	cfg, err := Parse([]byte(yml), "/srv/od", env(map[string]string{"SMTP_USER": "u", "SMTP_PASSWORD": "pw-123",
		"HOOK_URL": "https://hooks.example.com/x", "HOOK_SECRET": "hs-456"}))
	require.NoError(t, err)
	assert.True(t, cfg.NotifyEnabled())
	assert.Equal(t, 465, cfg.Notify.Mail.Port)
	assert.Equal(t, "pw-123", cfg.Notify.Mail.Password.Value())
	assert.Equal(t, "hs-456", cfg.Notify.Webhook.Secret.Value())
	assert.Equal(t, "POST", cfg.Notify.Heartbeat.Method)
	assert.Equal(t, "off", cfg.Metrics.Addr)
	assert.Equal(t, filepath.Join("/srv/od", "metrics", "orderdrop.prom"), cfg.Metrics.Textfile)
	got := fmt.Sprintf("%+v", cfg.Notify)
	assert.NotContains(t, got, "pw-123")
	assert.NotContains(t, got, "hs-456")
}

func TestObserveErrors(t *testing.T) {
	tests := []struct {
		name, yml, want string
	}{
		{"mail without recipients", "notify:\n  mail:\n    host: smtp.example.com\n    from: a@example.com\n", "notify.mail: from and to"},
		{"mail tls none to a remote host", "notify:\n  mail:\n    host: smtp.example.com\n    tls: none\n    from: a@example.com\n    to: [b@example.com]\n", "notify.mail.tls"},
		{"bad tls", "notify:\n  mail:\n    tls: ssl\n", "notify.mail.tls"},
		{"plain http webhook", "notify:\n  webhook:\n    url: http://hooks.example.com/x\n", "notify.webhook.url"},
		{"negative outbox size", "notify:\n  outbox_max_bytes: -1\n", "notify.outbox_max_bytes"},
		{"heartbeat method", "notify:\n  heartbeat:\n    method: PUT\n", "notify.heartbeat.method"},
		{"metrics addr", "metrics:\n  addr: 9464\n", "metrics.addr"},
		{"missing secret env", "notify:\n  webhook:\n    secret: ${NOPE}\n", "NOPE is not set"},
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
