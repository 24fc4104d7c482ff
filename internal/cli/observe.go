package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/orderdrop/orderdrop/internal/metrics"
)

// listenMetrics listens on addr for /metrics and /healthz; serveUntil
// serves them. A taken address is an error naming metrics.addr.
func listenMetrics(addr string, m *metrics.Metrics, log *slog.Logger) (*http.Server, net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("metrics.addr %s: %w (choose another port, or set metrics.addr: off)", addr, err)
	}
	srv := &http.Server{Handler: m.HandlerFor(addr), ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	log.Info("metrics and health served", slog.String("metrics", "http://"+ln.Addr().String()+"/metrics"),
		slog.String("health", "http://"+ln.Addr().String()+"/healthz"))
	return srv, ln, nil
}

// serveUntil serves srv on ln until ctx ends, then shuts it down, giving
// the requests in progress shutdownTimeout to finish. It returns when the
// server has stopped, with Serve's error (nil when the shutdown ended it).
func serveUntil(ctx context.Context, srv *http.Server, ln net.Listener) error {
	served := make(chan error, 1)
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { served <- srv.Serve(ln) }) // ends when Serve fails or below, when the server is shut down
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
