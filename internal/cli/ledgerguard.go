package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/rebuild"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// The ledger is orderdrop's only memory of what it sent: a pass that starts
// from a missing or empty ledger while the folders show earlier passes would
// send their orders again the moment their files are dropped again. So
// openPassLedger, the way run, track and the daemon's passes open the
// ledger, refuses that (exit 3, nothing read or sent) unless the operator
// asked for a fresh start (--new-ledger), which is then logged and recorded
// in the new ledger. A new installation, its folders empty, starts as ever.
// The check lists reports/ and archive/ and reads at most the newest
// report's summary.

// newLedgerFlag is the flag of a deliberate fresh start.
const newLedgerFlag = "new-ledger"

// newLedgerUsage is its help text.
const newLedgerUsage = "start a new ledger although reports/ or archive/ show earlier passes (their orders may be sent again; prefer orderdrop ledger rebuild)"

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
			return l, nil
		}
	}
	h, err := findHistory(cfg)
	if err != nil {
		if l != nil {
			_ = l.Close()
		}
		return nil, fatal(err)
	}
	if h.none() {
		if l == nil {
			return openLedger(cfg)
		}
		return l, nil
	}
	if !newLedger {
		if l != nil {
			_ = l.Close()
		}
		return nil, fatal(lostLedgerError(cfg, missing, h))
	}
	if l == nil {
		if l, err = openLedger(cfg); err != nil {
			return nil, err
		}
	}
	note := h.describe(cfg)
	if err := l.StartFresh(note); err != nil {
		_ = l.Close()
		return nil, fatal(fmt.Errorf("record the fresh start in %s: %w", cfg.Ledger, err))
	}
	log.Warn("a new ledger was started on request (--new-ledger) although the folders show earlier passes: orders of files dropped again may be sent again",
		slog.String("ledger", cfg.Ledger), slog.String("ledger_id", l.ID()), slog.String("found", note))
	return l, nil
}

// history is what reports/ and archive/ show of earlier passes.
type history struct {
	reports  int       // result reports in reports/
	newest   string    // the newest one's name
	newestAt time.Time // its time
	ledgerID string    // the ledger its summary names; "" when it names none
	archived int       // files under archive/
}

func (h history) none() bool { return h.reports == 0 && h.archived == 0 }

// findHistory lists reports/ and archive/, and reads the newest report's
// summary for the ledger id it names.
func findHistory(cfg *config.Config) (history, error) {
	var h history
	des, err := os.ReadDir(cfg.Reports)
	if err != nil && !noFolder(err) {
		return h, fmt.Errorf("list the reports folder %s: %w", cfg.Reports, err)
	}
	for _, d := range des {
		if !d.Type().IsRegular() || !rebuild.IsReport(d.Name()) {
			continue
		}
		info, err := d.Info()
		if err != nil {
			continue // gone meanwhile
		}
		h.reports++
		if at := info.ModTime(); at.After(h.newestAt) || at.Equal(h.newestAt) && d.Name() > h.newest {
			h.newest, h.newestAt = d.Name(), at
		}
	}
	// Inputs are archived by day: archive/YYYY-MM-DD/NAME.
	days, err := os.ReadDir(cfg.Archive)
	if err != nil && !noFolder(err) {
		return h, fmt.Errorf("list the archive folder %s: %w", cfg.Archive, err)
	}
	for _, day := range days {
		if !day.IsDir() {
			continue
		}
		des, err := os.ReadDir(filepath.Join(cfg.Archive, day.Name()))
		if err != nil && !noFolder(err) {
			return h, fmt.Errorf("list the archive folder %s: %w", cfg.Archive, err)
		}
		for _, d := range des {
			if d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") {
				h.archived++
			}
		}
	}
	if h.newest != "" {
		if s, err := sheet.ReadReportSummary(filepath.Join(cfg.Reports, h.newest), cfg.Location()); err == nil {
			h.ledgerID = s.LedgerID
			if !s.Generated.IsZero() {
				h.newestAt = s.Generated
			}
		}
	}
	return h, nil
}

// noFolder reports whether err says a folder is not there (missing, or a
// file in its place): no history in it. The pass's folder check then says
// what is wrong with it.
func noFolder(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// describe says what the folders show, in one sentence's worth.
func (h history) describe(cfg *config.Config) string {
	var parts []string
	if h.reports > 0 {
		s := fmt.Sprintf("%s holds %d report%s, the newest %s (%s", folderName(cfg.Reports, "reports"), h.reports, plural(h.reports),
			display.Line(h.newest), h.newestAt.In(cfg.Location()).Format("2006-01-02 15:04"))
		if h.ledgerID != "" {
			s += ", written with ledger " + display.Line(h.ledgerID)
		} else {
			s += ", which names no ledger"
		}
		parts = append(parts, s+")")
	}
	if h.archived > 0 {
		parts = append(parts, fmt.Sprintf("%s holds %d archived file%s", folderName(cfg.Archive, "archive"), h.archived, plural(h.archived)))
	}
	return strings.Join(parts, "; ")
}

// folderName is "reports/" when the folder is the default one, else its path.
func folderName(path, def string) string {
	if filepath.Base(path) == def {
		return def + "/"
	}
	return path
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// lostLedgerError says what was found and the ways out.
func lostLedgerError(cfg *config.Config, missing bool, h history) error {
	state := "is empty"
	if missing {
		state = "does not exist"
	}
	return fmt.Errorf("the ledger %s %s, but earlier passes left their traces: %s. "+
		"The ledger is orderdrop's memory of what it sent: starting a new one would send again the orders of every file dropped again, so nothing was read or sent. "+
		"Put the ledger back if it was moved (or restore it from a backup); or rebuild it from the reports and archived inputs with orderdrop ledger rebuild; "+
		"or, for a deliberate fresh start, run again with --%s",
		cfg.Ledger, state, h.describe(cfg), newLedgerFlag)
}
