package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/registry"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/order"
)

// instrument adds the metrics hooks to a carrier's HTTP options.
func instrument(o carrier.HTTPOptions, m *metrics.Metrics, name string) carrier.HTTPOptions {
	if m == nil {
		return o
	}
	o.WrapTransport = func(rt http.RoundTripper) http.RoundTripper { return m.Transport(name, rt) }
	o.OnRetry = m.RetryHook(name)
	return o
}

// countingSubmitter counts each order's outcome by kind, carrier and class.
type countingSubmitter struct {
	next batch.Submitter
	m    *metrics.Metrics
	kind order.Kind
}

func (c countingSubmitter) Submit(ctx context.Context, o *order.Order, cp carrier.Checkpoint, save func(context.Context, carrier.Checkpoint) error) carrier.Result {
	res := c.next.Submit(ctx, o, cp, save)
	c.m.Order(string(c.kind), registry.CarrierOf(c.kind), res.Class.String())
	return res
}

// serveMetrics serves /metrics and /healthz on addr until ctx ends, then
// shuts the server down (bounded). It returns once listening, or the
// listen error.
func serveMetrics(ctx context.Context, addr string, m *metrics.Metrics, log *slog.Logger) (stopped <-chan struct{}, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics.addr %s: %w (choose another port, or set metrics.addr: off)", addr, err)
	}
	srv := &http.Server{Handler: m.HandlerFor(addr), ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", slog.Any("error", err))
		}
	}()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	log.Info("metrics and health served", slog.String("metrics", "http://"+ln.Addr().String()+"/metrics"),
		slog.String("health", "http://"+ln.Addr().String()+"/healthz"))
	return done, nil
}
