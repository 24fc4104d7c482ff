package cli

import (
	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/pass"
)

// newLedgerCommand is the parent of the commands that look after the ledger
// file itself.
func newLedgerCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ledger",
		Short: "Look after the ledger, orderdrop's memory of every order it sent: backups, rebuild",
		Long: `The ledger (the file at the configuration's ledger key) is what keeps
orderdrop from ordering anything twice. Its subcommands look after it
(README "Backing up the ledger", "Restoring the ledger", "A lost ledger").`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newLedgerBackupCommand(g), newLedgerRebuildCommand(g))
	return cmd
}

// openLedger opens the ledger for writing (pass.OpenLedger), its refusal as
// the command's exit error.
func openLedger(cfg *config.Config) (*ledger.Ledger, error) {
	l, err := pass.OpenLedger(cfg, Version())
	return l, passError(err)
}
