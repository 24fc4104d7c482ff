// Package rebuild restores a lost ledger from what the passes left: the
// result reports in reports/ and their inputs in archive/ or processing/
// (orderdrop ledger rebuild).
package rebuild

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/carrier/registry"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// Options are what a rebuild needs besides the configuration.
type Options struct {
	// Now is the validation clock. Zero = the day before each report was
	// written: dates that had to lie ahead then still do, and the French
	// porting window is not checked (a rebuild recomputes keys and
	// fingerprints, it does not judge the rows again).
	Now time.Time
	// Reference reads the carriers' reference data as a pass does, so that
	// fingerprints depending on it (a Netwo prefix's service id) come out
	// as they were. nil, or a nil result: not read (no credentials); the
	// orders are still restored, a few fingerprints may differ.
	Reference func(context.Context) *order.Reference
	// Hold opens the ledger in place, held until the rebuilt one replaces
	// it so that no pass uses it meanwhile.
	Hold func() (*ledger.Ledger, error)
	// Progress shows the reports read; done ends it. nil = none.
	Progress func(name string) (progress func(done, total int), done func())
	Stdout   io.Writer
	Log      *slog.Logger
}

// rebuildSuffix ends the name of the ledger being rebuilt, beside the
// configured path, until it is complete.
const rebuildSuffix = ".rebuild"

// Run rebuilds the ledger at cfg.Ledger from the reports and the inputs.
// attention is set when something could not be restored (it is listed on
// opts.Stdout); err means the rebuild could not run, and nothing was put in
// place.
func Run(ctx context.Context, cfg *config.Config, opts Options) (attention bool, err error) {
	stdout, log := opts.Stdout, opts.Log
	// A ledger in place is held (locked) until the rebuilt one replaces it,
	// so that no pass uses it meanwhile. One that holds orders (restored
	// from an older copy) is copied, and the copy gets only the batches it
	// lacks.
	var held *ledger.Ledger
	if _, err := os.Stat(cfg.Ledger); err == nil {
		if held, err = opts.Hold(); err != nil {
			return false, err
		}
		defer held.Close()
		empty, err := held.Empty()
		if err != nil {
			return false, (fmt.Errorf("read ledger %s: %w", cfg.Ledger, err))
		}
		if empty {
			held.Close()
			held = nil
		}
	}
	reports, err := listReports(cfg.Reports)
	if err != nil {
		return false, (err)
	}
	if len(reports) == 0 {
		fmt.Fprintf(stdout, "nothing to rebuild from: %s holds no result report; nothing was written\n", cfg.Reports)
		return false, nil
	}
	rb := &rebuild{cfg: cfg, opts: opts, log: log, inputs: newInputIndex(cfg), adding: held != nil}
	if opts.Reference != nil {
		rb.ref = opts.Reference(ctx)
	}

	tmp := cfg.Ledger + rebuildSuffix
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, (fmt.Errorf("remove the unfinished rebuild %s: %w", tmp, err))
	}
	if held != nil {
		if err := held.Backup(tmp); err != nil {
			return false, fmt.Errorf("copy the ledger to add to it: %w", err)
		}
	}
	l, err := ledger.Open(tmp, ledger.Options{Timeout: time.Second})
	if err != nil {
		return false, (fmt.Errorf("create the rebuilt ledger: %w", err))
	}
	rb.l = l
	if held != nil {
		fmt.Fprintf(stdout, "%s holds orders: adding those of the batches it lacks from %d report%s in %s and the inputs in %s and %s (what it holds is kept)\n",
			cfg.Ledger, len(reports), plural(len(reports)), cfg.Reports, cfg.Archive, cfg.Processing)
	} else {
		fmt.Fprintf(stdout, "rebuilding %s from %d report%s in %s and the inputs in %s and %s\n",
			cfg.Ledger, len(reports), plural(len(reports)), cfg.Reports, cfg.Archive, cfg.Processing)
	}

	summaries := rb.readSummaries(reports)
	progress, done := func(int, int) {}, func() {}
	if opts.Progress != nil {
		progress, done = opts.Progress("reports")
	}
	for i, s := range summaries {
		if ctx.Err() != nil {
			_ = l.Close()
			_ = os.Remove(tmp)
			return false, (fmt.Errorf("stopped: nothing was put in place of %s", cfg.Ledger))
		}
		if err := rb.restore(s); err != nil {
			done()
			_ = l.Close()
			return false, (fmt.Errorf("%s: %w (the unfinished ledger is left at %s)", filepath.Base(s.path), err, tmp))
		}
		progress(i+1, len(summaries))
	}
	done()
	for _, line := range rb.restored {
		fmt.Fprintln(stdout, line)
	}
	if rb.adding && rb.added == 0 {
		_ = l.Close()
		_ = os.Remove(tmp)
		fmt.Fprintf(stdout, "nothing to add: %s holds the batch of every report in %s; it was left as it is\n", cfg.Ledger, cfg.Reports)
		return false, nil
	}
	verb := "restored"
	if rb.adding {
		verb = fmt.Sprintf("added to a ledger restored from an older copy, from the %d reports whose batches it lacked", rb.added)
	}
	note := fmt.Sprintf("%d submitted and %d in_doubt orders %s", rb.submitted, rb.inDoubt, verb)
	if !rb.adding {
		note += fmt.Sprintf(" from %d reports", len(reports))
	}
	if len(rb.missed) > 0 {
		note += fmt.Sprintf("; %d things could not be restored", len(rb.missed))
	}
	markID := rb.ledgerID
	if rb.adding {
		markID = "" // the ledger's own, which its reports name
	}
	if err := l.MarkRebuilt(markID, note); err != nil {
		_ = l.Close()
		return false, (err)
	}
	id := l.ID()
	if err := l.Close(); err != nil {
		return false, (err)
	}
	if err := putInPlace(tmp, cfg.Ledger); err != nil {
		return false, (err)
	}
	log.Info("ledger rebuilt", slog.String("ledger", cfg.Ledger), slog.String("ledger_id", id), slog.String("restored", note))
	n := rb.submitted + rb.inDoubt
	if rb.adding {
		fmt.Fprintf(stdout, "added %d order%s (%d submitted, %d in_doubt) from %d report%s whose batches %s lacked; %d report%s it held already left as they were; ledger %s\n",
			n, plural(n), rb.submitted, rb.inDoubt, rb.added, plural(rb.added), cfg.Ledger, rb.held, plural(rb.held), id)
	} else {
		fmt.Fprintf(stdout, "restored %d order%s (%d submitted, %d in_doubt) from %d report%s into %s, ledger %s\n",
			n, plural(n), rb.submitted, rb.inDoubt, len(reports), plural(len(reports)), cfg.Ledger, id)
	}
	if len(rb.missed) == 0 {
		return false, nil
	}
	fmt.Fprintf(stdout, "could not restore (the orders of these rows would be sent again if their file were dropped again):\n")
	for _, m := range rb.missed {
		fmt.Fprintf(stdout, "- %s\n", m)
	}
	return true, nil
}

