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
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/inbox"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/observe"
	"github.com/orderdrop/orderdrop/internal/pass"
	"github.com/orderdrop/orderdrop/internal/review"
	"github.com/orderdrop/orderdrop/internal/track"
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
	d := &daemon{stdout: stdout, log: log, m: metrics.New(), newLedger: opts.newLedger, trouble: make(chan error, 1)}
	if err := d.configure(cfg); err != nil {
		return err
	}
	if cfg.Metrics.Addr != config.MetricsOff {
		// Served until the daemon returns, after the last pass ended (so
		// /healthz answers during a graceful stop); a reload keeps the
		// address the daemon started with.
		srv, ln, err := listenMetrics(cfg.Metrics.Addr, d.m, log)
		if err != nil {
			return usageError("%v", err)
		}
		metricsCtx, stopMetrics := context.WithCancel(context.WithoutCancel(ctx))
		var served sync.WaitGroup
		defer func() { stopMetrics(); served.Wait() }()
		served.Go(func() { // ends when the daemon returns (stopMetrics)
			if err := serveUntil(metricsCtx, srv, ln); err != nil {
				log.Error("metrics server stopped", slog.Any("error", err))
			}
		})
	}
	sched, err := d.start(ctx)
	if err != nil {
		return err
	}
	page, err := startReviewPage(cfg, review.NewSource(&d.gate, d.config), stdout, log)
	if err != nil {
		<-sched.Stop().Done()
		return err
	}
	// The review page is served until the passes have ended (stopAll).
	pageCtx, stopPage := context.WithCancel(context.WithoutCancel(ctx))
	defer stopPage()
	var pageServed sync.WaitGroup
	if page != nil {
		pageServed.Go(func() { // ends with stopPage, in stopAll
			if err := page.run(pageCtx); err != nil {
				log.Error("review page stopped with an error", slog.Any("error", err))
			}
		})
	}
	log.Info("orderdrop daemon started", slog.String("schedule", cfg.Schedule), slog.String("track_schedule", cfg.TrackSchedule), slog.String("timezone", cfg.TimeZone),
		slog.String("inbox", cfg.Inbox), slog.String("version", Version()))
	if opts.now {
		d.wg.Go(func() { // ends with the pass; stopAll waits for it
			defer d.recoverPass("pass")
			d.pass(ctx)
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
		case err := <-d.trouble:
			// Every pass would fail the same way until a person restores
			// a backup or upgrades: stop (exit 3) rather than retry.
			log.Error("orderdrop daemon stopping: the ledger cannot be used", slog.Any("error", err))
			stopAll()
			return err
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
				page.configure(next)
				d.m.ConfigReload(nil)
			}
			if sched, err = d.start(ctx); err != nil {
				return err
			}
			log.Info("configuration reloaded", slog.String("schedule", next.Schedule))
		}
	}
}

type daemon struct {
	stdout io.Writer
	log    *slog.Logger

	mu  sync.Mutex // guards cfg, box and obs, swapped on reload
	cfg *config.Config
	box *inbox.Inbox
	obs *observe.Observer // notifications and metrics of each pass
	m   *metrics.Metrics  // kept across reloads, served on metrics.addr

	trouble chan error // a pass found the ledger damaged or newer: the daemon stops (buffered 1)

	run  sync.Mutex     // one pass at a time (the --now pass and a tick never overlap)
	wg   sync.WaitGroup // the pass started with --now (wg.Go); cron's Stop waits for the scheduled jobs
	gate review.Gate    // lends the passes' ledger to the review page

	newLedger bool // --new-ledger: the next pass may start a new ledger although the folders show earlier passes (guarded by run)
}

func (d *daemon) configure(cfg *config.Config) error {
	box, err := pass.NewInbox(cfg, d.log)
	if err != nil {
		return passError(err)
	}
	obs := observe.New(cfg, d.log, d.m)
	d.mu.Lock()
	d.cfg, d.box, d.obs = cfg, box, obs
	d.mu.Unlock()
	return nil
}

func (d *daemon) start(ctx context.Context) (*cron.Cron, error) {
	d.mu.Lock()
	cfg := d.cfg
	d.mu.Unlock()
	logger := cron.PrintfLogger(slog.NewLogLogger(d.log.Handler(), slog.LevelWarn))
	c := cron.New(cron.WithLocation(cfg.Location()), cron.WithChain(cron.SkipIfStillRunning(logger), cron.Recover(logger)))
	if _, err := c.AddFunc(cfg.Schedule, func() { d.pass(ctx) }); err != nil {
		return nil, usageError("schedule %q: %v", cfg.Schedule, err)
	}
	if cfg.TrackSchedule != "off" {
		if _, err := c.AddFunc(cfg.TrackSchedule, func() { d.track(ctx) }); err != nil {
			return nil, usageError("track_schedule %q: %v", cfg.TrackSchedule, err)
		}
	}
	c.Start()
	return c, nil
}

