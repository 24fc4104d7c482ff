package order

import (
	"errors"
	"strings"
	"testing"
)

// TestParserStopsAtAnUndercount: when a chunk brings more rows of an
// order_ref than the first pass counted, Add says so (ErrCountMismatch,
// naming the row and the order_ref) before forming any order of the
// chunk, so the order is never handed back with part of its rows. Rows
// are numbered from 2 (the header is row 1).
func TestParserStopsAtAnUndercount(t *testing.T) {
	rows := []map[string]string{
		edit(frGood(), map[string]string{"order_ref": "Z", "idn": "0353000009", "numbers": "0353000009"}),
		edit(frGood(), map[string]string{"order_ref": "A", "idn": "0353000001", "numbers": "0353000001"}),
		edit(frGood(), map[string]string{"order_ref": "A", "idn": "0353000001", "numbers": "0353000003"}),
	}
	tab := table(frHeader, rows...)
	for _, tc := range []struct {
		name    string
		counts  RefCounts
		wantErr bool
		wantRow string
	}{
		{"exact counts", refCounter{"Z": 1, "A": 2}, false, ""},
		{"over-counts", overCounter{refCounter{"Z": 1, "A": 2}}, false, ""},
		{"an undercount", refCounter{"Z": 1, "A": 1}, true, "row 4"},
		{"a value not counted", refCounter{"Z": 1}, true, "row 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewParser(FrPort, tab.Header, opts(), tc.counts)
			f := p.Add(tab.Records)
			if got := errors.Is(f.Err, ErrCountMismatch); got != tc.wantErr {
				t.Fatalf("got error %v, want a count mismatch: %v", f.Err, tc.wantErr)
			}
			if !tc.wantErr {
				if n := len(f.Orders) + len(p.Close().Orders); n != 2 {
					t.Fatalf("got %d orders, want 2", n)
				}
				return
			}
			if len(f.Orders) != 0 {
				t.Fatalf("got orders %+v, want none formed from the chunk", f.Orders)
			}
			if msg := f.Err.Error(); !strings.Contains(msg, tc.wantRow) || !strings.Contains(msg, "order_ref A") {
				t.Errorf("got message %q, want it to name %s and order_ref A", msg, tc.wantRow)
			}
		})
	}
}
