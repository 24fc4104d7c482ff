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
	"github.com/orderdrop/orderdrop/internal/observe"
	"github.com/orderdrop/orderdrop/internal/pass"
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
			obs := observe.New(cfg, log, nil)
			code, err := obs.Pass(ctx, "track", func(rec *observe.Record) (int, error) {
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
	cmd.Flags().BoolVar(&newLedger, pass.NewLedgerFlag, false, pass.NewLedgerUsage)
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
func observedTrack(ctx context.Context, cfg *config.Config, newLedger bool, now func() time.Time, stdout io.Writer, log *slog.Logger, pr *observe.Record) (int, error) {
	lend := &track.OpenOnce{
		Open:   func() (*ledger.Ledger, error) { return openPassLedger(cfg, newLedger, log) },
		Opened: func(l *ledger.Ledger) { pass.LogMigration(l, log); noteBaseURLs(l, cfg, log) },
		Reopen: track.Reopen(cfg.Ledger, ledger.Options{}),
	}
	return trackWith(ctx, lend, cfg, now, stdout, log, pr)
}

// finishGrace bounds how long the end of a tracking pass that was stopped
// or ran out of time waits for the ledger to write the open-orders workbook.
const finishGrace = 30 * time.Second

// trackWith is one tracking pass borrowing the ledger from lend for each
// step (the daemon lends its own, shared with the review page).
func trackWith(ctx context.Context, lend track.Lender, cfg *config.Config, now func() time.Time, stdout io.Writer, log *slog.Logger, pr *observe.Record) (int, error) {
	cs, err := newObservedCarriers(cfg, log, pr.Metrics())
	if err != nil {
		return ExitUsage, &ExitError{Code: ExitUsage, Err: err}
	}
	defer cs.close() // no idle connection outlives the pass
	trackers := cs.trackers(cfg, log)
	elsewhere := &clientsAt{cfg: cfg, log: log, m: pr.Metrics()}
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
		pr.Problem("tracking: %s %s: its open orders were not asked about; the next tracking pass asks again", name, display.Line(why))
	}
	finishCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishGrace)
	defer cancel()
	var oo sheet.OpenOrdersCount
	err = lend.Borrow(finishCtx, func(l *ledger.Ledger) error {
		defer pr.LedgerState(l)
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
			pr.Problem("%s: %s — see orderdrop attention", orderName(c.Order), display.Line(describeChange(c.From, c.To)))
			code = ExitAttention
		}
	}
	return code, nil
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
	if to.Status != "" && !strings.EqualFold(to.Status, string(to.Stage)) { // no "rejected (REJECTED)"
		s += " (" + to.Status + ")"
	}
	if to.Message != "" && !strings.EqualFold(to.Message, to.Status) { // no "Accepted: Accepted"
		s += ": " + to.Message
	}
	return s
}

// writeOpenOrders rewrites the open-orders workbook after a run. A failure
// never fails the run (its orders are sent and recorded), but it is seen:
// printed, logged as an error, a problem of the pass's digest, and the old
// workbook is marked out of date beside it (track.WriteOpenOrders).
func writeOpenOrders(l *ledger.Ledger, cfg *config.Config, log *slog.Logger, stdout io.Writer, pr *observe.Record) {
	if _, err := track.WriteOpenOrders(l, cfg.Reports, cfg.Location(), time.Now()); err != nil {
		openOrdersFailed(cfg, log, stdout, pr, err)
	}
}

// openOrdersFailed says that the open-orders workbook could not be rewritten.
func openOrdersFailed(cfg *config.Config, log *slog.Logger, stdout io.Writer, pr *observe.Record, err error) {
	xlsx := filepath.Join(cfg.Reports, sheet.OpenOrdersXLSX)
	log.Error("open-orders workbook not rewritten; the next pass retries", slog.String("path", xlsx), slog.Any("error", err))
	fmt.Fprintf(stdout, "%s: not rewritten, it is out of date (see %s): %s\n", xlsx, sheet.OpenOrdersStale, display.Line(err.Error()))
	pr.Problem("%s could not be rewritten, so it is out of date (%s beside it says since when): %s; fix the cause, then run orderdrop track",
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