// putInPlace renames the rebuilt ledger onto path, durably.
func putInPlace(tmp, path string) error {
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("put the rebuilt ledger in place: %w", err)
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("put the rebuilt ledger in place: %w", err)
	}
	defer dir.Close()
	if err := dir.Sync(); err != nil {
		return fmt.Errorf("put the rebuilt ledger in place: sync folder: %w", err)
	}
	return nil
}

// listReports returns the paths of the result reports in dir.
func listReports(dir string) ([]string, error) {
	des, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list the reports folder %s: %w", dir, err)
	}
	var out []string
	for _, d := range des {
		if d.Type().IsRegular() && IsReport(d.Name()) {
			out = append(out, filepath.Join(dir, d.Name()))
		}
	}
	return out, nil
}

// rebuild is one run of orderdrop ledger rebuild.
type rebuild struct {
	cfg    *config.Config
	opts   Options
	log    *slog.Logger
	l      *ledger.Ledger
	inputs *inputIndex
	ref    *order.Reference // carrier reference data; nil = offline

	// adding: the ledger holds orders; only the batches it lacks are
	// added, keeping every order it holds.
	adding      bool
	added, held int // reports whose batches were added, and those it held

	ledgerID           string   // the id the newest report names
	submitted, inDoubt int      // orders restored
	restored           []string // what each report gave, for people (printed after the progress bar)
	missed             []string // what could not be restored, for people
}

// reportSummary is a report and its summary.
type reportSummary struct {
	path string
	s    *sheet.ReportSummary
}

// readSummaries reads every report's summary, oldest first (so that an
// order keeps its first submission); a report without one is noted.
func (rb *rebuild) readSummaries(paths []string) []reportSummary {
	var out []reportSummary
	var newest time.Time
	for _, p := range paths {
		s, err := sheet.ReadReportSummary(p, rb.cfg.Location())
		if err != nil {
			rb.miss("%s: its summary cannot be read (%v): its rows were not restored", display.Line(filepath.Base(p)), err)
			continue
		}
		out = append(out, reportSummary{path: p, s: s})
		if s.LedgerID != "" && !s.Generated.Before(newest) {
			rb.ledgerID, newest = s.LedgerID, s.Generated
		}
	}
	slices.SortStableFunc(out, func(a, b reportSummary) int {
		return cmp.Or(a.s.Generated.Compare(b.s.Generated), cmp.Compare(a.s.BatchID, b.s.BatchID), cmp.Compare(a.path, b.path))
	})
	return out
}

