package pass

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/inbox"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/observe"
	"github.com/orderdrop/orderdrop/internal/review"
	"github.com/orderdrop/orderdrop/internal/track"
)

// Jobs are the daemon's passes: a pass over the inbox (Run) and a tracking
// pass (Track), each with the configuration in force and under its
// observer (digest, metrics), never two holding the ledger at once. The
// ledger is borrowed through Gate, so that the review page reads through
// it meanwhile. Their errors are logged, never fatal to the daemon, but
// for a ledger that cannot be used, sent on Trouble.
type Jobs struct {
	Version string
	Deps    func(*config.Config) Deps // what a pass with a configuration depends on
	Log     *slog.Logger
	Metrics *metrics.Metrics // kept across reloads: every configuration's observer reports to it
	// Trouble receives the error of a pass that found the ledger damaged or
	// from a newer orderdrop (the daemon stops); a send never blocks.
	Trouble chan error
	// NewLedger lets the next pass start a new ledger although the folders
	// show earlier passes (--new-ledger), once. Guarded by the pass lock.
	NewLedger bool
	Gate      review.Gate // lends the passes' ledger to the review page

	mu  sync.Mutex // guards cfg, box and obs, swapped on reload
	cfg *config.Config
	box *inbox.Inbox      // remembers file stability between passes
	obs *observe.Observer // notifications and metrics of each pass

	run sync.Mutex // one pass holds the ledger at a time
}

// Configure puts cfg in force for the next passes: its folders are checked
// and its observer built. On error the previous configuration stays.
func (j *Jobs) Configure(cfg *config.Config) error {
	box, err := NewInbox(cfg, j.Log)
	if err != nil {
		return err
	}
	obs := observe.New(cfg, j.Log, j.Metrics)
	j.mu.Lock()
	j.cfg, j.box, j.obs = cfg, box, obs
	j.mu.Unlock()
	return nil
}

// Config returns the configuration in force.
func (j *Jobs) Config() *config.Config {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.cfg
}

// Busy reports whether a pass holds the ledger now.
func (j *Jobs) Busy() bool {
	if j.run.TryLock() {
		j.run.Unlock()
		return false
	}
	return true
}

// Run runs one pass over the inbox.
func (j *Jobs) Run(ctx context.Context) {
	j.Exclusive(ctx, "run", "pass", "some rows need attention: see the reports",
		func(l *ledger.Ledger, cfg *config.Config, box *inbox.Inbox, rec *observe.Record) (int, error) {
			return Run(ctx, j.Deps(cfg), Options{Ledger: l, Inbox: box, Record: rec})
		})
}

// Track runs one tracking pass. Unlike a pass over the inbox it holds the
// ledger only for each step (lender), so that a pass over the inbox runs
// while the carriers are asked.
func (j *Jobs) Track(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	j.mu.Lock()
	cfg, obs := j.cfg, j.obs
	j.mu.Unlock()
	code, err := obs.Pass(ctx, "track", func(rec *observe.Record) (int, error) {
		return Track(ctx, j.Deps(cfg), TrackOptions{Lender: j.lender(cfg), Record: rec})
	})
	switch {
	case err != nil:
		j.Log.Error("tracking pass failed; the next one retries", slog.Any("error", err), slog.Int("code", code))
	case code != OK:
		j.Log.Warn("tracking pass done; a carrier rejected an order: see orderdrop attention", slog.Int("code", code))
	default:
		j.Log.Info("tracking pass done")
	}
}

// open opens the ledger for a pass through the gate; the pass lock is held.
func (j *Jobs) open(cfg *config.Config) (*ledger.Ledger, error) {
	l, err := j.Gate.OpenForPass(func() (*ledger.Ledger, error) { return OpenGuarded(cfg, j.Version, j.NewLedger, j.Log) })
	if err == nil {
		j.NewLedger = false // one fresh start at most: a ledger lost later is refused again
	}
	return l, err
}

// lender lends the ledger to a tracking pass one step at a time: each
// borrow waits for the pass lock (a pass over the inbox runs between two
// steps, never during one) and opens the ledger through the gate.
func (j *Jobs) lender(cfg *config.Config) track.Lender {
	d := j.Deps(cfg)
	return &track.Locked{
		Lock:  &j.run,
		Open:  func() (*ledger.Ledger, error) { return j.open(cfg) },
		Close: j.Gate.ClosePass,
		Opened: func(l *ledger.Ledger) {
			LogMigration(l, j.Log)
			if d.NoteLedger != nil {
				d.NoteLedger(l)
			}
		},
	}
}

// Exclusive runs one pass of kind ("run" or "track") on the ledger, never at
// the same time as another pass, with the configuration in force and under
// its observer; after a pass that was not stopped, the ledger gets its
// daily backup. name and attention word the log lines.
func (j *Jobs) Exclusive(ctx context.Context, kind, name, attention string,
	run func(*ledger.Ledger, *config.Config, *inbox.Inbox, *observe.Record) (int, error)) {
	j.run.Lock()
	locked := true
	unlock := func() {
		if locked {
			locked = false
			j.run.Unlock()
		}
	}
	defer unlock()
	if ctx.Err() != nil {
		return
	}
	j.mu.Lock()
	cfg, box, obs := j.cfg, j.box, j.obs
	j.mu.Unlock()
	code, err := obs.Pass(ctx, kind, func(rec *observe.Record) (int, error) {
		// Released before the observer notifies: a slow channel must not
		// hold the next pass back (deferred first, so it runs last).
		defer unlock()
		l, err := j.open(cfg)
		if err != nil {
			return Fatal, err
		}
		defer func() {
			if ctx.Err() == nil {
				DailyBackup(l, cfg, time.Now(), j.Log)
			}
			if err := j.Gate.ClosePass(l); err != nil {
				j.Log.Error("close ledger", slog.Any("error", err))
			}
		}()
		return run(l, cfg, box, rec)
	})
	switch {
	case err != nil && IsLedgerTrouble(err):
		select {
		case j.Trouble <- err:
		default: // the daemon is stopping already
		}
	case err != nil:
		j.Log.Error(name+" failed; the next one retries", slog.Any("error", err), slog.Int("code", code))
	case code != OK:
		j.Log.Warn(name+" done; "+attention, slog.Int("code", code))
	default:
		j.Log.Info(name + " done")
	}
}
