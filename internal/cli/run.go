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
	"github.com/orderdrop/orderdrop/internal/order"
)

func newRunCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "One pass over the inbox (for cron)",
		Long: `run takes every stable file of the inbox, validates and submits its orders,
writes its report and archives it, then exits. Exit code 0: every row was
submitted (or had been); 1: some rows or files need attention; 2: usage or
configuration error; 3: could not run (e.g. another orderdrop holds the ledger).`,
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
			code, err := runPass(ctx, cfg, nil, time.Now, g.stdout, log)
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

// openLedger opens the ledger, turning a held lock into exit code 3.
func openLedger(cfg *config.Config) (*ledger.Ledger, error) {
	l, err := ledger.Open(cfg.Ledger, ledger.Options{Timeout: time.Second})
	if errors.Is(err, ledger.ErrLocked) {
		return nil, fatal(fmt.Errorf("another orderdrop is using %s; wait for it to finish", cfg.Ledger))
	}
	if err != nil {
		return nil, fatal(fmt.Errorf("open ledger: %w", err))
	}
	return l, nil
}

// runPass is one pass over the inbox: recover interrupted orders, then take
// every ready file. box may be nil (a fresh Inbox is made); the daemon passes
// its own so that file stability is remembered between passes. now is the
// validation clock (time.Now; tests pin it). Cancelling ctx stops
// gracefully. It returns the exit code.
func runPass(ctx context.Context, cfg *config.Config, box *inbox.Inbox, now func() time.Time, stdout io.Writer, log *slog.Logger) (int, error) {
	l, err := openLedger(cfg)
	if err != nil {
		return ExitFatal, err
	}
	defer l.Close()
	if box == nil {
		if box, err = newInbox(cfg); err != nil {
			return ExitFatal, err
		}
	}
	cs, err := newCarriers(cfg, log)
	if err != nil {
		return ExitUsage, &ExitError{Code: ExitUsage, Err: err}
	}
	rec, err := batch.Recover(ctx, l, cs.reconcilers(), log)
	if err != nil {
		return ExitFatal, fatal(err)
	}
	code := ExitOK
	if rec.InDoubt > 0 {
		fmt.Fprintf(stdout, "%d order(s) interrupted by an earlier stop are in doubt: see `orderdrop status` and `orderdrop resolve`\n", rec.InDoubt)
		code = ExitAttention
	}
	ready, waiting, err := box.Scan(ctx)
	if err != nil {
		return ExitFatal, fatal(fmt.Errorf("scan inbox: %w", err))
	}
	if reportNotOrderFiles(ctx, box, stdout, log) {
		code = ExitAttention
	}
	var ref *order.Reference
	if len(ready) > 0 {
		// The carriers' reference data (prefixes, trunks, offerings, contacts,
		// ports) lets validation name a wrong value before anything is sent.
		// Best effort: without it rows are checked offline and the carrier
		// clients still refuse what they cannot send.
		if ref, err = cs.reference(ctx); err != nil {
			log.Warn("carrier reference data unavailable; rows are checked offline", slog.Any("error", err))
			ref = nil
		}
	}
	for _, w := range waiting {
		log.Info("file still changing; it waits for the next pass", slog.String("file", w.Name))
	}
	loc := cfg.Location()
	for _, c := range ready {
		if ctx.Err() != nil {
			break
		}
		path, err := box.Claim(c)
		if errors.Is(err, inbox.ErrNotStable) || errors.Is(err, inbox.ErrGone) {
			log.Info("file changed while being picked up; it waits for the next pass", slog.String("file", c.Name))
			continue
		}
		if err != nil {
			return ExitFatal, fatal(fmt.Errorf("claim %s: %w", c.Name, err))
		}
		progress, done := newProgress(stdout, c.Name, log)
		sum, err := batch.Process(ctx, path, batch.Options{
			Ledger:       l,
			Carriers:     cs.submitters(),
			Concurrency:  cs.conc,
			AllOrNothing: cfg.AllOrNothing,
			Order:        withReference(orderOptions(cfg, box.Dir(), now()), ref),
			ReportDir:    cfg.Reports,
			Source:       c.Name,
			Progress:     progress,
			Logger:       log,
		})
		done()
		var fe *batch.FileError
		switch {
		case errors.As(err, &fe):
			dst, ferr := box.Fail(path, failReason(fe))
			if ferr != nil {
				return ExitFatal, fatal(fmt.Errorf("move %s to failed: %w", c.Name, ferr))
			}
			fmt.Fprintf(stdout, "%s: not read: %v → %s.error.txt\n", c.Name, fe.Err, dst)
			code = ExitAttention
			continue
		case err != nil:
			// The ledger failed: stop here; the file stays in processing/ and is resumed next pass.
			return ExitFatal, fatal(fmt.Errorf("%s: %w", c.Name, err))
		}
		fmt.Fprintln(stdout, sum.Line())
		if sum.NeedsAttention() {
			code = ExitAttention
		}
		if sum.Interrupted {
			log.Info("stopping: the file stays in processing/ and is resumed by the next pass", slog.String("file", c.Name))
			break
		}
		if _, err := box.Archive(path, time.Now().In(loc)); err != nil {
			return ExitFatal, fatal(fmt.Errorf("archive %s: %w", c.Name, err))
		}
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

func newInbox(cfg *config.Config) (*inbox.Inbox, error) {
	box, err := inbox.New(inbox.Options{Inbox: cfg.Inbox, Processing: cfg.Processing, Archive: cfg.Archive, Failed: cfg.Failed,
		StableAfter: inboxStableAfter(cfg.StableAfter), Skip: cfg.Skip})
	if err != nil {
		return nil, fatal(fmt.Errorf("prepare folders: %w", err))
	}
	return box, nil
}

func orderOptions(cfg *config.Config, attachments string, now time.Time) order.Options {
	return order.Options{Now: now, FrWindow: cfg.FrWindow(), AttachmentDir: attachments, MaxAttachment: cfg.Validation.MaxAttachment}
}
