package cli

import (
	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/observe"
	"github.com/orderdrop/orderdrop/internal/pass"
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
				return pass.Track(ctx, passDeps(cfg, g.stdout, log), pass.TrackOptions{NewLedger: newLedger, Record: rec})
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
	cmd.Flags().BoolVar(&newLedger, pass.NewLedgerFlag, false, pass.NewLedgerUsage)
	return cmd
}
