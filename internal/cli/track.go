package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sheet"
	"github.com/orderdrop/orderdrop/internal/track"
)

func newTrackCommand(g *globalOptions) *cobra.Command {
	var newLedger bool
	cmd := &cobra.Command{
		Use:   "track",
		Short: "Ask the carriers where every submitted order stands (one pass, for cron)",
		Long: `track asks each carrier about every submitted order that is not final yet
(completed, rejected or cancelled), records each change in the ledger, and
rewrites reports/open-orders.xlsx (and .csv): one row per open order, and a
Changes sheet with what this pass learnt. Orders older than
tracking.max_age_days are no longer asked about. Exit code 0: nothing new
needs a person; 1: the carrier rejected an order after accepting it (see
orderdrop attention); 2: configuration error; 3: could not run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g.configPath)
			if err != nil {
				return err
			}
			log := newLogger(g.stderr, cfg.Log)
			ctx, stop := notifyStop(cmd.Context())
			defer stop()
			obs := newObserver(cfg, log, nil)
			code, err := obs.pass(ctx, "track", func(rec *passRecord) (int, error) {
				return observedTrack(ctx, cfg, newLedger, time.Now, g.stdout, log, rec)
			})
			if err != nil {
				return err
			}
			if code != ExitOK {
				return &ExitError{Code: code}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&newLedger, newLedgerFlag, false, newLedgerUsage)
	return cmd
}

// maxChangeLines bounds the changes printed by a tracking pass.
const maxChangeLines = 20

// runTrack is one tracking pass: ask the carriers, record the changes,
// rewrite the open-orders workbook, print a summary. It returns the exit code.
func runTrack(ctx context.Context, cfg *config.Config, now func() time.Time, stdout io.Writer, log *slog.Logger) (int, error) {
	return observedTrack(ctx, cfg, false, now, stdout, log, nil)
}

// observedTrack is runTrack recording into pr (nil = not observed): carrier
// metrics, and a tracking change to rejected as a problem for the digest.
// newLedger allows a fresh start (ledgerguard.go).
// The ledger is opened for each step of the pass and closed between them
// (track.Reopen), so that orderdrop run can submit while the carriers are
// asked; only the first opening gives up at once when another orderdrop
// holds the ledger.
func observedTrack(ctx context.Context, cfg *config.Config, newLedger bool, now func() time.Time, stdout io.Writer, log *slog.Logger, pr *passRecord) (int, error) {
	return trackWith(ctx, &cliLender{cfg: cfg, newLedger: newLedger, log: log, reopen: track.Reopen(cfg.Ledger, ledger.Options{})}, cfg, now, stdout, log, pr)
}

// cliLender lends the ledger file to the tracking pass of `orderdrop track`:
// the first borrow opens it as every command does (another orderdrop
// holding it is an error, exit 3: the next pass catches up); the later ones
// wait for it while the pass may run.
type cliLender struct {
	cfg       *config.Config
	newLedger bool // a fresh start is allowed (ledgerguard.go)
	log       *slog.Logger
	reopen    track.Lender
	started   bool
}

func (c *cliLender) Borrow(ctx context.Context, fn func(*ledger.Ledger) error) error {
	if c.started {
		return c.reopen.Borrow(ctx, fn)
	}
	l, err := openPassLedger(c.cfg, c.newLedger, c.log)
	if err != nil {
		return err
	}
	c.started = true
	logMigration(l, c.log)
	noteBaseURLs(l, c.cfg, c.log)
	ferr := fn(l)
	if err := l.Close(); err != nil && ferr == nil {
		ferr = err
	}
	return ferr
}

// daemonLender lends the daemon's ledger to its tracking pass one step at a
// time: each borrow waits for the daemon's pass lock (a pass over the inbox
// runs between two steps, never during one) and opens the ledger through
// the gate, so that the review page reads through it meanwhile.
type daemonLender struct {
	d     *daemon
	cfg   *config.Config
	noted bool // the base URLs were noted (noteBaseURLs) in this pass
}

// lockPoll is how often a borrow checks whether a pass over the inbox ended.
const lockPoll = 50 * time.Millisecond

func (b *daemonLender) Borrow(ctx context.Context, fn func(*ledger.Ledger) error) error {
	if !b.d.run.TryLock() {
		tick := time.NewTicker(lockPoll)
		defer tick.Stop()
		for !b.d.run.TryLock() {
			select {
			case <-ctx.Done():
				return fmt.Errorf("wait for the pass over the inbox to end: %w", ctx.Err())
			case <-tick.C:
			}
		}
	}
	defer b.d.run.Unlock()
	l, err := b.d.gate.openForPass(b.cfg, b.d.newLedger, b.d.log)
	if err != nil {
		return err
	}
	b.d.newLedger = false // one fresh start at most (under d.run, as in exclusive)
	if !b.noted {
		b.noted = true
		logMigration(l, b.d.log)
		noteBaseURLs(l, b.cfg, b.d.log)
	}
	ferr := fn(l)
	if err := b.d.gate.closePass(l); err != nil && ferr == nil {
		ferr = err
	}
	return ferr
}

// finishGrace bounds how long the end of a tracking pass that was stopped
// or ran out of time waits for the ledger to write the open-orders workbook.
const finishGrace = 30 * time.Second

// trackWith is one tracking pass borrowing the ledger from lend for each
// step (the daemon lends its own, shared with the review page).
func trackWith(ctx context.Context, lend track.Lender, cfg *config.Config, now func() time.Time, stdout io.Writer, log *slog.Logger, pr *passRecord) (int, error) {
	cs, err := newObservedCarriers(cfg, log, pr.metrics())
	if err != nil {
		return ExitUsage, &ExitError{Code: ExitUsage, Err: err}
	}
	trackers := cs.trackers(cfg, log)
	elsewhere := &clientsAt{cfg: cfg, log: log, m: pr.metrics()}
	defer elsewhere.close()
	sum, err := track.Pass(ctx, lend, track.Options{
		Places:      trackPlaces(cfg),
		TrackerAt:   elsewhere.tracker,
		Trackers:    trackers,
		Concurrency: cs.trackConcurrency(cfg),
		PageSize:    cfg.Tracking.PageSize,
		MaxAge:      time.Duration(cfg.Tracking.MaxAgeDays) * 24 * time.Hour,
		MaxDuration: cfg.Tracking.MaxDuration,
		BreakAfter:  cfg.Tracking.BreakAfter,
		Now:         now,
		Logger:      log,
	})
	if err != nil {
		var ee *ExitError
		if errors.As(err, &ee) {
			return ee.Code, err
		}
		return ExitFatal, fatal(err)
	}
	fmt.Fprintln(stdout, sum.Line())
	loc := cfg.Location()
	for i, c := range sum.Changes {
		if i == maxChangeLines {
			fmt.Fprintf(stdout, "  … and %d more: see the Changes sheet of %s\n", len(sum.Changes)-i, sheet.OpenOrdersXLSX)
			break
		}
		fmt.Fprintf(stdout, "  %s: %s\n", orderName(c.Order), display.Line(describeChange(c.From, c.To)))
	}
	code := ExitOK
	for name, why := range sum.Broken {
		pr.problem("tracking: %s %s: its open orders were not asked about; the next tracking pass asks again", name, display.Line(why))
	}
	finishCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishGrace)
	defer cancel()
	var oo sheet.OpenOrdersCount
	err = lend.Borrow(finishCtx, func(l *ledger.Ledger) error {
		defer pr.ledgerState(l)
		var err error
		oo, err = track.WriteOpenOrders(l, cfg.Reports, loc, now())
		return err
	})
	if err != nil { // the observer puts the error in the digest
		return ExitFatal, fatal(fmt.Errorf("write the open-orders workbook: %w", err))
	}
	printOpenSummary(stdout, cfg, oo)
	for _, c := range sum.Changes {
		switch c.To.Stage { // never green: a person looks at these
		case ledger.StageRejected, ledger.StageCancelled, ledger.StageUnknown:
			pr.problem("%s: %s — see orderdrop attention", orderName(c.Order), display.Line(describeChange(c.From, c.To)))
			code = ExitAttention
		}
	}
	return code, nil
}

// trackers returns the configured clients that can follow orders, and logs
// the carriers whose tracking is switched off.
func (c *carriers) trackers(cfg *config.Config, log *slog.Logger) map[string]track.Tracker {
	m := map[string]track.Tracker{}
	if c.thinktel != nil {
		m["thinktel"] = c.thinktel
	}
	if c.prizz != nil {
		if cfg.Carriers.Prizz.Tracking == "off" {
			log.Info("prizz tracking is off (carriers.prizz.tracking: off): l2 orders are not followed")
		} else {
			m["prizz"] = c.prizz
		}
	}
	if c.netwo != nil {
		if !cfg.Carriers.Netwo.Track {
			log.Info("netwo tracking is off: Netwo publishes no order status endpoint; set carriers.netwo.track: true (and track_path) once Netwo confirms one. fr-port orders stay listed as open, not followed")
		} else {
			m["netwo"] = c.netwo
		}
	}
	return m
}

// trackConcurrency is each carrier's look-ups in flight, as for orders.
func (c *carriers) trackConcurrency(cfg *config.Config) map[string]int {
	return map[string]int{"netwo": cfg.Carriers.Netwo.Concurrency, "prizz": cfg.Carriers.Prizz.Concurrency,
		"thinktel": cfg.Carriers.Thinktel.Concurrency}
}

func orderName(o *ledger.Order) string {
	if o.Ref != "" {
		return fmt.Sprintf("%s %s (%s)", o.Kind, o.Ref, o.Reference)
	}
	return fmt.Sprintf("%s (%s)", o.Key, o.Reference)
}

func describeChange(from, to ledger.TrackEvent) string {
	s := string(to.Stage)
	if from.Stage != "" {
		s = string(from.Stage) + " → " + s
	}
	if to.Date != "" {
		s += " " + to.Date
	}
	if to.Status != "" {
		s += " (" + to.Status + ")"
	}
	if to.Message != "" {
		s += ": " + to.Message
	}
	return s
}

// writeOpenOrders rewrites the open-orders workbook after a run. A failure
// never fails the run (its orders are sent and recorded), but it is seen:
// printed, logged as an error, a problem of the pass's digest, and the old
// workbook is marked out of date beside it (track.WriteOpenOrders).
func writeOpenOrders(l *ledger.Ledger, cfg *config.Config, log *slog.Logger, stdout io.Writer, pr *passRecord) {
	if _, err := track.WriteOpenOrders(l, cfg.Reports, cfg.Location(), time.Now()); err != nil {
		openOrdersFailed(cfg, log, stdout, pr, err)
	}
}

// openOrdersFailed says that the open-orders workbook could not be rewritten.
func openOrdersFailed(cfg *config.Config, log *slog.Logger, stdout io.Writer, pr *passRecord, err error) {
	xlsx := filepath.Join(cfg.Reports, sheet.OpenOrdersXLSX)
	log.Error("open-orders workbook not rewritten; the next pass retries", slog.String("path", xlsx), slog.Any("error", err))
	fmt.Fprintf(stdout, "%s: not rewritten, it is out of date (see %s): %s\n", xlsx, sheet.OpenOrdersStale, display.Line(err.Error()))
	pr.problem("%s could not be rewritten, so it is out of date (%s beside it says since when): %s; fix the cause, then run orderdrop track",
		xlsx, sheet.OpenOrdersStale, display.Line(err.Error()))
}

// printOpenSummary prints the open orders per stage and the workbook's path.
func printOpenSummary(w io.Writer, cfg *config.Config, oo sheet.OpenOrdersCount) {
	counts := oo.ByStage
	var parts []string
	for _, st := range append([]string{""}, stageNames()...) {
		if n := counts[st]; n > 0 {
			name := st
			if name == "" {
				name = "not asked yet"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, name))
		}
	}
	line := fmt.Sprintf("open orders: %d", oo.Orders)
	if len(parts) > 0 {
		line += " (" + strings.Join(parts, ", ") + ")"
	}
	fmt.Fprintf(w, "%s → %s\n", line, filepath.Join(cfg.Reports, sheet.OpenOrdersXLSX))
}

func stageNames() []string {
	var out []string
	for _, s := range ledger.Stages() {
		out = append(out, string(s))
	}
	return out
}