func (rb *rebuild) miss(format string, args ...any) {
	rb.missed = append(rb.missed, fmt.Sprintf(format, args...))
}

// restore restores the orders of one report.
func (rb *rebuild) restore(rs reportSummary) error {
	name := display.Line(filepath.Base(rs.path))
	s := rs.s
	wanted := s.Counts[sheet.StatusSubmitted] + s.Counts[sheet.StatusAlreadySubmitted] + s.Counts[sheet.StatusInDoubt]
	if rb.adding {
		if s.BatchID != "" {
			if _, err := rb.l.Batch(s.BatchID); err == nil {
				rb.held++
				return nil
			} else if !errors.Is(err, ledger.ErrNotFound) {
				return err
			}
		} else if wanted == 0 {
			return nil // nothing to add, and no batch to name
		}
		rb.added++
	}
	if wanted == 0 {
		return rb.putBatch(rs, "", nil, name)
	}
	input, err := rb.inputs.find(s.Source, s.SHA256)
	if err != nil {
		return err
	}
	if input == "" {
		rb.miss("%s: its input %s (sha256 %.12s…) is in neither %s nor %s: %d rows reported submitted or in_doubt not restored. Put the input back in %s and rebuild again",
			name, display.Line(s.Source), s.SHA256, rb.cfg.Archive, rb.cfg.Processing, wanted, rb.cfg.Archive)
		return nil
	}
	report, err := sheet.ReadReport(rs.path, rb.cfg.Location())
	if err != nil {
		rb.miss("%s: cannot be read (%v): its rows were not restored", name, err)
		return nil
	}
	wb, err := sheet.Open(input, sheet.Options{})
	if err != nil {
		rb.miss("%s: its input %s cannot be read (%v): its rows were not restored", name, display.Line(input), err)
		return nil
	}
	var orders []ledger.Restored
	for _, rsheet := range report.Sheets {
		t := matchTable(wb, rsheet.Name)
		where := name
		if rsheet.Name != "" {
			where += fmt.Sprintf(", sheet %q", display.Line(rsheet.Name))
		}
		if t == nil {
			rb.miss("%s: no such sheet in its input %s: its rows were not restored", where, display.Line(input))
			continue
		}
		orders = append(orders, rb.restoreSheet(where, s, t, rsheet)...)
	}
	return rb.putBatch(rs, input, orders, name)
}

// putBatch records the report's batch and its orders.
func (rb *rebuild) putBatch(rs reportSummary, input string, orders []ledger.Restored, name string) error {
	s := rs.s
	id := s.BatchID
	if id == "" {
		id = rb.l.NewBatchID(s.Generated)
	}
	b := &ledger.Batch{ID: id, File: s.Source, SHA256: s.SHA256, Report: rs.path, Started: s.Generated, Finished: s.Generated,
		Counts: s.Counts, Done: true}
	if input != "" {
		if inFolder(input, rb.cfg.Processing) {
			b.Input, b.Done = input, false // kept for a later pass, which resumes this batch
		} else {
			b.Archived = input
		}
	}
	sub, doubt := 0, 0
	if rb.adding {
		var err error
		if sub, doubt, err = rb.l.AddBatch(b, orders, filepath.Base(rs.path)); err != nil {
			return err
		}
	} else {
		if _, err := rb.l.RestoreBatch(b, orders, filepath.Base(rs.path)); err != nil {
			return err
		}
		for _, o := range orders {
			if o.State == ledger.Submitted {
				sub++
			} else {
				doubt++
			}
		}
	}
	rb.submitted += sub
	rb.inDoubt += doubt
	if len(orders) > 0 {
		rb.restored = append(rb.restored, fmt.Sprintf("%s: %d submitted, %d in_doubt (batch %s)", name, sub, doubt, id))
	}
	return nil
}

// inFolder reports whether path lies directly in dir.
func inFolder(path, dir string) bool {
	return filepath.Clean(filepath.Dir(path)) == filepath.Clean(dir)
}

