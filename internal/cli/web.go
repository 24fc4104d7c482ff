package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/web"
)

// reviewPage is the daemon's read-only review page (web.addr).
type reviewPage struct {
	addr    string // the address listened on, port resolved
	want    string // web.addr at start
	srv     *http.Server
	handler atomic.Pointer[http.Handler] // swapped on reload
	src     web.Source
	log     *slog.Logger
	ln      net.Listener
}

// shutdownTimeout bounds how long a stopping daemon waits for page
// requests in progress.
const shutdownTimeout = 5 * time.Second

// startReviewPage listens on cfg.Web.Addr for the page (run serves it);
// nil, nil when web.addr is empty. The address is printed to stdout.
func startReviewPage(cfg *config.Config, src web.Source, stdout io.Writer, log *slog.Logger) (*reviewPage, error) {
	if cfg.Web.Addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", cfg.Web.Addr)
	if err != nil {
		return nil, fatal(fmt.Errorf("review page: cannot listen on %s (web.addr): %w; choose a free port or stop what uses it", cfg.Web.Addr, err))
	}
	p := &reviewPage{addr: ln.Addr().String(), want: cfg.Web.Addr, src: src, log: log, ln: ln}
	p.configure(cfg)
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

// configure builds the page for cfg. The address is only read at start.
func (p *reviewPage) configure(cfg *config.Config) {
	if p == nil {
		return
	}
	if cfg.Web.Addr != p.want {
		p.log.Warn("web.addr changed: the review page stays on its address until the daemon restarts",
			slog.String("listening", p.addr), slog.String("configured", cfg.Web.Addr))
	}
	h := web.New(web.Options{
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

func (p *reviewPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*p.handler.Load()).ServeHTTP(w, r)
}

// run serves the page until ctx ends; then requests in progress get
// shutdownTimeout to finish.
func (p *reviewPage) run(ctx context.Context) error {
	if err := serveUntil(ctx, p.srv, p.ln); err != nil {
		return fmt.Errorf("review page: %w", err)
	}
	return nil
}
