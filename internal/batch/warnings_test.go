package batch

import (
	"context"
	"strings"
	"testing"

	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// TestProcessCountsWarnings: a row with a warning is sent, its message
// says so, and the pass's summary and the report's Summary count it.
func TestProcessCountsWarnings(t *testing.T) {
	e := newEnv(t)
	warned := l2Row("W-1", "Warned Co")
	warned[10] = "Lyon" // 33600 is Pessac
	bad := l2Row("W-3", "Invalid Co")
	bad[10], bad[1] = "Lyon", "" // a warning too, but the row is invalid: not counted
	in := writeCSV(t, e.dir, "w.csv", warned, l2Row("W-2", "Clean Co"), bad)
	opts := e.opts()
	opts.Order.Checks = map[order.Check]order.Severity{order.CheckFrAddress: order.SeverityWarning}
	s, err := Process(context.Background(), in, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Counts[Submitted]; got != 2 {
		t.Fatalf("got %d submitted (%v), want 2", got, s.Counts)
	}
	if got, want := s.Warnings, 1; got != want {
		t.Errorf("summary: got %d rows with warnings, want %d", got, want)
	}
	if got, want := s.Line(), "2 submitted, 1 invalid, 1 with warnings"; !strings.Contains(got, want) {
		t.Errorf("line: got %q, want it to contain %q", got, want)
	}
	if len(s.Warned) != 1 || s.Warned[0].Row != 2 || !strings.HasPrefix(s.Warned[0].Message, "warning: zip_code/city: 33600 is Pessac, not Lyon") {
		t.Errorf("warned rows: got %+v, want row 2 with its warning", s.Warned)
	}
	rows := reportRows(t, s.Report)
	if got, want := rows["W-1"][2], "warning: zip_code/city: 33600 is Pessac, not Lyon"; !strings.Contains(got, want) {
		t.Errorf("message: got %q, want it to contain %q", got, want)
	}
	rs, err := sheet.ReadReportSummary(s.Report, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rs.Warnings != 1 {
		t.Errorf("report summary: got %d rows with warnings, want 1", rs.Warnings)
	}
}
