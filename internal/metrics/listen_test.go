package metrics

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/web"
)

// TestServeMetricsStopsWithItsContext: the metrics server stops when its
// context ends, and a taken address is an error naming metrics.addr.
func TestServeMetricsStopsWithItsContext(t *testing.T) {
	m := New()
	ctx, cancel := context.WithCancel(context.Background())
	srv, ln, err := m.Listen("127.0.0.1:0", slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	served := make(chan error, 1)
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { served <- web.ServeUntil(ctx, srv, ln) })
	res, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	require.NoError(t, err)
	_ = res.Body.Close()
	cancel()
	select {
	case err := <-served:
		assert.NoError(t, err, "a shutdown is no error")
	case <-time.After(10 * time.Second):
		t.Fatal("the metrics server did not stop")
	}

	// A taken address is a clear error.
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	_, _, err = m.Listen(taken.Addr().String(), slog.New(slog.DiscardHandler))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "metrics.addr")
}
