package batch

import (
	"context"
	"testing"
	"time"

	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// A pass identifies its input once (hash and format in one read), then
// the first pass and the reader read it once each, both given the hash so
// that neither hashes it again (the sheet package's
// TestAPassOpensAndHashesItsInputOnce counts their opens and hashes).
func TestAPassReadsItsInputOncePerStage(t *testing.T) {
	in := benchCSV(t, t.TempDir(), 20)
	var ids, counts, opens int
	var unhashed []string
	oldID, oldCount, oldOpen := identify, countColumn, openSheet
	t.Cleanup(func() { identify, countColumn, openSheet = oldID, oldCount, oldOpen })
	identify = func(path string) (string, sheet.Format, error) { ids++; return oldID(path) }
	countColumn = func(path string, opts sheet.Options, column func(string, []string) int, norm func(string) string) (map[string]*sheet.ValueCounts, error) {
		counts++
		if opts.SHA256 == "" {
			unhashed = append(unhashed, "CountColumn")
		}
		return oldCount(path, opts, column, norm)
	}
	openSheet = func(path string, opts sheet.Options) (*sheet.Workbook, error) {
		opens++
		if opts.SHA256 == "" {
			unhashed = append(unhashed, "Open")
		}
		return oldOpen(path, opts)
	}
	s, err := Process(context.Background(), in, Options{ReportDir: t.TempDir(), Order: order.Options{Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	if ids != 1 || counts != 1 || opens != 1 || len(unhashed) > 0 {
		t.Errorf("got %d Identify, %d CountColumn, %d Open, without the hash: %v; want 1, 1, 1, none", ids, counts, opens, unhashed)
	}
	if s.SHA256 == "" || s.Counts[NotSubmitted] != 20 {
		t.Errorf("got sha256 %q, counts %v; want a sum and 20 not_submitted", s.SHA256, s.Counts)
	}
}
