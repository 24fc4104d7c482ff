package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/carriers"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/observe"
	"github.com/orderdrop/orderdrop/internal/pass"
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
				return pass.Run(ctx, passDeps(cfg, g.stdout, log), pass.Options{NewLedger: newLedger, Record: rec})
			})
			if err != nil {
				return passError(err)
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

// passDeps is what package pass needs of the command line for a pass with
// cfg: the carriers' clients, built for each pass by package carriers.
func passDeps(cfg *config.Config, stdout io.Writer, log *slog.Logger) pass.Deps {
	return pass.Deps{
		Config:     cfg,
		Version:    Version(),
		Carriers:   func(m *metrics.Metrics) (*pass.Carriers, error) { return carriers.ForPass(cfg, log, userAgent(), m) },
		NoteLedger: func(l *ledger.Ledger) { carriers.NoteBaseURLs(l, cfg, log) },
		Stdout:     stdout,
		Log:        log,
	}
}

// userAgent is what orderdrop sends carriers as its User-Agent.
func userAgent() string { return "orderdrop/" + Version() }
