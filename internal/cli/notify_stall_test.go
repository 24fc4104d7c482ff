package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/metrics"
)

// A webhook that never answers holds neither the daemon's pass lock nor
// the ledger, and a stop (SIGTERM) ends the delivery at once.
func TestDaemonNotifiesAfterReleasingThePassAndStopsOnCancel(t *testing.T) {
	var hits atomic.Int32
	block := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(block); hang.Close() })
	e := newE2E(t, fmt.Sprintf("notify:\n  timeout: 1m\n  webhook:\n    url: %s/hook\n    max_attempts: 1\nmetrics:\n  addr: \"off\"\n", hang.URL))
	e.drop("stall.csv", withInvalidRow(t, 1))
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	var stdout, stderr syncBuffer
	d := newDaemon(&stdout, slog.New(slog.NewTextHandler(&stderr, nil)), metrics.New(), false)
	require.NoError(t, d.configure(cfg))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); d.jobs.Run(ctx) }()
	waitFor(t, "the digest on its way", func() bool { return hits.Load() > 0 }, &stdout, &stderr)
	assert.Contains(t, stdout.String(), "stall.csv")

	assert.False(t, d.jobs.Busy(), "the pass lock is free while notifying")
	l, err := openLedger(cfg)
	if assert.NoError(t, err, "the ledger is free while notifying") {
		require.NoError(t, l.Close())
	}

	start := time.Now()
	cancel()
	select {
	case <-done:
		assert.Less(t, time.Since(start), 5*time.Second)
	case <-time.After(5 * time.Second):
		t.Fatal("the delivery did not stop with its context")
	}
	assert.True(t, strings.Contains(stderr.String(), "notification not delivered"), stderr.String())
}

// The tokens of the webhook and heartbeat URLs reach neither the log, nor
// the outbox, nor the digest printed, when both are unreachable.
func TestRunKeepsURLTokensOutOfLogsOutboxAndDigest(t *testing.T) {
	closed := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		return addr
	}
	const hookToken, pingToken = "HOOKTOKEN1234", "5f3c6c0e-2a1b-4c7d-9e8f-0123456789ab"
	t.Setenv("E2E_HOOK_URL", "http://"+closed()+"/api/webhooks/42/"+hookToken)
	t.Setenv("E2E_PING_URL", "http://"+closed()+"/"+pingToken+"?k="+pingToken)
	e := newE2E(t, "notify:\n  timeout: 3s\n  webhook:\n    url: ${E2E_HOOK_URL}\n    max_attempts: 1\n  heartbeat:\n    url: ${E2E_PING_URL}\nmetrics:\n  addr: \"off\"\n")
	e.drop("tok.csv", withInvalidRow(t, 1))
	code, out := e.runCommand("--print-digest")
	require.Equal(t, ExitAttention, code, out)
	assert.Contains(t, out, "notification not delivered")
	assert.Contains(t, out, "heartbeat not sent")
	outbox, err := os.ReadFile(filepath.Join(e.dir, "notify-outbox.json"))
	require.NoError(t, err)
	for _, tok := range []string{hookToken, pingToken} {
		assert.NotContains(t, out, tok, "log and printed digest")
		assert.NotContains(t, string(outbox), tok, "outbox")
	}
}
