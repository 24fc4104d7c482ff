package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
)

// Server is the daemon's read-only review page (web.addr).
type Server struct {
	addr    string // the address listened on, port resolved
	want    string // web.addr at start
	srv     *http.Server
	handler atomic.Pointer[http.Handler] // swapped on reload
	src     Source
	log     *slog.Logger
	ln      net.Listener
}

// StartPage listens on cfg.Web.Addr for the page (Run serves it);
// nil, nil when web.addr is empty. The address is printed to stdout.
func StartPage(cfg *config.Config, src Source, stdout io.Writer, log *slog.Logger) (*Server, error) {
	if cfg.Web.Addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", cfg.Web.Addr)
	if err != nil {
		return nil, fmt.Errorf("review page: cannot listen on %s (web.addr): %w; choose a free port or stop what uses it", cfg.Web.Addr, err)
	}
	p := &Server{addr: ln.Addr().String(), want: cfg.Web.Addr, src: src, log: log, ln: ln}
	p.Configure(cfg)
	p.srv = &http.Server{
		Handler:           p,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	url := "http://" + p.addr + "/"
	fmt.Fprintf(stdout, "review page: %s\n", url)
	log.Info("review page listening", slog.String("url", url), slog.Bool("basic_auth", cfg.Web.User != ""))
	return p, nil
}

// Configure builds the page for cfg. The address is only read at start.
func (p *Server) Configure(cfg *config.Config) {
	if p == nil {
		return
	}
	if cfg.Web.Addr != p.want {
		p.log.Warn("web.addr changed: the review page stays on its address until the daemon restarts",
			slog.String("listening", p.addr), slog.String("configured", cfg.Web.Addr))
	}
	h := New(Options{
		Source:     p.src,
		ReportsDir: cfg.Reports,
		User:       cfg.Web.User,
		Password:   cfg.Web.Password.Value(),
		Location:   cfg.Location(),
		Statuses:   batch.Statuses,
		Logger:     p.log,
		// Without a password the page is for this machine only (config
		// refuses any other address): refuse other Host names too.
		LocalOnly: cfg.Web.User == "",
	})
	p.handler.Store(&h)
}

// ServeHTTP serves the page built for the configuration in force.
func (p *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*p.handler.Load()).ServeHTTP(w, r)
}

// Run serves the page until ctx ends; then requests in progress get
// ShutdownTimeout to finish.
func (p *Server) Run(ctx context.Context) error {
	if err := ServeUntil(ctx, p.srv, p.ln); err != nil {
		return fmt.Errorf("review page: %w", err)
	}
	return nil
}

// ShutdownTimeout bounds how long a stopping daemon waits for requests in
// progress (the page's, the metrics').
const ShutdownTimeout = 5 * time.Second

// ServeUntil serves srv on ln until ctx ends, then shuts it down, giving
// the requests in progress ShutdownTimeout to finish. It returns when the
// server has stopped, with Serve's error (nil when the shutdown ended it).
func ServeUntil(ctx context.Context, srv *http.Server, ln net.Listener) error {
	served := make(chan error, 1)
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { served <- srv.Serve(ln) }) // ends when Serve fails or below, when the server is shut down
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
