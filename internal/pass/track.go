package pass

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/observe"
	"github.com/orderdrop/orderdrop/internal/sheet"
	"github.com/orderdrop/orderdrop/internal/track"
)

// maxChangeLines bounds the changes printed by a tracking pass.
const maxChangeLines = 20

// finishGrace bounds how long the end of a tracking pass that was stopped
// or ran out of time waits for the ledger to write the open-orders workbook.
const finishGrace = 30 * time.Second

// TrackOptions are one tracking pass's.
type TrackOptions struct {
	// Lender lends the ledger for each step of the pass (the daemon lends
	// its own, shared with the review page); nil = Track opens it for each
	// step (OpenGuarded the first time) and closes it between them.
	Lender    track.Lender
	NewLedger bool             // a fresh start is allowed (OpenGuarded)
	Now       func() time.Time // nil = time.Now
	Record    *observe.Record  // carrier metrics, and a change to rejected as a problem for the digest; nil = not observed
}

// Track is one tracking pass: ask the carriers where every open order
// stands, record the changes, rewrite the open-orders workbook, print a
// summary. When it opens the ledger itself, it opens it for each step and
// closes it between them (track.Reopen), so that orderdrop run can submit
// while the carriers are asked; only the first opening gives up at once
// when another orderdrop holds the ledger. It returns the exit code; an
// error is an *Error.
func Track(ctx context.Context, d Deps, o TrackOptions) (int, error) {
	cfg, log, stdout, pr := d.Config, d.Log, d.Stdout, o.Record
	now := o.Now
	if now == nil {
		now = time.Now
	}
	lend := o.Lender
	if lend == nil {
		lend = &track.OpenOnce{
			Open: func() (*ledger.Ledger, error) { return OpenGuarded(cfg, d.Version, o.NewLedger, log) },
			Opened: func(l *ledger.Ledger) {
				LogMigration(l, log)
				if d.NoteLedger != nil {
					d.NoteLedger(l)
				}
			},
			Reopen: track.Reopen(cfg.Ledger, ledger.Options{}),
		}
	}
	cs, err := d.Carriers(pr.Metrics())
	if err != nil {
		return Usage, &Error{Code: Usage, Err: err}
	}
	defer cs.Close() // no idle connection outlives the pass
	sum, err := track.Pass(ctx, lend, track.Options{
		Places:      cs.TrackPlaces,
		TrackerAt:   cs.TrackerAt,
		Trackers:    cs.Trackers(),
		Concurrency: cs.TrackConcurrency,
		PageSize:    cfg.Tracking.PageSize,
		MaxAge:      time.Duration(cfg.Tracking.MaxAgeDays) * 24 * time.Hour,
		MaxDuration: cfg.Tracking.MaxDuration,
		BreakAfter:  cfg.Tracking.BreakAfter,
		Now:         now,
		Logger:      log,
	})
	if err != nil {
		var pe *Error
		if errors.As(err, &pe) {
			return pe.Code, err
		}
		return Fatal, fatal(err)
	}
	fmt.Fprintln(stdout, sum.Line())
	loc := cfg.Location()
	for i, c := range sum.Changes {
		if i == maxChangeLines {
			fmt.Fprintf(stdout, "  … and %d more: see the Changes sheet of %s\n", len(sum.Changes)-i, sheet.OpenOrdersXLSX)
			break
		}
		fmt.Fprintf(stdout, "  %s: %s\n", orderName(c.Order), display.Line(DescribeChange(c.From, c.To)))
	}
	code := OK
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
		return Fatal, fatal(fmt.Errorf("write the open-orders workbook: %w", err))
	}
	printOpenSummary(stdout, cfg, oo)
	for _, c := range sum.Changes {
		switch c.To.Stage { // never green: a person looks at these
		case ledger.StageRejected, ledger.StageCancelled, ledger.StageUnknown:
			pr.Problem("%s: %s — see orderdrop attention", orderName(c.Order), display.Line(DescribeChange(c.From, c.To)))
			code = Attention
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

// DescribeChange words a tracking change for a person: "from → to date
// (status): message", leaving out what only repeats the stage.
func DescribeChange(from, to ledger.TrackEvent) string {
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
