package cli

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/carriers"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/pass"
	"github.com/orderdrop/orderdrop/internal/rebuild"
)

func newLedgerRebuildCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "rebuild",
		Short: "Rebuild a lost ledger from the result reports and the archived inputs",
		Long: `rebuild restores the orders a lost ledger held from what the passes left:
each result report in reports/ is matched to its input (in archive/ or
processing/) by the input's name and sha256 in the report's summary; every
row reported submitted or already_submitted with a carrier reference becomes
a submitted order again (the same key and fingerprint, computed from the
input as the pass does, the same reference, time and batch), and every row
reported in_doubt an order in doubt. Carrier reference data is read (as a
pass reads it) so that fingerprints come out as they were.

It fills only a missing or empty ledger, never one that holds orders. The
ledger is built beside the configured path and put in place when complete;
it takes the id the newest report names. It prints what it restored and what
it could not (a report without its input, rows without a reference). Exit
code 0: everything was restored; 1: something could not be (listed); 2:
configuration error; 3: could not run (the ledger holds orders or is in use).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var opts rebuildOptions
			cfg, err := loadConfig(g.configPath)
			if err != nil {
				// Without the carriers' credentials (an operator's shell), the
				// rebuild still runs, without their reference data.
				var lerr error
				if cfg, lerr = loadStatusConfig(g.configPath); lerr != nil {
					return err
				}
				opts.offline = true
				newLogger(g.stderr, cfg.Log).Warn("the configuration cannot be loaded with the carriers' credentials, so their reference data is not read: "+
					"fingerprints depending on it (fr-port orders giving a prefix) may come out differently, and such an order dropped again then "+
					"shows conflict rather than already_submitted (nothing is sent either way). Set the credentials and rebuild again to avoid it",
					slog.Any("error", err))
			}
			log := newLogger(g.stderr, cfg.Log)
			code, err := runLedgerRebuild(cmd.Context(), cfg, opts, g.stdout, log)
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

// rebuildOptions tune a rebuild for tests.
type rebuildOptions struct {
	now     time.Time // the validation clock (rebuild.Options.Now)
	offline bool      // the carriers' reference data is not read (no credentials)
}

// runLedgerRebuild rebuilds the ledger at cfg.Ledger (rebuild.Run) and
// returns the exit code.
func runLedgerRebuild(ctx context.Context, cfg *config.Config, opts rebuildOptions, stdout io.Writer, log *slog.Logger) (int, error) {
	ro := rebuild.Options{Now: opts.now, Stdout: stdout, Log: log,
		Hold:     func() (*ledger.Ledger, error) { return openLedger(cfg) },
		Progress: func(name string) (func(int, int), func()) { return pass.Progress(stdout, name, log) }}
	if !opts.offline {
		ro.Reference = func(ctx context.Context) *order.Reference {
			return carriers.RebuildReference(ctx, cfg, log, userAgent())
		}
	}
	attention, err := rebuild.Run(ctx, cfg, ro)
	var ee *ExitError
	switch {
	case errors.As(err, &ee):
		return ee.Code, err
	case err != nil:
		return ExitFatal, fatal(err)
	case attention:
		return ExitAttention, nil
	}
	return ExitOK, nil
}
