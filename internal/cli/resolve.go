package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

type resolveOptions struct {
	reference    string
	notSubmitted bool
	force        bool // --not-submitted before recovery.settle_after has passed
	by, why      string
}

func newResolveCommand(g *globalOptions) *cobra.Command {
	var opts resolveOptions
	cmd := &cobra.Command{
		Use:   "resolve KEY (--reference REF | --not-submitted)",
		Short: "Settle an order in doubt after checking with the carrier",
		Long: `resolve settles an in_doubt order once you have checked with the carrier:
--reference REF when the carrier has it (it is then already_submitted for
every later file), --not-submitted when it does not (the next drop of the file
sends it). A carrier may take a while to create an order: --not-submitted is
refused until recovery.settle_after (24h) has passed since the request,
unless --force. Who, when and why are kept in the order's history.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			cfg, err := loadConfig(g.configPath)
			if err != nil {
				return err
			}
			return runResolve(cfg, args[0], opts, g.stdout)
		},
	}
	cmd.Flags().StringVar(&opts.reference, "reference", "", "the carrier's reference for this order")
	cmd.Flags().BoolVar(&opts.notSubmitted, "not-submitted", false, "the carrier has no such order")
	cmd.Flags().BoolVar(&opts.force, "force", false, "with --not-submitted: release an order sent less than recovery.settle_after ago")
	cmd.Flags().StringVar(&opts.by, "by", "", "who resolves (default: the current user)")
	cmd.Flags().StringVar(&opts.why, "why", "", "why (e.g. \"checked on the Netwo portal\")")
	return cmd
}

func runResolve(cfg *config.Config, key string, opts resolveOptions, w io.Writer) error {
	if (opts.reference == "") == !opts.notSubmitted {
		return usageError("give exactly one of --reference REF or --not-submitted")
	}
	if opts.by == "" {
		opts.by = currentUser()
	}
	l, err := openLedger(cfg)
	if err != nil {
		return err
	}
	defer l.Close()
	if opts.notSubmitted && !opts.force {
		if err := batch.TooEarlyToRelease(l, key, cfg.Recovery.SettleAfter, cfg.Location()); err != nil {
			return usageError("%v", err)
		}
	}
	err = l.Resolve(key, ledger.Resolution{Reference: opts.reference, NotSubmitted: opts.notSubmitted, By: opts.by, Why: opts.why})
	switch {
	case errors.Is(err, ledger.ErrNotFound):
		return usageError("no order %q in the ledger: `orderdrop status BATCH` lists order keys", key)
	case errors.Is(err, ledger.ErrState):
		return usageError("%v (only in_doubt orders can be resolved)%s", err, attention.AckHint(context.Background(), l, key))
	case err != nil:
		return fatal(err)
	}
	if opts.notSubmitted {
		fmt.Fprintf(w, "%s: recorded as not submitted; drop its file again to send it\n", key)
	} else {
		fmt.Fprintf(w, "%s: recorded as submitted, reference %s\n", key, opts.reference)
	}
	return nil
}

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if v := os.Getenv("USER"); v != "" {
		return v
	}
	return "operator"
}
