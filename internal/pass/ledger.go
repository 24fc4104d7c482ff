package pass

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"time"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// The ledger is orderdrop's only memory of what it sent: a pass that starts
// from a missing or empty ledger while the folders show earlier passes would
// send their orders again the moment their files are dropped again. So
// OpenGuarded, the way run, track and the daemon's passes open the
// ledger, refuses that (exit 3, nothing read or sent) unless the operator
// asked for a fresh start (--new-ledger), which is then logged and recorded
// in the new ledger. A new installation, its folders empty, starts as ever.
// A ledger that holds orders but lacks the batch the newest report names
// was restored from an older copy: it is refused likewise
// (CheckNotOlder), ledger rebuild adding what was sent since. The
// check lists reports/ and archive/ and reads at most the newest few
// reports' summaries.

// NewLedgerFlag is the flag of a deliberate fresh start.
const NewLedgerFlag = "new-ledger"

// NewLedgerUsage is its help text.
const NewLedgerUsage = "start a new ledger although reports/ or archive/ show earlier passes, or go on with a ledger restored from an older copy (orders may be sent again; prefer orderdrop ledger rebuild)"

// OpenGuarded opens the ledger for a pass, refusing a lost one (see
// above); newLedger allows a fresh start. version is this orderdrop's, for
// the ledger's records and the wording of a ledger it cannot open.
func OpenGuarded(cfg *config.Config, version string, newLedger bool, log *slog.Logger) (*ledger.Ledger, error) {
	_, err := os.Stat(cfg.Ledger)
	missing := errors.Is(err, fs.ErrNotExist)
	var l *ledger.Ledger
	if !missing {
		if l, err = OpenLedger(cfg, version); err != nil {
			return nil, err
		}
		empty, err := l.Empty()
		if err != nil {
			_ = l.Close()
			return nil, fatal(fmt.Errorf("read ledger %s: %w", cfg.Ledger, err))
		}
		if !empty {
			if err := CheckNotOlder(cfg, l, newLedger, NewLedgerFlag, log); err != nil {
				_ = l.Close()
				return nil, fatal(err)
			}
			return l, nil
		}
	}
	h, err := FindHistory(cfg)
	if err != nil {
		if l != nil {
			_ = l.Close()
		}
		return nil, fatal(err)
	}
	if h.None() {
		if l == nil {
			return OpenLedger(cfg, version)
		}
		return l, nil
	}
	if !newLedger {
		if l != nil {
			_ = l.Close()
		}
		return nil, fatal(LostLedgerError(cfg, missing, h, NewLedgerFlag))
	}
	if l == nil {
		if l, err = OpenLedger(cfg, version); err != nil {
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

// OpenLedger opens the ledger for writing (migrating an older one), turning
// a held lock, a damaged file or a newer ledger into exit code 3 worded for
// the operator. version is this orderdrop's.
func OpenLedger(cfg *config.Config, version string) (*ledger.Ledger, error) {
	return OpenLedgerWith(cfg, ledger.Options{Timeout: time.Second, Version: version})
}

// OpenLedgerWith is OpenLedger with the ledger's options.
func OpenLedgerWith(cfg *config.Config, opts ledger.Options) (*ledger.Ledger, error) {
	l, err := ledger.Open(cfg.Ledger, opts)
	if errors.Is(err, ledger.ErrLocked) {
		return nil, fatal(lockedError(fmt.Sprintf("another orderdrop is using %s; wait for it to finish", cfg.Ledger)))
	}
	if err != nil {
		return nil, fatal(LedgerTrouble(cfg.Ledger, opts.Version, err))
	}
	return l, nil
}

// lockedError is the message of a pass that found the ledger held by
// another orderdrop; errors.Is(err, ledger.ErrLocked) reports it.
type lockedError string

func (e lockedError) Error() string { return string(e) }
func (e lockedError) Unwrap() error { return ledger.ErrLocked }
