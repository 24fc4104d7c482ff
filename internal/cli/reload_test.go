package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// SIGHUP with a broken file keeps the configuration in force and says so
// on /healthz and in orderdrop_config_reload_failures_total, not only in
// the log; a good file clears it.
func TestDaemonBrokenReloadShowsOnHealth(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // a free port for the daemon
	e := newE2E(t, fmt.Sprintf("schedule: \"@every 1h\"\nmetrics:\n  addr: %s\n", addr))
	e.drop("d.csv", l2CSV(t, 1))
	ctx, cancel := context.WithCancel(context.Background())
	reload := make(chan os.Signal, 1)
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- runDaemon(ctx, e.cfg, daemonOptions{now: true}, reload, &stdout, &stderr) }()
	defer func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(10 * time.Second):
			t.Fatal("the daemon did not stop")
		}
	}()
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

	good, err := os.ReadFile(e.cfg)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(e.cfg, append(good, []byte("bogus_key: 1\n")...), 0o600))
	reload <- os.Interrupt
	waitFor(t, "/healthz 503 after the refused reload", func() bool { code, _ := get("/healthz"); return code == http.StatusServiceUnavailable }, &stdout, &stderr)
	_, body := get("/healthz")
	assert.Contains(t, body, "the configuration could not be reloaded; the previous one is in force")
	assert.Contains(t, body, "bogus_key", "the reason names the problem")
	_, metrics := get("/metrics")
	assert.Contains(t, metrics, "orderdrop_config_reload_failures_total 1")

	require.NoError(t, os.WriteFile(e.cfg, good, 0o600))
	reload <- os.Interrupt
	waitFor(t, "/healthz 200 after a good reload", func() bool { code, _ := get("/healthz"); return code == http.StatusOK }, &stdout, &stderr)
	_, metrics = get("/metrics")
	assert.True(t, strings.Contains(metrics, "orderdrop_config_reload_failures_total 1"), "a counter never goes down")
}
