package cli

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/sim"
)

// A pass over the inbox and a tracking pass close their carrier clients
// when they end: no connection to a carrier stays open (idle) after them.
func TestPassClosesCarrierConnections(t *testing.T) {
	e := newE2E(t, "")
	var open atomic.Int32
	s := sim.New(sim.Options{Seed: 7})
	srv := httptest.NewUnstartedServer(s)
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	t.Cleanup(func() { s.Close(); srv.Close() })
	yml, err := os.ReadFile(e.cfg)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(e.cfg, []byte(strings.ReplaceAll(string(yml), e.srv.URL, srv.URL)), 0o600))

	e.drop("a.csv", l2CSV(t, 2))
	code, out := e.run(time.Now())
	require.Equal(t, ExitOK, code, out)
	require.Eventually(t, func() bool { return open.Load() == 0 }, 2*time.Second, 10*time.Millisecond,
		"got carrier connections still open after the pass, want none")

	code, out, errOut := e.track()
	require.Equal(t, ExitOK, code, out+errOut)
	require.Eventually(t, func() bool { return open.Load() == 0 }, 2*time.Second, 10*time.Millisecond,
		"got carrier connections still open after the tracking pass, want none")
}
