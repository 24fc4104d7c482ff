package cli

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// The ledger is orderdrop's only memory of what it sent: a pass that starts
// from a missing or empty ledger while the folders show earlier passes would
// send their orders again the moment their files are dropped again. So
// openPassLedger, the way run, track and the daemon's passes open the
// ledger, refuses that (exit 3, nothing read or sent) unless the operator
// asked for a fresh start (--new-ledger), which is then logged and recorded
// in the new ledger. A new installation, its folders empty, starts as ever.
// A ledger that holds orders but lacks the batch the newest report names
// was restored from an older copy: it is refused likewise (checkNotOlder),
// ledger rebuild adding what was sent since. The check lists reports/ and
// archive/ and reads at most the newest few reports' summaries.

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
			if err := checkNotOlder(cfg, l, newLedger, log); err != nil {
				_ = l.Close()
				return nil, err
			}
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

// olderReports is how many of the newest reports checkNotOlder reads for
// one that names a batch (a validate report names none).
const olderReports = 3

// checkNotOlder refuses a ledger older than the reports (fatal, exit 3):
// one restored from a backup taken before the newest report's pass, which
// lacks the orders sent since and would send them again when their files
// are dropped again. It reads the summaries of the newest few reports, up
// to the first that names a batch; a report written with another ledger
// (a deliberate fresh start) says nothing about this one. newLedger lets
// the pass go on, logged.
func checkNotOlder(cfg *config.Config, l *ledger.Ledger, newLedger bool, log *slog.Logger) error {
	reports, err := newestReports(cfg.Reports, olderReports)
	if err != nil {
		return fatal(err)
	}
	for _, r := range reports {
		s, err := sheet.ReadReportSummary(r, cfg.Location())
		if err != nil || s.BatchID == "" {
			continue // unreadable, or a validate report: the next one may say
		}
		if s.LedgerID != l.ID() {
			return nil
		}
		if _, err := l.Batch(s.BatchID); err == nil {
			return nil
		} else if !errors.Is(err, ledger.ErrNotFound) {
			return fatal(fmt.Errorf("read ledger %s: %w", cfg.Ledger, err))
		}
		written := s.Generated.In(cfg.Location()).Format("2006-01-02 15:04")
		if newLedger {
			log.Warn("the ledger lacks the batch of the newest report, it looks restored from an older copy; going on as asked (--new-ledger): orders sent since may be sent again",
				slog.String("ledger", cfg.Ledger), slog.String("batch", s.BatchID), slog.String("report", display.Line(filepath.Base(r))), slog.String("written", written))
			return nil
		}
		return fatal(fmt.Errorf("the ledger %s lacks batch %s of report %s, written %s: it looks restored from an older copy, "+
			"and the orders sent since would be sent again if their files were dropped again, so nothing was read or sent. "+
			"Run orderdrop ledger rebuild to add what was sent since (it keeps what the ledger holds), or, to go on regardless, run again with --%s",
			cfg.Ledger, display.Line(s.BatchID), display.Line(filepath.Base(r)), written, newLedgerFlag))
	}
	return nil
}

// newestReports returns the paths of the n newest result reports in dir
// (by modification time), newest first.
func newestReports(dir string, n int) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		if noFolder(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("list the reports folder %s: %w", dir, err)
	}
	type rep struct {
		name string
		at   time.Time
	}
	var reps []rep
	for _, d := range des {
		if !d.Type().IsRegular() || !isReportName(d.Name()) {
			continue
		}
		info, err := d.Info()
		if err != nil {
			continue // gone meanwhile
		}
		reps = append(reps, rep{d.Name(), info.ModTime()})
	}
	slices.SortFunc(reps, func(a, b rep) int {
		return cmp.Or(b.at.Compare(a.at), cmp.Compare(b.name, a.name))
	})
	var out []string
	for _, r := range reps[:min(n, len(reps))] {
		out = append(out, filepath.Join(dir, r.name))
	}
	return out, nil
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

// isReportName reports whether name is a pass's result report:
// NAME.result.xlsx, NAME.result.2.csv…, not the open-orders workbook, a
// CSV report's summary or a temporary file.
func isReportName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".xlsx" && ext != ".csv" || strings.HasPrefix(name, ".") || sheet.IsSummaryFile(name) {
		return false
	}
	return strings.Contains(name, ".result.")
}

// findHistory lists reports/ and archive/, and reads the newest report's
// summary for the ledger id it names.
func findHistory(cfg *config.Config) (history, error) {
	var h history
	des, err := os.ReadDir(cfg.Reports)
	if err != nil && !noFolder(err) {
		return h, fmt.Errorf("list the reports folder %s: %w", cfg.Reports, err)
	}
	for _, d := range des {
		if !d.Type().IsRegular() || !isReportName(d.Name()) {
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
