package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/sim"
)

// syncBuffer is a bytes.Buffer safe for the daemon's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, what string, cond func() bool, logs ...fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			for _, l := range logs {
				t.Log(l.String())
			}
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDaemonRunsPassesReloadsAndStops(t *testing.T) {
	e := newE2E(t, "schedule: \"@every 1h\"\nmetrics:\n  addr: \"off\"\n")
	e.drop("first.csv", l2CSV(t, 2))
	ctx, cancel := context.WithCancel(context.Background())
	reload := make(chan os.Signal, 1)
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- runDaemon(ctx, e.cfg, daemonOptions{now: true}, reload, &stdout, &stderr) }()

	waitFor(t, "the --now pass", func() bool { return strings.Contains(stdout.String(), "first.csv: 2 rows, 2 submitted") })

	// SIGHUP: a broken file is refused and the old configuration kept …
	good, err := os.ReadFile(e.cfg)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(e.cfg, append(good, []byte("bogus_key: 1\n")...), 0o600))
	reload <- os.Interrupt
	waitFor(t, "the refused reload", func() bool { return strings.Contains(stderr.String(), "configuration not reloaded") })

	// … a good one is taken, with its new schedule, which then runs passes.
	fixed := strings.Replace(string(good), "schedule: \"@every 1h\"", "schedule: \"@every 1s\"", 1)
	require.NoError(t, os.WriteFile(e.cfg, []byte(fixed), 0o600))
	reload <- os.Interrupt
	e.drop("second.csv", l2CSV(t, 3))
	waitFor(t, "a pass on the reloaded schedule", func() bool {
		return strings.Contains(stdout.String(), "second.csv: 3 rows, 1 submitted, 2 already_submitted")
	}, &stdout, &stderr)

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the daemon did not stop")
	}
	assert.Len(t, e.sim.Orders(), 3)
}

func TestDaemonServesMetricsAndHealthUntilStopped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // a free port for the daemon
	e := newE2E(t, fmt.Sprintf("schedule: \"@every 1h\"\nmetrics:\n  addr: %s\n", addr))
	e.drop("d.csv", l2CSV(t, 2))
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- runDaemon(ctx, e.cfg, daemonOptions{now: true}, nil, &stdout, &stderr) }()

	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	waitFor(t, "/healthz 200 after the --now pass", func() bool { code, _ := get("/healthz"); return code == http.StatusOK }, &stdout, &stderr)
	code, body := get("/metrics")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `orderdrop_rows_total{status="submitted"} 2`)
	assert.Contains(t, body, `orderdrop_orders_total{carrier="prizz",kind="l2",outcome="accepted"} 2`)

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the daemon did not stop")
	}
	code, _ = get("/healthz")
	assert.Zero(t, code, "the metrics server stops with the daemon")
}

func TestDaemonRunsTrackingPasses(t *testing.T) {
	e := newE2E(t, "schedule: \"@every 1h\"\ntrack_schedule: \"@every 1s\"\nmetrics:\n  addr: \"off\"\n")
	e.drop("first.csv", l2CSV(t, 1))
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- runDaemon(ctx, e.cfg, daemonOptions{now: true}, nil, &stdout, &stderr) }()

	waitFor(t, "the --now pass", func() bool { return strings.Contains(stdout.String(), "first.csv: 1 row, 1 submitted") }, &stdout, &stderr)
	ref := e.refs(sim.CarrierPrizz)[0]
	e.push(ref, sim.StageCompleted, "2026-11-30", "")
	waitFor(t, "a tracking pass on track_schedule", func() bool {
		return strings.Contains(stdout.String(), "pending → completed 2026-11-30 (active)") ||
			strings.Contains(stdout.String(), "l2 E2E-0001 ("+ref+"): completed 2026-11-30 (active)")
	}, &stdout, &stderr)
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the daemon did not stop")
	}
}
