package pass

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/inbox"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/observe"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/snapshot"
	"github.com/orderdrop/orderdrop/internal/track"
)

// Carriers is what a pass needs of the configured carriers' clients, built
// afresh for each pass (their per-run caches are never stale). The command
// line builds it from its carrier registry.
type Carriers struct {
	Submitters  map[order.Kind]batch.Submitter // by kind
	Concurrency map[order.Kind]int             // orders in flight, by kind
	// Reference reads every list of the carriers' reference data on its
	// own: one that cannot be read is returned in unread (and its carrier
	// stopped in stops when it refused the credentials or is unreachable).
	Reference   func(ctx context.Context, stops *batch.Stops) (ref *order.Reference, unread map[order.RefData]error)
	Reconcilers map[string]batch.Reconciler // the carriers that can look an order in doubt up, by name
	// ReconcilerAt and TrackerAt build a carrier's client at a base URL
	// other than the configured one (orders sent there before it changed).
	ReconcilerAt func(name, base string) (batch.Reconciler, error)
	TrackerAt    func(name, base string) (track.Tracker, error)
	// Trackers returns the clients that follow orders (logging the carriers
	// whose tracking is off), by name.
	Trackers         func() map[string]track.Tracker
	TrackConcurrency map[string]int // look-ups in flight, by carrier

	Places      map[string]batch.Place     // where each carrier's orders go (environment, base URL)
	KindPlaces  map[order.Kind]batch.Place // the same by kind
	TrackPlaces map[string]track.Place     // the same for tracking
	Credentials map[order.Kind]string      // where each kind's credentials are configured
	Close       func()                     // releases the clients' idle connections
}

// Deps is what a pass depends on beyond its options: the configuration in
// force and the carriers, the output and the log.
type Deps struct {
	Config  *config.Config
	Version string // this orderdrop's, for the ledger
	// Carriers builds the carriers' clients for one pass, reporting to m
	// (nil = no metrics); an error is a configuration error (exit 2).
	Carriers func(m *metrics.Metrics) (*Carriers, error)
	// NoteLedger, when set, runs on the ledger once a pass opened it (the
	// command line remembers the carriers' base URLs there).
	NoteLedger func(*ledger.Ledger)
	Stdout     io.Writer
	Log        *slog.Logger
}

// Options are one pass's.
type Options struct {
	// Ledger is the ledger already open (the daemon's, lent to its review
	// page meanwhile); nil = Run opens it (OpenGuarded) and closes it.
	Ledger    *ledger.Ledger
	NewLedger bool             // a fresh start is allowed (OpenGuarded)
	Inbox     *inbox.Inbox     // nil = a fresh one; the daemon's remembers file stability between passes
	Now       func() time.Time // the validation clock; nil = time.Now
	Record    *observe.Record  // what the pass did, for the observer; nil = not observed
}

