package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/inbox"
)

type daemonOptions struct {
	now bool
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
	d := &daemon{stdout: stdout, log: log}
	if err := d.configure(cfg); err != nil {
		return err
	}
	sched, err := d.start(ctx)
	if err != nil {
		return err
	}
	log.Info("orderdrop daemon started", slog.String("schedule", cfg.Schedule), slog.String("timezone", cfg.TimeZone),
		slog.String("inbox", cfg.Inbox), slog.String("version", Version()))
	if opts.now {
		go d.pass(ctx)
	}
	for {
		select {
		case <-ctx.Done():
			log.Info("stopping: finishing the orders in flight")
			<-sched.Stop().Done() // waits for a running pass (it sees ctx cancelled and winds down)
			d.wg.Wait()
			log.Info("orderdrop daemon stopped")
			return nil
		case <-reload:
			next, err := config.Load(configPath)
			if err != nil {
				log.Error("configuration not reloaded; keeping the previous one", slog.Any("error", err))
				continue
			}
			logConfigWarnings(log, next)
			<-sched.Stop().Done()
			if err := d.configure(next); err != nil {
				log.Error("configuration not reloaded", slog.Any("error", err))
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

	mu  sync.Mutex // guards cfg and box, swapped on reload
	cfg *config.Config
	box *inbox.Inbox

	run sync.Mutex     // one pass at a time (the --now pass and a tick never overlap)
	wg  sync.WaitGroup // passes started with --now
}

func (d *daemon) configure(cfg *config.Config) error {
	box, err := newInbox(cfg)
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.cfg, d.box = cfg, box
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
	c.Start()
	return c, nil
}

// pass runs one pass; errors are logged, never fatal to the daemon.
func (d *daemon) pass(ctx context.Context) {
	d.wg.Add(1)
	defer d.wg.Done()
	d.run.Lock()
	defer d.run.Unlock()
	if ctx.Err() != nil {
		return
	}
	d.mu.Lock()
	cfg, box := d.cfg, d.box
	d.mu.Unlock()
	code, err := runPass(ctx, cfg, box, time.Now, d.stdout, d.log)
	switch {
	case err != nil:
		d.log.Error("pass failed; the next one retries", slog.Any("error", err), slog.Int("code", code))
	case code != ExitOK:
		d.log.Warn("pass done; some rows need attention: see the reports", slog.Int("code", code))
	default:
		d.log.Info("pass done")
	}
}
