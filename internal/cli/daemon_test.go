package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/metrics"
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

// A tracking pass kept waiting by a carrier that does not answer holds the
// ledger only while it reads or records: the daemon's pass over the inbox
// runs meanwhile.
func TestDaemonPassRunsWhileTrackingWaits(t *testing.T) {
	e := newE2E(t, "metrics:\n  addr: \"off\"\ntracking:\n  max_duration: 5s\n")
	arrived, release := make(chan struct{}, 100), make(chan struct{})
	// Thinktel's status lookups hang; its reference data (read by the
	// pass over the inbox) comes from the sandbox.
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/PortInStatus") {
			e.sim.ServeHTTP(w, r)
			return
		}
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) })
	e.edit(e.srv.URL+"/thinktel/rest.svc", hang.URL+"/thinktel/rest.svc")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	l, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	in := ledger.Intent{Key: "ca-port/CA-1", Kind: "ca-port", Carrier: "thinktel", Ref: "CA-1", Fingerprint: "fp", BatchID: "b1",
		Fields: map[string]string{"numbers": "4165550101"}}
	require.NoError(t, l.BeginSubmits([]ledger.Intent{in}))
	require.NoError(t, l.RecordOutcomes([]ledger.Outcome{{Key: in.Key, State: ledger.Submitted, Reference: "PI-1"}}))
	require.NoError(t, l.Close())
	e.drop("first.csv", l2CSV(t, 1))

	var stdout syncBuffer
	d := newDaemon(&stdout, slog.New(slog.DiscardHandler), metrics.New(), false)
	require.NoError(t, d.configure(cfg))
	ctx := context.Background()
	tracked := make(chan struct{})
	go func() { defer close(tracked); d.jobs.Track(ctx) }()
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("the carrier was never asked")
	}
	passed := make(chan struct{})
	go func() { defer close(passed); d.jobs.Run(ctx) }()
	select {
	case <-passed:
	case <-tracked:
		t.Fatal("the tracking pass ended before the pass over the inbox could run")
	case <-time.After(4 * time.Second):
		t.Fatal("the pass over the inbox waited for the tracking pass")
	}
	assert.Contains(t, stdout.String(), "first.csv: 1 row, 1 submitted")
	select {
	case <-tracked:
	case <-time.After(10 * time.Second):
		t.Fatal("the tracking pass did not end")
	}
}
