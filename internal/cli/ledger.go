package cli

import "github.com/spf13/cobra"

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
