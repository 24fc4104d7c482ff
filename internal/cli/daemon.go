package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/pass"
	"github.com/orderdrop/orderdrop/internal/review"
	"github.com/orderdrop/orderdrop/internal/web"
)

type daemonOptions struct {
	now       bool
	newLedger bool // a fresh start is allowed (ledgerguard.go)
}

func newDaemonCommand(g *globalOptions) *cobra.Command {
	var opts daemonOptions
	cmd := &cobra.Command{
		Use:   "daemon",
		Short: "Run passes on the configured schedule until stopped",
		Long: `daemon runs a pass over the inbox on the configuration's cron schedule
(skipping a tick while a pass still runs). SIGTERM or SIGINT: no new order is
started, those in flight finish, the report is written with the rest
not_submitted, the file stays in processing/ for the next pass, and the
daemon exits 0. SIGHUP reloads the configuration.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := notifyStop(cmd.Context())
			defer stop()
			hup := make(chan os.Signal, 1)
			signal.Notify(hup, syscall.SIGHUP)
			defer signal.Stop(hup)
			return runDaemon(ctx, g.configPath, opts, hup, g.stdout, g.stderr)
		},
	}
	cmd.Flags().BoolVar(&opts.now, "now", false, "also run a pass right away at start")
	cmd.Flags().BoolVar(&opts.newLedger, pass.NewLedgerFlag, false, pass.NewLedgerUsage)
	return cmd
}

// runDaemon schedules passes until ctx is cancelled. Each value on reload
// re-reads the configuration; a bad file is logged and the old one kept.
func runDaemon(ctx context.Context, configPath string, opts daemonOptions, reload <-chan os.Signal, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(configPath)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.Log)
	logConfigWarnings(log, cfg)
	d := newDaemon(stdout, log, metrics.New(), opts.newLedger)
	if err := d.configure(cfg); err != nil {
		return err
	}
	if cfg.Metrics.Addr != config.MetricsOff {
		// Served until the daemon returns, after the last pass ended (so
		// /healthz answers during a graceful stop); a reload keeps the
		// address the daemon started with.
		srv, ln, err := d.m.Listen(cfg.Metrics.Addr, log)
		if err != nil {
			return usageError("%v", err)
		}
		metricsCtx, stopMetrics := context.WithCancel(context.WithoutCancel(ctx))
		var served sync.WaitGroup
		defer func() { stopMetrics(); served.Wait() }()
		served.Go(func() { // ends when the daemon returns (stopMetrics)
			if err := web.ServeUntil(metricsCtx, srv, ln); err != nil {
				log.Error("metrics server stopped", slog.Any("error", err))
			}
		})
	}
	sched, err := d.start(ctx)
	if err != nil {
		return err
	}
	page, err := web.StartPage(cfg, review.NewSource(&d.jobs.Gate, d.jobs.Config), stdout, log)
	if err != nil {
		<-sched.Stop().Done()
		return fatal(err)
	}
	// The review page is served until the passes have ended (stopAll).
	pageCtx, stopPage := context.WithCancel(context.WithoutCancel(ctx))
	defer stopPage()
	var pageServed sync.WaitGroup
	if page != nil {
		pageServed.Go(func() { // ends with stopPage, in stopAll
			if err := page.Run(pageCtx); err != nil {
				log.Error("review page stopped with an error", slog.Any("error", err))
			}
		})
	}
	log.Info("orderdrop daemon started", slog.String("schedule", cfg.Schedule), slog.String("track_schedule", cfg.TrackSchedule), slog.String("timezone", cfg.TimeZone),
		slog.String("inbox", cfg.Inbox), slog.String("version", Version()))
	if opts.now {
		d.wg.Go(func() { // ends with the pass; stopAll waits for it
			defer d.recoverPass("pass")
			d.jobs.Run(ctx)
		})
	}
	stopAll := func() {
		<-sched.Stop().Done() // waits for a running pass (it sees ctx cancelled and winds down)
		d.wg.Wait()
		stopPage()
		pageServed.Wait()
	}
	for {
		select {
		case <-ctx.Done():
			log.Info("stopping: finishing the orders in flight")
			stopAll()
			log.Info("orderdrop daemon stopped")
			return nil
		case err := <-d.jobs.Trouble:
			// Every pass would fail the same way until a person restores
			// a backup or upgrades: stop (exit 3) rather than retry.
			log.Error("orderdrop daemon stopping: the ledger cannot be used", slog.Any("error", err))
			stopAll()
			return passError(err)
		case <-reload:
			next, err := config.Load(configPath)
			if err != nil {
				// Kept in force, and shown on /healthz and in the metrics
				// until a reload succeeds: nobody reads the log of a daemon
				// that seems to run.
				log.Error("configuration not reloaded; keeping the previous one", slog.Any("error", err))
				d.m.ConfigReload(err)
				continue
			}
			logConfigWarnings(log, next)
			<-sched.Stop().Done()
			if err := d.configure(next); err != nil {
				log.Error("configuration not reloaded", slog.Any("error", err))
				d.m.ConfigReload(err)
			} else {
				page.Configure(next)
				d.m.ConfigReload(nil)
			}
			if sched, err = d.start(ctx); err != nil {
				return err
			}
			log.Info("configuration reloaded", slog.String("schedule", next.Schedule))
		}
	}
}

// daemon is the state of runDaemon: its passes (pass.Jobs) and the
// metrics kept across reloads.
type daemon struct {
	log  *slog.Logger
	m    *metrics.Metrics // kept across reloads, served on metrics.addr
	jobs *pass.Jobs       // the passes, with the configuration in force
	wg   sync.WaitGroup   // the pass started with --now (wg.Go); cron's Stop waits for the scheduled jobs
}

// newDaemon returns a daemon printing its passes' summaries on stdout;
// newLedger allows one fresh start (--new-ledger).
func newDaemon(stdout io.Writer, log *slog.Logger, m *metrics.Metrics, newLedger bool) *daemon {
	return &daemon{log: log, m: m, jobs: &pass.Jobs{
		Version:   Version(),
		Deps:      func(cfg *config.Config) pass.Deps { return passDeps(cfg, stdout, log) },
		Log:       log,
		Metrics:   m,
		Trouble:   make(chan error, 1),
		NewLedger: newLedger,
	}}
}

// configure puts cfg in force for the next passes.
func (d *daemon) configure(cfg *config.Config) error {
	return passError(d.jobs.Configure(cfg))
}

func (d *daemon) start(ctx context.Context) (*cron.Cron, error) {
	cfg := d.jobs.Config()
	logger := cron.PrintfLogger(slog.NewLogLogger(d.log.Handler(), slog.LevelWarn))
	c := cron.New(cron.WithLocation(cfg.Location()), cron.WithChain(cron.SkipIfStillRunning(logger), cron.Recover(logger)))
	if _, err := c.AddFunc(cfg.Schedule, func() { d.jobs.Run(ctx) }); err != nil {
		return nil, usageError("schedule %q: %v", cfg.Schedule, err)
	}
	if cfg.TrackSchedule != "off" {
		if _, err := c.AddFunc(cfg.TrackSchedule, func() { d.jobs.Track(ctx) }); err != nil {
			return nil, usageError("track_schedule %q: %v", cfg.TrackSchedule, err)
		}
	}
	c.Start()
	return c, nil
}

// recoverPass, deferred by the goroutine of a pass, logs a panic instead of
// letting it end the daemon (cron.Recover does the same for scheduled
// passes).
func (d *daemon) recoverPass(name string) {
	if r := recover(); r != nil {
		d.log.Error(name+" panicked; the next one retries", slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
	}
}
