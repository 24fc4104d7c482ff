package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/pass"
)

// backupWait is how long `ledger backup` waits by default for a pass that
// holds the ledger.
const backupWait = 30 * time.Second

func newLedgerBackupCommand(g *globalOptions) *cobra.Command {
	wait := backupWait
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the ledger to FILE",
		Long: `backup copies the ledger to FILE as it is at one instant, even while passes
run elsewhere, then opens the copy to check it. The copy is written to a
temporary file beside FILE and renamed onto it only once complete and on
disk. It needs no carrier credentials.

The copy is read under the ledger's shared lock: while a pass holds the
ledger, backup waits for it (--wait), and a pass that starts during the copy
waits for the copy, up to a second, then stops with exit 3 (the daemon's
next pass, or cron's next run, catches up). The daemon takes its own daily
copies between passes (ledger_backups). Exit code 0: copied; 3: no ledger,
held by a pass for longer than --wait, damaged, or the copy failed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			cfg, err := loadStatusConfig(g.configPath)
			if err != nil {
				return err
			}
			return runLedgerBackup(cfg, args[0], wait, g.stdout)
		},
	}
	cmd.Flags().DurationVar(&wait, "wait", backupWait, "how long to wait for a pass that holds the ledger")
	return cmd
}

// runLedgerBackup copies the configured ledger to dst.
func runLedgerBackup(cfg *config.Config, dst string, wait time.Duration, w io.Writer) error {
	start := time.Now()
	err := ledger.BackupFile(cfg.Ledger, dst, wait)
	switch {
	case errors.Is(err, ledger.ErrLocked):
		return fatal(fmt.Errorf("a pass has held the ledger %s for longer than --wait %s: try again when it has finished, or with a longer --wait (the daemon takes its own daily copy between passes: ledger_backups)",
			display.Line(cfg.Ledger), wait))
	case errors.Is(err, ledger.ErrNotFound):
		return fatal(fmt.Errorf("no ledger at %s yet: nothing to back up (check ledger: in %s)", display.Line(cfg.Ledger), display.Line(cfg.Dir)))
	case err != nil:
		return fatal(pass.LedgerTrouble(cfg.Ledger, Version(), err))
	}
	_, err = fmt.Fprintf(w, "ledger %s copied to %s in %s; the copy opens\n", display.Line(cfg.Ledger), display.Line(dst), time.Since(start).Round(time.Millisecond))
	return err
}
