package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/status"
)

type statusOptions struct {
	json  bool
	limit int
	notes io.Writer // where a JSON listing says it comes from a snapshot; nil = nowhere
}

func newStatusCommand(g *globalOptions) *cobra.Command {
	opts := statusOptions{notes: g.stderr}
	cmd := &cobra.Command{
		Use:   "status [BATCH]",
		Short: "Show recent batches, or the orders of one batch",
		Long: `status shows the newest batches with their counts per status, or the orders of
one batch. It only reads: it needs no carrier credentials and works while a
pass runs (it then shows the status snapshot that pass keeps beside the
ledger, saying as of when).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			cfg, err := loadStatusConfig(g.configPath)
			if err != nil {
				return err
			}
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			return runStatus(cfg, id, opts, g.stdout)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print JSON")
	cmd.Flags().IntVarP(&opts.limit, "limit", "n", 20, "how many recent batches")
	return cmd
}

// loadStatusConfig loads the configuration without carrier credentials.
func loadStatusConfig(path string) (*config.Config, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, usageError("no configuration file at %s: pass --config FILE or set ORDERDROP_CONFIG (config.example.yaml documents every key)", path)
	}
	cfg, err := config.LoadWithoutSecrets(path)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("%w (see config.example.yaml)", err)}
	}
	return cfg, nil
}

func runStatus(cfg *config.Config, id string, opts statusOptions, w io.Writer) error {
	d, err := status.Read(cfg, Version())
	if err != nil {
		return fatal(err)
	}
	defer d.Close()
	loc := cfg.Location()
	if note := d.Note(loc); note != "" {
		if opts.json {
			if opts.notes != nil {
				fmt.Fprintln(opts.notes, note)
			}
		} else {
			fmt.Fprintf(w, "%s\n\n", note)
		}
	}
	if id == "" {
		bs, err := d.Recent(opts.limit)
		if err != nil {
			return fatal(err)
		}
		return status.WriteBatches(w, bs, loc, opts.json)
	}
	b, list, ok, err := d.Batch(id)
	if errors.Is(err, ledger.ErrNotFound) {
		if d.FromSnapshot() {
			return usageError("no batch %q among the %d newest; while a pass runs only those are shown: try again when it has finished", id, d.SnapshotBatches())
		}
		return usageError("no batch %q: `orderdrop status` lists them", id)
	}
	if err != nil {
		return fatal(err)
	}
	return status.WriteBatch(w, b, list, ok, loc, opts.json)
}