// Run is one pass over the inbox: recover interrupted orders, then claim,
// validate and submit every ready file, keep those a carrier could not take
// for a retry, archive the others, and rewrite the open-orders workbook.
// Cancelling ctx stops gracefully. It returns the exit code (OK, Attention,
// Usage or Fatal); an error is an *Error.
func Run(ctx context.Context, d Deps, o Options) (int, error) {
	cfg, log, stdout, pr := d.Config, d.Log, d.Stdout, o.Record
	now := o.Now
	if now == nil {
		now = time.Now
	}
	l := o.Ledger
	if l == nil {
		var err error
		if l, err = OpenGuarded(cfg, d.Version, o.NewLedger, log); err != nil {
			return Fatal, err
		}
		defer l.Close()
	}
	LogMigration(l, log)
	defer pr.LedgerState(l)                        // before the ledger is closed
	snap := snapshot.Start(l, log, snapshot.Every) // status reads it while this pass holds the ledger
	defer snap.Close()
	box := o.Inbox
	if box == nil {
		var err error
		if box, err = NewInbox(cfg, log); err != nil {
			return Fatal, err
		}
	}
	cs, err := d.Carriers(pr.Metrics())
	if err != nil {
		return Usage, &Error{Code: Usage, Err: err}
	}
	defer cs.Close() // no idle connection outlives the pass
	if d.NoteLedger != nil {
		d.NoteLedger(l)
	}
	ropts := RecoverOptions(cfg.Recovery, cfg.Location(), cs.Reconcilers, log)
	ropts.Places, ropts.ReconcilerAt = cs.Places, cs.ReconcilerAt
	rec, err := batch.Recover(ctx, l, ropts)
	if err != nil {
		return Fatal, fatal(err)
	}
	code := OK
	if rec.InDoubt > 0 {
		pr.Problem("%d order(s) interrupted by an earlier stop are in doubt: check them with the carrier, then run orderdrop resolve", rec.InDoubt)
	}
	if rec.Released > 0 {
		pr.Problem("%d order(s) in doubt were released as not submitted after recovery.settle_after: drop their files again to send them", rec.Released)
	}
	if ReportRecovery(stdout, rec) {
		code = Attention
	}
	ready, waiting, err := box.Scan(ctx)
	if err != nil {
		return Fatal, fatal(fmt.Errorf("scan inbox: %w", err))
	}
	if reportNotOrderFiles(ctx, box, stdout, log) {
		code = Attention
	}
	loc := cfg.Location()
	// Files kept in processing/ because a carrier could not take their
	// orders wait for their turn (Retries); they never block newer files.
	retries := NewRetries(l, cfg.Retry, now(), loc, log)
	due := ready[:0:0]
	for _, c := range ready {
		wait, err := retries.Waiting(c, stdout)
		if err != nil {
			return Fatal, fatal(err)
		}
		if wait {
			code = Attention
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
		ref, unread = cs.Reference(ctx, stops)
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
			code = Attention
			continue
		}
		retryAt, err := retries.RetryAt(path)
		if err != nil {
			return Fatal, fatal(err)
		}
		progress, done := newProgress(stdout, c.Name, log)
		progress = snap.File(c.Name, progress)
		oo := OrderOptions(cfg, box.Dir(), now())
		oo.Reference = ref
		sum, err := batch.Process(ctx, path, batch.Options{
			Ledger:       l,
			Carriers:     cs.Submitters,
			Concurrency:  cs.Concurrency,
			AllOrNothing: cfg.AllOrNothing,
			Order:        oo,
			ReportDir:    cfg.Reports,
			Location:     loc,
			Resume:       c.Resumed,
			Source:       c.Name,
			Progress:     progress,
			Logger:       log,
			Stops:        stops,
			Unread:       unread,
			RetryAt:      retryAt,
			Credentials:  cs.Credentials,
			Places:       cs.KindPlaces,
		})
		done()
		snap.FileDone()
		var fe *batch.FileError
		switch {
		case errors.As(err, &fe):
			code = Attention
			dst, ferr := box.Fail(path, failReason(fe))
			if ferr != nil { // it stays in processing/ and is tried again by the next pass
				log.Error("could not move the unreadable file to failed/", slog.String("file", c.Name), slog.Any("error", ferr))
				fmt.Fprintf(stdout, "%s: not read: %v; could not move it to failed: %v\n", c.Name, fe.Err, ferr)
				continue
			}
			fmt.Fprintf(stdout, "%s: not read: %v → %s.error.txt\n", c.Name, fe.Err, dst)
			pr.Failed(c.Name, fe.Err)
			if err := retries.Release(path); err != nil {
				return Fatal, fatal(err)
			}
			continue
		case err != nil:
			// The ledger failed: stop here; the file stays in processing/ and is resumed next pass.
			return Fatal, fatal(fmt.Errorf("%s: %w", c.Name, err))
		}
		fmt.Fprintln(stdout, sum.Line())
		pr.File(sum)
		if sum.NeedsAttention() {
			code = Attention
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
				return Fatal, fatal(err)
			}
			continue
		}
		if !Archive(l, box, path, sum, time.Now().In(loc), stdout, log) {
			code = Attention
		}
		if err := retries.Release(path); err != nil {
			return Fatal, fatal(err)
		}
	}
	if stops.Any(batch.CauseAuth) {
		code = Fatal // a carrier refused the credentials: the configuration needs fixing
	}
	return code, nil
}

func failReason(fe *batch.FileError) string {
	return fmt.Sprintf("orderdrop could not read %s:\n\n%v\n\nNothing from this file was sent. Correct the file (or save it again from Excel/LibreOffice as .xlsx or CSV) and drop it in the inbox again.\n", fe.File, fe.Err)
}

// NewInbox checks the folders (each exists or can be created, and is
// writable; reports/ too) and says which are on another filesystem than
// processing/, where moves copy.
func NewInbox(cfg *config.Config, log *slog.Logger) (*inbox.Inbox, error) {
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

// OrderOptions are the validation options of the configuration, files
// named in a row read from attachments, dates checked against now.
func OrderOptions(cfg *config.Config, attachments string, now time.Time) order.Options {
	return order.Options{Now: now, FrWindow: cfg.FrWindow(), AttachmentDir: attachments, MaxAttachment: cfg.Validation.MaxAttachment, Checks: cfg.Checks()}
}

// inboxStableAfter is stable_after as package inbox takes it: there 0 is
// its 30 s default, while stable_after: 0 means no wait at all.
func inboxStableAfter(d time.Duration) time.Duration {
	if d == 0 {
		return time.Nanosecond
	}
	return d
}

// reportNotOrderFiles prints one line per inbox file orderdrop cannot take
// (a .ods, a .tsv…), left where it is, and reports whether there was any.
// Failing to list them is logged, not worth stopping the pass for.
func reportNotOrderFiles(ctx context.Context, box *inbox.Inbox, stdout io.Writer, log *slog.Logger) bool {
	names, err := box.NotOrderFiles(ctx)
	if err != nil {
		log.Warn("could not look for files other than orders in the inbox", slog.Any("error", err))
		return false
	}
	for _, name := range names {
		fmt.Fprintf(stdout, "not an order file: %s; save it as .xlsx or .csv\n", name)
	}
	return len(names) > 0
}
