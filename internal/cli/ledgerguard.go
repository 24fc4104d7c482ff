package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/pass"
)

// The ledger is orderdrop's only memory of what it sent: a pass that starts
// from a missing or empty ledger while the folders show earlier passes would
// send their orders again the moment their files are dropped again. So
// openPassLedger, the way run, track and the daemon's passes open the
// ledger, refuses that (exit 3, nothing read or sent) unless the operator
// asked for a fresh start (--new-ledger), which is then logged and recorded
// in the new ledger. A new installation, its folders empty, starts as ever.
// A ledger that holds orders but lacks the batch the newest report names
// was restored from an older copy: it is refused likewise
// (pass.CheckNotOlder), ledger rebuild adding what was sent since. The
// check lists reports/ and archive/ and reads at most the newest few
// reports' summaries.

// newLedgerFlag is the flag of a deliberate fresh start.
const newLedgerFlag = "new-ledger"

// newLedgerUsage is its help text.
const newLedgerUsage = "start a new ledger although reports/ or archive/ show earlier passes, or go on with a ledger restored from an older copy (orders may be sent again; prefer orderdrop ledger rebuild)"

// openPassLedger opens the ledger for a pass, refusing a lost one (see
// above); newLedger allows a fresh start.
func openPassLedger(cfg *config.Config, newLedger bool, log *slog.Logger) (*ledger.Ledger, error) {
	_, err := os.Stat(cfg.Ledger)
	missing := errors.Is(err, fs.ErrNotExist)
	var l *ledger.Ledger
	if !missing {
		if l, err = openLedger(cfg); err != nil {
			return nil, err
		}
		empty, err := l.Empty()
		if err != nil {
			_ = l.Close()
			return nil, fatal(fmt.Errorf("read ledger %s: %w", cfg.Ledger, err))
		}
		if !empty {
			if err := pass.CheckNotOlder(cfg, l, newLedger, newLedgerFlag, log); err != nil {
				_ = l.Close()
				return nil, fatal(err)
			}
			return l, nil
		}
	}
	h, err := pass.FindHistory(cfg)
	if err != nil {
		if l != nil {
			_ = l.Close()
		}
		return nil, fatal(err)
	}
	if h.None() {
		if l == nil {
			return openLedger(cfg)
		}
		return l, nil
	}
	if !newLedger {
		if l != nil {
			_ = l.Close()
		}
		return nil, fatal(pass.LostLedgerError(cfg, missing, h, newLedgerFlag))
	}
	if l == nil {
		if l, err = openLedger(cfg); err != nil {
			return nil, err
		}
	}
	note := h.Describe(cfg)
	if err := l.StartFresh(note); err != nil {
		_ = l.Close()
		return nil, fatal(fmt.Errorf("record the fresh start in %s: %w", cfg.Ledger, err))
	}
	log.Warn("a new ledger was started on request (--new-ledger) although the folders show earlier passes: orders of files dropped again may be sent again",
		slog.String("ledger", cfg.Ledger), slog.String("ledger_id", l.ID()), slog.String("found", note))
	return l, nil
}