// pass runs one pass over the inbox; errors are logged, never fatal to the
// daemon, but for a ledger that cannot be used (damaged, or from a newer
// orderdrop), which stops it.
func (d *daemon) pass(ctx context.Context) {
	d.exclusive(ctx, "run", "pass", "some rows need attention: see the reports",
		func(l *ledger.Ledger, cfg *config.Config, box *inbox.Inbox, rec *observe.Record) (int, error) {
			return pass.Run(ctx, passDeps(cfg, d.stdout, d.log), pass.Options{Ledger: l, Inbox: box, Record: rec})
		})
}

// recoverPass, deferred by the goroutine of a pass, logs a panic instead of
// letting it end the daemon (cron.Recover does the same for scheduled
// passes).
func (d *daemon) recoverPass(name string) {
	if r := recover(); r != nil {
		d.log.Error(name+" panicked; the next one retries", slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
	}
}

// track runs one tracking pass; errors are logged, never fatal. Unlike a
// pass over the inbox it holds the ledger only for each step (d.lender),
// so that a pass over the inbox runs while the carriers are asked.
func (d *daemon) track(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	d.mu.Lock()
	cfg, obs := d.cfg, d.obs
	d.mu.Unlock()
	code, err := obs.Pass(ctx, "track", func(rec *observe.Record) (int, error) {
		return pass.Track(ctx, passDeps(cfg, d.stdout, d.log), pass.TrackOptions{Lender: d.lender(cfg), Record: rec})
	})
	switch {
	case err != nil:
		d.log.Error("tracking pass failed; the next one retries", slog.Any("error", err), slog.Int("code", code))
	case code != ExitOK:
		d.log.Warn("tracking pass done; a carrier rejected an order: see orderdrop attention", slog.Int("code", code))
	default:
		d.log.Info("tracking pass done")
	}
}

// lender lends the daemon's ledger to its tracking pass one step at a time:
// each borrow waits for the daemon's pass lock (a pass over the inbox runs
// between two steps, never during one) and opens the ledger through the
// gate, so that the review page reads through it meanwhile.
func (d *daemon) lender(cfg *config.Config) track.Lender {
	return &track.Locked{
		Lock: &d.run,
		Open: func() (*ledger.Ledger, error) {
			l, err := d.gate.OpenForPass(func() (*ledger.Ledger, error) { return openPassLedger(cfg, d.newLedger, d.log) })
			if err == nil {
				d.newLedger = false // one fresh start at most (under d.run, as in exclusive)
			}
			return l, err
		},
		Close:  d.gate.ClosePass,
		Opened: func(l *ledger.Ledger) { pass.LogMigration(l, d.log); noteBaseURLs(l, cfg, d.log) },
	}
}

// exclusive runs one pass of kind ("run" or "track") on the ledger, never at
// the same time as another pass (both hold the ledger), with the
// configuration in force and under the observer (digest, metrics). The
// ledger is borrowed through the gate so the review page reads through it
// meanwhile. name and attention word the log lines.
func (d *daemon) exclusive(ctx context.Context, kind, name, attention string,
	run func(*ledger.Ledger, *config.Config, *inbox.Inbox, *observe.Record) (int, error)) {
	d.run.Lock()
	locked := true
	unlock := func() {
		if locked {
			locked = false
			d.run.Unlock()
		}
	}
	defer unlock()
	if ctx.Err() != nil {
		return
	}
	d.mu.Lock()
	cfg, box, obs := d.cfg, d.box, d.obs
	d.mu.Unlock()
	code, err := obs.Pass(ctx, kind, func(rec *observe.Record) (int, error) {
		// Released before the observer notifies: a slow channel must not
		// hold the next pass back (deferred first, so it runs last).
		defer unlock()
		l, err := d.gate.OpenForPass(func() (*ledger.Ledger, error) { return openPassLedger(cfg, d.newLedger, d.log) })
		if err != nil {
			return ExitFatal, err
		}
		d.newLedger = false // one fresh start at most: a ledger lost later is refused again
		defer func() {
			if ctx.Err() == nil {
				pass.DailyBackup(l, cfg, time.Now(), d.log)
			}
			if err := d.gate.ClosePass(l); err != nil {
				d.log.Error("close ledger", slog.Any("error", err))
			}
		}()
		return run(l, cfg, box, rec)
	})
	switch {
	case err != nil && pass.IsLedgerTrouble(err):
		select {
		case d.trouble <- err:
		default: // the daemon is stopping already
		}
	case err != nil:
		d.log.Error(name+" failed; the next one retries", slog.Any("error", err), slog.Int("code", code))
	case code != ExitOK:
		d.log.Warn(name+" done; "+attention, slog.Int("code", code))
	default:
		d.log.Info(name + " done")
	}
}
