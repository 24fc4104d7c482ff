package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

type attentionOptions struct {
	json bool
}

func newAttentionCommand(g *globalOptions) *cobra.Command {
	var opts attentionOptions
	cmd := &cobra.Command{
		Use:   "attention",
		Short: "List every order or file that needs a person now, with what to do",
		Long: `attention lists what a person must act on: orders in doubt (with the key
to resolve and what was looked up), orders the carrier rejected after
accepting them, orders not sent because a carrier refused the credentials or
was unreachable, files in failed/ and files left in processing/. Exit code 0
when the list is empty, 1 otherwise (so cron can mail it), 2 configuration
error, 3 could not run.`,
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
	return cmd
}

func runAttention(ctx context.Context, cfg *config.Config, opts attentionOptions, w io.Writer) (int, error) {
	l, err := openLedgerReadOnly(cfg) // an older ledger is read, not migrated
	switch {
	case errors.Is(err, ledger.ErrNotFound):
		// No pass has run yet: only the folders can need attention.
	case err != nil:
		return ExitFatal, err
	default:
		defer l.Close()
	}
	items, err := attention.Collect(ctx, attentionSources(cfg, l))
	if err != nil {
		return ExitFatal, fatal(err)
	}
	if opts.json {
		if items == nil {
			items = []attention.Item{}
		}
		if err := writeJSON(w, items); err != nil {
			return ExitFatal, fatal(err)
		}
	} else {
		printAttention(w, items, cfg.Location())
	}
	if len(items) > 0 {
		return ExitAttention, nil
	}
	return ExitOK, nil
}

func printAttention(w io.Writer, items []attention.Item, loc *time.Location) {
	if len(items) == 0 {
		fmt.Fprintln(w, "nothing needs attention")
		return
	}
	fmt.Fprintf(w, "%d item(s) need attention:\n", len(items))
	for _, it := range items {
		fmt.Fprintln(w)
		head := string(it.Kind)
		switch {
		case it.Key != "":
			head += "  " + it.Key
			if it.Reference != "" {
				head += " (" + it.Carrier + " " + it.Reference + ")"
			}
			if it.File != "" {
				head += "  from " + it.File
				if it.Rows != "" {
					head += " " + it.Rows
				}
			}
		case it.File != "":
			head += "  " + it.File
		}
		if !it.Since.IsZero() {
			head += "  since " + it.Since.In(loc).Format("2006-01-02 15:04")
		}
		fmt.Fprintln(w, head)
		fmt.Fprintln(w, "  what:  ", it.What)
		fmt.Fprintln(w, "  action:", it.Action)
	}
}

// attentionSources are where the attention list is read, for the command
// and the digest.
func attentionSources(cfg *config.Config, l *ledger.Ledger) attention.Sources {
	return attention.Sources{Ledger: l, Failed: cfg.Failed, Processing: cfg.Processing, Inbox: cfg.Inbox}
}
