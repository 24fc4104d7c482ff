package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
	d := &daemon{stdout: &stdout, log: slog.New(slog.NewTextHandler(&stderr, nil)), m: metrics.New()}
	require.NoError(t, d.configure(cfg))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); d.pass(ctx) }()
	waitFor(t, "the digest on its way", func() bool { return hits.Load() > 0 }, &stdout, &stderr)
	assert.Contains(t, stdout.String(), "stall.csv")

	if assert.True(t, d.run.TryLock(), "the pass lock is free while notifying") {
		d.run.Unlock()
	}
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
