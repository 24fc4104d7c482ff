// Command carriersim serves the carrier sandbox (internal/sim) on one
// loopback port: Netwo under /netwo/api/v1, Prizz under /prizz, Thinktel
// under /thinktel/rest.svc and the control endpoints under /_sim.
//
// Once listening it prints to stdout, first,
//
//	carriersim listening on http://127.0.0.1:PORT
//
// (make demo reads that line), then the carriers section of an
// orderdrop.yaml pointing at the sandbox and the export line giving its
// credentials, and serves until SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/orderdrop/orderdrop/internal/sim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "carriersim:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "carriersim:", err)
		os.Exit(1)
	}
}

// usageError is a bad command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// shutdownTimeout bounds the graceful shutdown.
const shutdownTimeout = 5 * time.Second

// run parses args, serves the sandbox until ctx is done, then shuts down.
// Logs go to stderr; stdout gets only the banner.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("carriersim", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	var (
		addr        = fs.String("addr", "127.0.0.1:8480", "listen address (loopback; port 0 picks a free port)")
		allowRemote = fs.Bool("allow-remote", false, "allow a non-loopback listen address")
		seed        = fs.Int64("seed", 1, "seed for references and fault draws")
		logLevel    = fs.String("log-level", "info", "debug, info, warn or error")
		trackStep   = fs.Duration("track-step", 24*time.Hour, "how long a created order stays at each stage (pending, scheduled, then completed); negative = only POST /_sim/track moves it")
		f           sim.Faults
	)
	fs.DurationVar(&f.Latency, "latency", 0, "latency added to every carrier request")
	fs.DurationVar(&f.Jitter, "jitter", 0, "random extra latency in [0, jitter)")
	fs.Float64Var(&f.Rate429, "rate-429", 0, "probability of 429 Too Many Requests")
	fs.DurationVar(&f.RetryAfter, "retry-after", time.Second, "Retry-After sent with 429 (rounded up to seconds)")
	fs.Float64Var(&f.Rate503, "rate-503", 0, "probability of 503 Service Unavailable")
	fs.Float64Var(&f.Rate500AfterCreate, "rate-500-after-create", 0, "probability an order is created then 500 is returned")
	fs.Float64Var(&f.RateHangAfterCreate, "rate-hang-after-create", 0, "probability an order is created then the answer hangs")
	fs.DurationVar(&f.Hang, "hang", 30*time.Second, "how long a hang-after-create lasts (0 = until the client gives up)")
	fs.Float64Var(&f.RateDropAfterRead, "rate-drop-after-read", 0, "probability the connection is dropped after the body is read (no order)")
	fs.Float64Var(&f.RateDelayCreate, "rate-delay-create", 0, "probability an order is created only after --create-delay (the carrier is slow to create it)")
	fs.DurationVar(&f.CreateDelay, "create-delay", 10*time.Second, "how long a delayed creation takes (0 = until POST /_sim/release)")
	fs.DurationVar(&f.ThinktelStatusLag, "thinktel-status-lag", 0, "how long a new Thinktel port-in's status answers 404 (the dashboard shows it at once)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected arguments: %v", fs.Args())}
	}
	if err := f.Validate(); err != nil {
		return usageError{err}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError{fmt.Errorf("--log-level: %w", err)}
	}
	if !*allowRemote {
		if err := requireLoopback(*addr); err != nil {
			return usageError{err}
		}
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	s := sim.New(sim.Options{Seed: *seed, Faults: f, Logger: logger, TrackStep: *trackStep})
	defer s.Close()
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }() // ends when srv is shut down
	if _, err := fmt.Fprint(stdout, banner("http://"+ln.Addr().String(), sim.DefaultCredentials())); err != nil {
		_ = srv.Close()
		<-served
		return fmt.Errorf("write listening line: %w", err)
	}
	logger.Info("carriersim started", "addr", ln.Addr().String(), "seed", *seed)

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("carriersim shutting down")
	s.Close() // release hung handlers first, so Shutdown does not wait for them
	shutCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	shutErr := srv.Shutdown(shutCtx)
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	if shutErr != nil {
		return fmt.Errorf("shutdown: %w", shutErr)
	}
	return nil
}

// banner is what carriersim prints once listening at base: the listening
// line, then what an orderdrop configuration needs to reach the sandbox.
func banner(base string, c sim.Credentials) string {
	return fmt.Sprintf(`carriersim listening on %[1]s
# To point orderdrop at this sandbox, put these lines in orderdrop.yaml:
carriers:
  netwo:
    base_url: %[1]s/netwo/api/v1
    api_key: ${NETWO_API_KEY}
    actor_slug: ${NETWO_ACTOR_SLUG}
  prizz:
    base_url: %[1]s/prizz
    email: ${PRIZZ_EMAIL}
    password: ${PRIZZ_PASSWORD}
  thinktel:
    base_url: %[1]s/thinktel/rest.svc
    username: ${THINKTEL_USERNAME}
    password: ${THINKTEL_PASSWORD}
# and give orderdrop the sandbox's credentials in its environment:
export NETWO_API_KEY=%[2]s NETWO_ACTOR_SLUG=%[3]s PRIZZ_EMAIL=%[4]s PRIZZ_PASSWORD=%[5]s THINKTEL_USERNAME=%[6]s THINKTEL_PASSWORD=%[7]s
`, base, c.NetwoAPIKey, c.NetwoActorSlug, c.PrizzEmail, c.PrizzPassword, c.ThinktelUser, c.ThinktelPassword)
}

// requireLoopback refuses listen addresses reachable from other machines.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--addr %q is not a loopback address; pass --allow-remote to bind it anyway", addr)
}
