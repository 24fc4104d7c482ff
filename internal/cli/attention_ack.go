package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
)

type ackOptions struct {
	note string
	by   string // "" = the current user
}

func newAttentionAckCommand(g *globalOptions) *cobra.Command {
	var opts ackOptions
	cmd := &cobra.Command{
		Use:   "ack ITEM --note TEXT",
		Short: "Take an item off the attention list, recording who, when and why",
		Long: `ack takes the attention item ITEM (its id, as orderdrop attention shows it)
off the list: for a rejection or cancellation that will not be sent again, a
file dealt with by hand. Who (the current user, or --by), when and the note
are kept in the ledger; orderdrop attention --all shows acknowledged items
with their notes. An item whose cause changes (an order sent again and
turned down again, a file dropped again) comes back under a new id. It needs
the ledger: while a pass runs, wait for it to finish.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g.configPath)
			if err != nil {
				return err
			}
			return runAttentionAck(cmd.Context(), cfg, args[0], opts, g.stdout)
		},
	}
	cmd.Flags().StringVar(&opts.note, "note", "", "why the item needs nothing more (required)")
	cmd.Flags().StringVar(&opts.by, "by", "", "who acknowledges (default: the current user)")
	return cmd
}

func runAttentionAck(ctx context.Context, cfg *config.Config, id string, opts ackOptions, w io.Writer) error {
	id = strings.ToLower(strings.TrimSpace(id))
	if strings.TrimSpace(opts.note) == "" {
		return usageError("say why with --note TEXT: it is kept with the acknowledgement")
	}
	if opts.by == "" {
		opts.by = currentUser()
	}
	l, err := openLedger(cfg)
	if err != nil {
		return err
	}
	defer l.Close()
	src := attention.SourcesOf(cfg, l)
	src.All = true
	items, err := attention.Collect(ctx, src)
	if err != nil {
		return fatal(err)
	}
	found, subject, err := attention.Acknowledge(l, items, id, opts.by, opts.note)
	if errors.Is(err, attention.ErrNoItem) {
		return usageError("no attention item %s: `orderdrop attention` shows each item's id (an item whose cause is gone has left by itself)", display.Line(id))
	}
	if err != nil {
		return fatal(err)
	}
	fmt.Fprintf(w, "%s (%s %s): acknowledged by %s: %s; `orderdrop attention --all` shows it\n",
		id, found.Kind, display.Line(subject), display.Line(opts.by), display.Line(opts.note))
	return nil
}