// matchTable finds the input table a report sheet was written from: by
// name (a CSV's one table has none).
func matchTable(wb *sheet.Workbook, name string) *sheet.Table {
	for _, t := range wb.Sheets {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// restoreSheet recomputes the orders of one input table and returns those
// the report shows submitted (with a reference) or in doubt.
func (rb *rebuild) restoreSheet(where string, s *sheet.ReportSummary, t *sheet.Table, rsheet sheet.ReportedSheet) []ledger.Restored {
	kind, err := order.DetectKind(t.Name, t.Header)
	if err != nil {
		rb.miss("%s: %v: its rows were not restored", where, err)
		return nil
	}
	if len(t.Records) != len(rsheet.Rows) {
		rb.miss("%s: the report has %d rows, its input %d: not the same file; its rows were not restored", where, len(rsheet.Rows), len(t.Records))
		return nil
	}
	// Parsed with the pass's options first, then without reference data
	// (a value no longer in a carrier's lists) for rows that no longer
	// read as an order.
	parses := []*order.Result{rb.parse(t, kind, s, rb.ref)}
	orderOf := func(i int) *order.Order {
		for p := 0; ; p++ {
			if p == len(parses) {
				if p > 1 {
					return nil
				}
				parses = append(parses, rb.parse(t, kind, s, nil))
			}
			if o := parses[p].Rows[i].Order; o != nil {
				return o
			}
		}
	}
	var out []ledger.Restored
	seen := map[string]bool{}
	for i, row := range rsheet.Rows {
		var st ledger.State
		switch row.Status {
		case sheet.StatusSubmitted, sheet.StatusAlreadySubmitted:
			st = ledger.Submitted
			if row.CarrierReference == "" {
				rb.miss("%s, row %d: %s without a carrier reference: not restored", where, row.Num, row.Status)
				continue
			}
		case sheet.StatusInDoubt:
			st = ledger.InDoubt
		default:
			continue
		}
		o := orderOf(i)
		if o == nil {
			rb.miss("%s, row %d: reported %s, but no longer reads as an order (%s): not restored",
				where, row.Num, row.Status, display.Line(parses[0].Rows[i].Message()))
			continue
		}
		if seen[o.Key] { // the other rows of an order_ref
			continue
		}
		seen[o.Key] = true
		out = append(out, ledger.Restored{Key: o.Key, Kind: string(o.Kind), Carrier: registry.CarrierOf(o.Kind), Ref: o.Ref,
			Fingerprint: o.Fingerprint, Fields: o.Fields(), State: st, Reference: row.CarrierReference, Message: row.Message,
			SubmittedAt: row.SubmittedAt.UTC(), File: s.Source, Sheet: t.Name, Rows: o.Rows})
	}
	return out
}

// parse validates a table as the pass did, to recompute keys and
// fingerprints.
func (rb *rebuild) parse(t *sheet.Table, kind order.Kind, s *sheet.ReportSummary, ref *order.Reference) *order.Result {
	now := rb.opts.Now
	if now.IsZero() {
		now = s.Generated.Add(-24 * time.Hour)
		if s.Generated.IsZero() {
			now = time.Now().Add(-24 * time.Hour)
		}
	}
	opts := order.Options{Now: now, FrWindow: rb.cfg.FrWindow(), AttachmentDir: rb.cfg.Inbox, MaxAttachment: rb.cfg.Validation.MaxAttachment, Reference: ref}
	opts.FrWindow.Disabled = true
	return order.Parse(t, kind, opts)
}

// inputIndex finds inputs in archive/ (by day) and processing/ by name and
// content.
type inputIndex struct {
	files  map[string][]string // by base name
	hashes map[string]string   // path → sha256, as computed
}

func newInputIndex(cfg *config.Config) *inputIndex {
	idx := &inputIndex{files: map[string][]string{}, hashes: map[string]string{}}
	add := func(dir string) {
		des, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, d := range des {
			if d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") {
				idx.files[d.Name()] = append(idx.files[d.Name()], filepath.Join(dir, d.Name()))
			}
		}
	}
	if days, err := os.ReadDir(cfg.Archive); err == nil {
		for _, day := range days {
			if day.IsDir() {
				add(filepath.Join(cfg.Archive, day.Name()))
			}
		}
	}
	add(cfg.Processing)
	return idx
}

// find returns the input named name (or archived under a numbered name,
// NAME.2.xlsx, after a clash) whose content has this sha256; "" when none.
func (idx *inputIndex) find(name, sum string) (string, error) {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	var cands []string
	for base, paths := range idx.files {
		if base == name || strings.HasPrefix(base, stem+".") && strings.HasSuffix(base, ext) {
			cands = append(cands, paths...)
		}
	}
	slices.Sort(cands)
	for _, p := range cands {
		h, ok := idx.hashes[p]
		if !ok {
			var err error
			if h, err = fileSHA256(p); err != nil {
				return "", err
			}
			idx.hashes[p] = h
		}
		if strings.EqualFold(h, sum) {
			return p, nil
		}
	}
	return "", nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read input %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read input %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// IsReport reports whether name is a pass's result report:
// NAME.result.xlsx, NAME.result.2.csv…, not the open-orders workbook, a
// CSV report's summary or a temporary file.
func IsReport(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".xlsx" && ext != ".csv" || strings.HasPrefix(name, ".") || sheet.IsSummaryFile(name) {
		return false
	}
	return strings.Contains(name, ".result.")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
