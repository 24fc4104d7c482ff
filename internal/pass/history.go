package pass

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
	"github.com/orderdrop/orderdrop/internal/rebuild"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// History is what reports/ and archive/ show of earlier passes.
type History struct {
	reports  int       // result reports in reports/
	newest   string    // the newest one's name
	newestAt time.Time // its time
	ledgerID string    // the ledger its summary names; "" when it names none
	archived int       // files under archive/
}

// None reports whether the folders show no earlier pass.
func (h History) None() bool { return h.reports == 0 && h.archived == 0 }

// FindHistory lists reports/ and archive/, and reads the newest report's
// summary for the ledger id it names.
func FindHistory(cfg *config.Config) (History, error) {
	var h History
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

// Describe says what the folders show, in one sentence's worth.
func (h History) Describe(cfg *config.Config) string {
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

// LostLedgerError says what was found and the ways out; flag is the
// command-line flag of a deliberate fresh start.
func LostLedgerError(cfg *config.Config, missing bool, h History, flag string) error {
	state := "is empty"
	if missing {
		state = "does not exist"
	}
	return fmt.Errorf("the ledger %s %s, but earlier passes left their traces: %s. "+
		"The ledger is orderdrop's memory of what it sent: starting a new one would send again the orders of every file dropped again, so nothing was read or sent. "+
		"Put the ledger back if it was moved (or restore it from a backup); or rebuild it from the reports and archived inputs with orderdrop ledger rebuild; "+
		"or, for a deliberate fresh start, run again with --%s",
		cfg.Ledger, state, h.Describe(cfg), flag)
}

// olderReports is how many of the newest reports CheckNotOlder reads for
// one that names a batch (a validate report names none).
const olderReports = 3

// ErrOlderLedger is returned by CheckNotOlder when the ledger lacks the
// batch the newest report names: it was restored from an older copy.
var ErrOlderLedger = errors.New("the ledger looks restored from an older copy")

// CheckNotOlder refuses a ledger older than the reports: one restored from
// a backup taken before the newest report's pass, which lacks the orders
// sent since and would send them again when their files are dropped again.
// It reads the summaries of the newest few reports, up to the first that
// names a batch; a report written with another ledger (a deliberate fresh
// start) says nothing about this one. goOn lets the pass go on, logged
// (flag names the option that allows it, for the message).
func CheckNotOlder(cfg *config.Config, l *ledger.Ledger, goOn bool, flag string, log *slog.Logger) error {
	reports, err := newestReports(cfg.Reports, olderReports)
	if err != nil {
		return err
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
			return fmt.Errorf("read ledger %s: %w", cfg.Ledger, err)
		}
		written := s.Generated.In(cfg.Location()).Format("2006-01-02 15:04")
		if goOn {
			log.Warn("the ledger lacks the batch of the newest report, it looks restored from an older copy; going on as asked (--"+flag+"): orders sent since may be sent again",
				slog.String("ledger", cfg.Ledger), slog.String("batch", s.BatchID), slog.String("report", display.Line(filepath.Base(r))), slog.String("written", written))
			return nil
		}
		return fmt.Errorf("%w: the ledger %s lacks batch %s of report %s, written %s, "+
			"and the orders sent since would be sent again if their files were dropped again, so nothing was read or sent. "+
			"Run orderdrop ledger rebuild to add what was sent since (it keeps what the ledger holds), or, to go on regardless, run again with --%s",
			ErrOlderLedger, cfg.Ledger, display.Line(s.BatchID), display.Line(filepath.Base(r)), written, flag)
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
		if !d.Type().IsRegular() || !rebuild.IsReport(d.Name()) {
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
