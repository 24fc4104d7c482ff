package cli

import "github.com/spf13/cobra"

// newLedgerCommand is the parent of the commands that look after the
// ledger file itself.
func newLedgerCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ledger",
		Short: "Look after the ledger file: backups",
		Long: `ledger groups the commands that look after the ledger file itself, the
memory of every order orderdrop sent (README "Restoring the ledger").`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newLedgerBackupCommand(g))
	return cmd
}
