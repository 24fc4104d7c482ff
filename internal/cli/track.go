package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sheet"
	"github.com/orderdrop/orderdrop/internal/track"
)

func newTrackCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
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
				return observedTrack(ctx, cfg, time.Now, g.stdout, log, rec)
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
}

// maxChangeLines bounds the changes printed by a tracking pass.
const maxChangeLines = 20

// runTrack is one tracking pass: ask the carriers, record the changes,
// rewrite the open-orders workbook, print a summary. It returns the exit code.
func runTrack(ctx context.Context, cfg *config.Config, now func() time.Time, stdout io.Writer, log *slog.Logger) (int, error) {
	return observedTrack(ctx, cfg, now, stdout, log, nil)
}

// observedTrack is runTrack recording into pr (nil = not observed): carrier
// metrics, and a tracking change to rejected as a problem for the digest.
func observedTrack(ctx context.Context, cfg *config.Config, now func() time.Time, stdout io.Writer, log *slog.Logger, pr *passRecord) (int, error) {
	l, err := openLedger(cfg)
	if err != nil {
		return ExitFatal, err
	}
	defer l.Close()
	return trackOnLedger(ctx, l, cfg, now, stdout, log, pr)
}

// trackOnLedger is observedTrack on a ledger already open (the daemon's,
// lent to the review page while the pass runs).
func trackOnLedger(ctx context.Context, l *ledger.Ledger, cfg *config.Config, now func() time.Time, stdout io.Writer, log *slog.Logger, pr *passRecord) (int, error) {
	logMigration(l, log)
	defer pr.ledgerState(l) // before the caller closes it
	cs, err := newObservedCarriers(cfg, log, pr.metrics())
	if err != nil {
		return ExitUsage, &ExitError{Code: ExitUsage, Err: err}
	}
	trackers := cs.trackers(cfg, log)
	sum, err := track.Pass(ctx, l, track.Options{
		Trackers:    trackers,
		Concurrency: cs.trackConcurrency(cfg),
		PageSize:    cfg.Tracking.PageSize,
		MaxAge:      time.Duration(cfg.Tracking.MaxAgeDays) * 24 * time.Hour,
		Now:         now,
		Logger:      log,
	})
	if err != nil {
		return ExitFatal, fatal(err)
	}
	fmt.Fprintln(stdout, sum.Line())
	loc := cfg.Location()
	for i, c := range sum.Changes {
		if i == maxChangeLines {
			fmt.Fprintf(stdout, "  … and %d more: see the Changes sheet of %s\n", len(sum.Changes)-i, sheet.OpenOrdersXLSX)
			break
		}
		fmt.Fprintf(stdout, "  %s: %s\n", orderName(c.Order), describeChange(c.From, c.To))
	}
	oo, err := track.WriteOpenOrders(l, cfg.Reports, loc, now())
	if err != nil {
		return ExitFatal, fatal(fmt.Errorf("write the open-orders workbook: %w", err))
	}
	printOpenSummary(stdout, cfg, oo)
	code := ExitOK
	for _, c := range sum.Changes {
		if c.To.Stage == ledger.StageRejected {
			pr.problem("%s: %s — see orderdrop attention", orderName(c.Order), describeChange(c.From, c.To))
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

// writeOpenOrders rewrites the open-orders workbook after a run; a failure
// is logged, never fatal to the run.
func writeOpenOrders(l *ledger.Ledger, cfg *config.Config, log *slog.Logger) {
	if _, err := track.WriteOpenOrders(l, cfg.Reports, cfg.Location(), time.Now()); err != nil {
		log.Warn("open-orders workbook not written; the next pass retries", slog.Any("error", err))
	}
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
