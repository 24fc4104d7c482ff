package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/sim"
)

// countedPlatform serves s on loopback and counts the requests it gets.
func countedPlatform(t *testing.T, s *sim.Server) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

// runLogged runs one pass in this process; it returns the exit code, the
// output and the log.
func (e *e2e) runLogged() (int, string, string) {
	e.t.Helper()
	cfg, err := loadConfig(e.cfg)
	require.NoError(e.t, err)
	var out, logs bytes.Buffer
	code, err := runPass(context.Background(), cfg, nil, time.Now, &out, newLogger(&logs, cfg.Log))
	if err != nil {
		out.WriteString(err.Error())
	}
	return code, out.String(), logs.String()
}

// Switching Prizz from its test platform to production sends the orders
// again; a base_url change within production sends nothing, says so once,
// and tracking asks each order where it was sent.
func TestE2ECarrierEnvironments(t *testing.T) {
	e := newE2E(t, "")
	orig, err := os.ReadFile(e.cfg)
	require.NoError(t, err)
	urlA, atA := countedPlatform(t, e.sim)
	simB := sim.New(sim.Options{Seed: 8})
	t.Cleanup(simB.Close)
	urlB, atB := countedPlatform(t, simB)
	setPrizz := func(base, env string) {
		line := "    base_url: " + base + "/prizz\n"
		if env != "" {
			line += "    environment: " + env + "\n"
		}
		yml := strings.Replace(string(orig), "    base_url: "+e.srv.URL+"/prizz\n", line, 1)
		require.NoError(t, os.WriteFile(e.cfg, []byte(yml), 0o600))
	}

	setPrizz(urlA, "test")
	e.drop("l2.csv", l2CSV(t, 2))
	code, out, _ := e.runLogged()
	require.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "2 submitted")
	require.Len(t, e.sim.Orders(), 2)

	setPrizz(urlA, "") // production
	e.drop("l2.csv", l2CSV(t, 2))
	code, out, _ = e.runLogged()
	require.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "2 submitted", "test → production sends the production orders")
	assert.Equal(t, 4, len(e.sim.Orders()), "got %d orders at the sandbox, want 2 more", len(e.sim.Orders()))

	setPrizz(urlB, "") // production moved: the same platform under another address
	e.drop("l2.csv", l2CSV(t, 2))
	code, out, logs := e.runLogged()
	require.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "2 already_submitted")
	assert.Empty(t, simB.Orders(), "a base_url change within one environment sends nothing")
	warning := "carriers.prizz.base_url changed from " + urlA + "/prizz to " + urlB + "/prizz; orders placed at " + urlA +
		"/prizz count as placed here; set carriers.prizz.environment if " + urlB + "/prizz is another platform"
	assert.Equal(t, 1, strings.Count(logs, warning), "got log %s, want the warning once", logs)

	e.drop("l2.csv", l2CSV(t, 2))
	_, _, logs = e.runLogged()
	assert.NotContains(t, logs, "base_url changed", "the change is said once")

	atA.Store(0)
	atB.Store(0)
	code, out, logs = e.track()
	require.Equal(t, ExitOK, code, out+logs)
	assert.Contains(t, out, "2 asked")
	assert.Contains(t, out, "2 placed on another environment, not followed")
	assert.Positive(t, atA.Load(), "the orders are asked about where they were sent")
	assert.Zero(t, atB.Load(), "got %d requests at the new base URL, want none: no order was sent there", atB.Load())

	_, out, _ = e.track()
	assert.NotContains(t, out, "another environment", "listed once")
}
