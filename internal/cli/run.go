package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/inbox"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/observe"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/pass"
	"github.com/orderdrop/orderdrop/internal/snapshot"
)

func newRunCommand(g *globalOptions) *cobra.Command {
	var printDigest, newLedger bool
	cmd := &cobra.Command{
		Use:   "run",
		Short: "One pass over the inbox (for cron)",
		Long: `run takes every stable file of the inbox, validates and submits its orders,
writes its report and archives it, then exits. A file whose orders a carrier
could not take (unreachable, busy, credentials refused, reference data
unreadable) stays in processing/ and is retried by later passes. Exit code 0:
every row was submitted (or had been); 1: some rows or files need attention;
2: usage or configuration error; 3: could not run (e.g. another orderdrop
holds the ledger, or a carrier refused the credentials).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g.configPath)
			if err != nil {
				return err
			}
			log := newLogger(g.stderr, cfg.Log)
			logConfigWarnings(log, cfg)
			ctx, stop := notifyStop(cmd.Context())
			defer stop()
			obs := observe.New(cfg, log, nil)
			obs.Textfile = true
			if printDigest {
				obs.PrintDigest = g.stdout
			}
			code, err := obs.Pass(ctx, "run", func(rec *observe.Record) (int, error) {
				return observedPass(ctx, cfg, newLedger, nil, time.Now, g.stdout, log, rec)
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
	cmd.Flags().BoolVar(&printDigest, "print-digest", false, "also print the notification digest of this pass (sent only when notify is configured)")
	cmd.Flags().BoolVar(&newLedger, pass.NewLedgerFlag, false, pass.NewLedgerUsage)
	return cmd
}

func loadConfig(path string) (*config.Config, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, usageError("no configuration file at %s: pass --config FILE or set ORDERDROP_CONFIG (config.example.yaml documents every key)", path)
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("%w (see config.example.yaml)", err)}
	}
	return cfg, nil
}

// runPass is one pass over the inbox: recover interrupted orders, then take
// every ready file. box may be nil (a fresh Inbox is made); the daemon passes
// its own so that file stability is remembered between passes. now is the
// validation clock (time.Now; tests pin it). Cancelling ctx stops
// gracefully. It returns the exit code.
func runPass(ctx context.Context, cfg *config.Config, box *inbox.Inbox, now func() time.Time, stdout io.Writer, log *slog.Logger) (int, error) {
	return observedPass(ctx, cfg, false, box, now, stdout, log, nil)
}

// observedPass is runPass reporting what it does to pr (nil = not observed:
// see observe.go). newLedger allows a fresh start (ledgerguard.go).
func observedPass(ctx context.Context, cfg *config.Config, newLedger bool, box *inbox.Inbox, now func() time.Time, stdout io.Writer, log *slog.Logger, pr *observe.Record) (int, error) {
	l, err := openPassLedger(cfg, newLedger, log)
	if err != nil {
		return ExitFatal, err
	}
	defer l.Close()
	return passOnLedger(ctx, l, cfg, box, now, stdout, log, pr)
}

// passOnLedger is observedPass on a ledger already open: the daemon's, which
// it lends to the review page while the pass runs.
func passOnLedger(ctx context.Context, l *ledger.Ledger, cfg *config.Config, box *inbox.Inbox, now func() time.Time, stdout io.Writer, log *slog.Logger, pr *observe.Record) (int, error) {
	var err error
	pass.LogMigration(l, log)
	defer pr.LedgerState(l)                        // before the caller closes it
	snap := snapshot.Start(l, log, snapshot.Every) // status reads it while this pass holds the ledger
	defer snap.Close()
	if box == nil {
		if box, err = newInbox(cfg, log); err != nil {
			return ExitFatal, err
		}
	}
	cs, err := newObservedCarriers(cfg, log, pr.Metrics())
	if err != nil {
		return ExitUsage, &ExitError{Code: ExitUsage, Err: err}
	}
	defer cs.close() // no idle connection outlives the pass
	noteBaseURLs(l, cfg, log)
	elsewhere := &clientsAt{cfg: cfg, log: log, m: pr.Metrics()}
	defer elsewhere.close()
	ropts := pass.RecoverOptions(cfg.Recovery, cfg.Location(), cs.reconcilers(), log)
	ropts.Places, ropts.ReconcilerAt = carrierPlaces(cfg), elsewhere.reconciler
	rec, err := batch.Recover(ctx, l, ropts)
	if err != nil {
		return ExitFatal, fatal(err)
	}
	code := ExitOK
	if rec.InDoubt > 0 {
		pr.Problem("%d order(s) interrupted by an earlier stop are in doubt: check them with the carrier, then run orderdrop resolve", rec.InDoubt)
	}
	if rec.Released > 0 {
		pr.Problem("%d order(s) in doubt were released as not submitted after recovery.settle_after: drop their files again to send them", rec.Released)
	}
	if pass.ReportRecovery(stdout, rec) {
		code = ExitAttention
	}
	ready, waiting, err := box.Scan(ctx)
	if err != nil {
		return ExitFatal, fatal(fmt.Errorf("scan inbox: %w", err))
	}
	if reportNotOrderFiles(ctx, box, stdout, log) {
		code = ExitAttention
	}
	loc := cfg.Location()
	// Files kept in processing/ because a carrier could not take their
	// orders wait for their turn (pass.Retries); they never block newer files.
	retries := pass.NewRetries(l, cfg.Retry, now(), loc, log)
	due := ready[:0:0]
	for _, c := range ready {
		wait, err := retries.Waiting(c, stdout)
		if err != nil {
			return ExitFatal, fatal(err)
		}
		if wait {
			code = ExitAttention
			continue
		}
		due = append(due, c)
	}
	ready = due
	// Carriers stopped for the rest of this pass (credentials refused,
	// unreachable), shared by every file so that each is asked once.
	stops := batch.NewStops()
	var ref *order.Reference
	var unread map[order.RefData]error
	if len(ready) > 0 {
		// The carriers' reference data (prefixes, trunks, offerings, contacts,
		// ports) lets validation name a wrong value before anything is sent.
		// Each list is read on its own: one that cannot be read holds only
		// the rows whose checks need it ("could not read …", retried later)
		// and leaves the checks of the other lists on.
		ref, unread = cs.referenceEach(ctx, stops)
		for d, err := range unread {
			log.Warn("carrier reference data unreadable; the rows needing it are not sent", slog.String("data", string(d)), slog.Any("error", err))
		}
	}
	for _, w := range waiting {
		log.Info("file still changing; it waits for the next pass", slog.String("file", w.Name))
	}
	defer writeOpenOrders(l, cfg, log, stdout, pr) // the workbook follows what this pass submitted
	for _, c := range ready {
		if ctx.Err() != nil {
			break
		}
		path, err := box.Claim(c)
		if errors.Is(err, inbox.ErrNotStable) || errors.Is(err, inbox.ErrGone) {
			log.Info("file changed while being picked up; it waits for the next pass", slog.String("file", c.Name))
			continue
		}
		if err != nil { // a file that cannot be moved never blocks the others
			log.Error("could not take the file into processing/; it stays where it is", slog.String("file", c.Name), slog.Any("error", err))
			fmt.Fprintf(stdout, "%s: not taken: %v\n", c.Name, err)
			code = ExitAttention
			continue
		}
		retryAt, err := retries.RetryAt(path)
		if err != nil {
			return ExitFatal, fatal(err)
		}
		progress, done := newProgress(stdout, c.Name, log)
		progress = snap.File(c.Name, progress)
		sum, err := batch.Process(ctx, path, batch.Options{
			Ledger:       l,
			Carriers:     cs.submitters(),
			Concurrency:  cs.conc,
			AllOrNothing: cfg.AllOrNothing,
			Order:        withReference(orderOptions(cfg, box.Dir(), now()), ref),
			ReportDir:    cfg.Reports,
			Location:     loc,
			Resume:       c.Resumed,
			Source:       c.Name,
			Progress:     progress,
			Logger:       log,
			Stops:        stops,
			Unread:       unread,
			RetryAt:      retryAt,
			Credentials:  credentialsHints(cfg),
			Places:       kindPlaces(cfg),
		})
		done()
		snap.FileDone()
		var fe *batch.FileError
		switch {
		case errors.As(err, &fe):
			code = ExitAttention
			dst, ferr := box.Fail(path, failReason(fe))
			if ferr != nil { // it stays in processing/ and is tried again by the next pass
				log.Error("could not move the unreadable file to failed/", slog.String("file", c.Name), slog.Any("error", ferr))
				fmt.Fprintf(stdout, "%s: not read: %v; could not move it to failed: %v\n", c.Name, fe.Err, ferr)
				continue
			}
			fmt.Fprintf(stdout, "%s: not read: %v → %s.error.txt\n", c.Name, fe.Err, dst)
			pr.Failed(c.Name, fe.Err)
			if err := retries.Release(path); err != nil {
				return ExitFatal, fatal(err)
			}
			continue
		case err != nil:
			// The ledger failed: stop here; the file stays in processing/ and is resumed next pass.
			return ExitFatal, fatal(fmt.Errorf("%s: %w", c.Name, err))
		}
		fmt.Fprintln(stdout, sum.Line())
		pr.File(sum)
		if sum.NeedsAttention() {
			code = ExitAttention
		}
		// A stop during the pass may also leave orders unsent as if the
		// carrier were busy: that is an interruption, resumed by the next
		// pass without waiting for a retry.
		if sum.Interrupted || (sum.NeedsRetry() && ctx.Err() != nil) {
			log.Info("stopping: the file stays in processing/ and is resumed by the next pass", slog.String("file", c.Name))
			break
		}
		if sum.NeedsRetry() {
			// Some orders could not be sent because a carrier was
			// unavailable: the file stays in processing/ for a later pass.
			if err := retries.Keep(path, sum, stdout); err != nil {
				return ExitFatal, fatal(err)
			}
			continue
		}
		if !pass.Archive(l, box, path, sum, time.Now().In(loc), stdout, log) {
			code = ExitAttention
		}
		if err := retries.Release(path); err != nil {
			return ExitFatal, fatal(err)
		}
	}
	if stops.Any(batch.CauseAuth) {
		code = ExitFatal // a carrier refused the credentials: the configuration needs fixing
	}
	return code, nil
}

func failReason(fe *batch.FileError) string {
	return fmt.Sprintf("orderdrop could not read %s:\n\n%v\n\nNothing from this file was sent. Correct the file (or save it again from Excel/LibreOffice as .xlsx or CSV) and drop it in the inbox again.\n", fe.File, fe.Err)
}

func withReference(o order.Options, ref *order.Reference) order.Options {
	o.Reference = ref
	return o
}

// newInbox checks the folders (each exists or can be created, and is
// writable; reports/ too) and says which are on another filesystem than
// processing/, where moves copy.
func newInbox(cfg *config.Config, log *slog.Logger) (*inbox.Inbox, error) {
	box, err := inbox.New(inbox.Options{Inbox: cfg.Inbox, Processing: cfg.Processing, Archive: cfg.Archive, Failed: cfg.Failed,
		StableAfter: inboxStableAfter(cfg.StableAfter), Skip: cfg.Skip, Location: cfg.Location()})
	if err != nil {
		return nil, fatal(fmt.Errorf("prepare folders: %w", err))
	}
	if err := inbox.CheckFolder("reports", cfg.Reports); err != nil {
		return nil, fatal(fmt.Errorf("prepare folders: %w", err))
	}
	for _, name := range box.OtherFilesystems() {
		log.Info("folder on another filesystem than processing/: files are copied there, then removed", slog.String("folder", name))
	}
	return box, nil
}

func orderOptions(cfg *config.Config, attachments string, now time.Time) order.Options {
	return order.Options{Now: now, FrWindow: cfg.FrWindow(), AttachmentDir: attachments, MaxAttachment: cfg.Validation.MaxAttachment, Checks: cfg.Checks()}
}

func openPassLedger(cfg *config.Config, newLedger bool, log *slog.Logger) (*ledger.Ledger, error) {
	l, err := pass.OpenGuarded(cfg, Version(), newLedger, log)
	return l, passError(err)
}
