package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/status"
)

type attentionOptions struct {
	json  bool
	all   bool      // also the acknowledged items, with their notes
	notes io.Writer // where a JSON listing says it comes from a snapshot; nil = nowhere
}

func newAttentionCommand(g *globalOptions) *cobra.Command {
	opts := attentionOptions{notes: g.stderr}
	cmd := &cobra.Command{
		Use:   "attention",
		Short: "List every order or file that needs a person now, with what to do",
		Long: `attention lists what a person must act on: orders in doubt (with the key
to resolve and what was looked up), orders the carrier rejected after
accepting them, orders not sent because a carrier refused the credentials or
was unreachable, files in failed/ and files left in processing/. It only
reads, and works while a pass runs: the orders then come from the snapshot
that pass keeps beside the ledger (saying as of when). Exit code 0 when the
list is empty, 1 otherwise (so cron can mail it), 2 configuration error, 3
could not run. Each item has an id: orderdrop attention ack ID --note TEXT
takes it off the list; --all lists acknowledged items too, with their notes
(they do not count for the exit code).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g.configPath)
			if err != nil {
				return err
			}
			code, err := runAttention(cmd.Context(), cfg, opts, g.stdout)
			if err != nil {
				return err
			}
			if code != ExitOK {
				return &ExitError{Code: code}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print JSON")
	cmd.Flags().BoolVar(&opts.all, "all", false, "also list the acknowledged items, with who acknowledged them and their notes")
	cmd.AddCommand(newAttentionAckCommand(g))
	return cmd
}

func runAttention(ctx context.Context, cfg *config.Config, opts attentionOptions, w io.Writer) (int, error) {
	items, note, err := status.Attention(ctx, cfg, Version(), opts.all)
	if err != nil {
		return ExitFatal, fatal(err)
	}
	items = attention.WithStaleOpenOrders(cfg, items)
	if opts.json {
		if note != "" && opts.notes != nil {
			fmt.Fprintln(opts.notes, note)
		}
		if items == nil {
			items = []attention.Item{}
		}
		if err := status.WriteJSON(w, items); err != nil {
			return ExitFatal, fatal(err)
		}
	} else {
		if note != "" {
			fmt.Fprintln(w, note)
		}
		attention.Print(w, items, cfg.Location())
	}
	for _, it := range items {
		if it.Ack == nil {
			return ExitAttention, nil
		}
	}
	return ExitOK, nil
}
