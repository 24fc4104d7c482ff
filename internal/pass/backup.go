package pass

import (
	"log/slog"
	"os"
	"time"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// DailyBackup copies the ledger to LEDGER.backup-YYYY-MM-DD (now's date in
// the configured time zone) when the day has no copy yet, then keeps the
// newest ledger_backups. It runs on the ledger of the pass that just
// ended, before the next can start: between passes, as no other process
// can take the ledger from the daemon. Failures are logged to log; the
// next pass tries again.
func DailyBackup(l *ledger.Ledger, cfg *config.Config, now time.Time, log *slog.Logger) {
	keep := *cfg.LedgerBackups
	if keep == 0 {
		return
	}
	dst := ledger.DailyBackupPath(l.Path(), now.In(cfg.Location()))
	if _, err := os.Stat(dst); err == nil {
		return // taken today
	}
	start := time.Now()
	if err := l.Backup(dst); err != nil {
		log.Error("daily ledger backup failed; the next pass tries again", slog.String("backup", dst), slog.Any("error", err))
		return
	}
	removed, err := ledger.KeepDailyBackups(l.Path(), keep)
	if err != nil {
		log.Error("old ledger backups not removed", slog.Any("error", err))
	}
	log.Info("ledger backed up", slog.String("backup", dst), slog.Duration("took", time.Since(start)), slog.Any("removed", removed))
}
