package sheet

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzReportRoundtrip: a report written (XLSX or CSV, whole by WriteReport
// or row by row by a ReportWriter) and read back by ReadReport and
// StreamReport (the review page's reader) gives the same cells, statuses,
// carrier references, messages and times, as encoding/csv's FuzzRoundtrip
// does for its writer and reader. Cells come from the fuzzer: formula-
// looking values (=, +, -, @), leading zeros, long numbers, control
// characters, non-ASCII. An XLSX report holds no character XML forbids
// (control characters but tab and line ends): those come back as U+FFFD;
// a CSV report drops carriage returns (its lines end in CRLF, and a CR in
// a value does not come back as written).
func FuzzReportRoundtrip(f *testing.F) {
	for _, seed := range []struct {
		a, b, msg, ref string
		at             int64
		flags          uint8
	}{
		{"R-1", "0612345678", "ok", "NW-1", 1_795_000_000, 0},
		{"=1+2", "+33 6 12", "=HYPERLINK(\"x\")", "@ref", 1_795_000_000, 1},
		{"-5", "@SUM(A1)", "-", "+", 0, 2},
		{"'=x", "''+y", "'", "'-", 1_795_000_123, 3},
		{"00123", "12345678901234567890", "4.1655501E9", "1E3", 1_795_000_000, 1},
		{"\x01\x1b[2J", "tab\there", "line\nbreak\r\n", "\x7f", 1_795_000_000, 0},
		{"Zoë – 東京", "_x0041_", "&amp; <b>", "\u00a0", 1_795_000_000, 3},
		{" lead", "trail ", "  ", "\t=x", 1_795_000_000, 1},
		{"a;b;c", "x,y", "\"q\"", "a\"b", 1_795_000_000, 5},
		{"=1+2", "'@x", "\r", "0042", 1_795_000_000, 16 | 1},
		{"Zoë", "-1", "+", "\x02", 1_795_000_000, 16},
	} {
		f.Add(seed.a, seed.b, seed.msg, seed.ref, seed.at, seed.flags)
	}
	dir := f.TempDir()
	statuses := Statuses()
	f.Fuzz(func(t *testing.T, a, b, msg, ref string, at int64, flags uint8) {
		if len(a)+len(b)+len(msg)+len(ref) > 2000 {
			return
		}
		// Cells are text the readers decoded: valid UTF-8.
		a, b, msg, ref = strings.ToValidUTF8(a, "\uFFFD"), strings.ToValidUTF8(b, "\uFFFD"), strings.ToValidUTF8(msg, "\uFFFD"), strings.ToValidUTF8(ref, "\uFFFD")
		format, ext := XLSX, ".xlsx"
		if flags&1 != 0 {
			format, ext = CSV, ".csv"
		}
		var submitted time.Time
		if at != 0 {
			// Whole seconds, years 1970-2200: what a report time can be.
			submitted = time.Unix(1+(at%7_258_000_000+7_258_000_000)%7_258_000_000, 0).UTC()
		}
		delim := []rune{0, ',', ';', '\t'}[flags>>2&3]
		r := &Report{Source: "orders" + ext, SHA256: strings.Repeat("ab", 32), Format: format, Delimiter: delim,
			Generated: time.Date(2026, 12, 6, 21, 0, 0, 0, time.UTC), LedgerID: "ledger", BatchID: "batch",
			Sheets: []ReportSheet{{Name: "l2", Header: []string{"order_ref", "note"}, Rows: []ReportRow{
				{Num: 2, Cells: []string{a, b}, Status: statuses[int(flags)%len(statuses)], CarrierReference: ref, Message: msg, SubmittedAt: submitted},
				{Num: 3, Cells: []string{b, a}, Status: StatusInvalid, Message: a},
			}}}}
		path := filepath.Join(dir, "orders.result"+ext)
		if flags&2 != 0 {
			w, err := NewReportWriter(path, r)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.StartSheet(r.Sheets[0], SheetSize{Rows: 2, Width: 2, LastRow: 3}); err != nil {
				t.Fatal(err)
			}
			for _, row := range r.Sheets[0].Rows {
				if err := w.WriteRow(row); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(r.Generated); err != nil {
				t.Fatal(err)
			}
		} else if err := WriteReport(path, r); err != nil {
			t.Fatal(err)
		}

		// ReadReport, or StreamReport a row at a time (the review page's
		// reader): one of them per input keeps 2,000 inputs cheap.
		var got *ReportFile
		if flags&16 == 0 {
			rf, err := ReadReport(path, time.UTC)
			if err != nil {
				t.Fatalf("ReadReport: %v", err)
			}
			got = rf
		} else {
			var rs *ReportedSheet
			rf, err := StreamReport(context.Background(), path, time.UTC, 1, func(s *ReportedSheet, rows []ReportedRow) {
				rs = s
				rs.Rows = append(rs.Rows, rows...)
			})
			if err != nil {
				t.Fatalf("StreamReport: %v", err)
			}
			if rs != nil {
				rf.Sheets = []ReportedSheet{*rs}
			}
			got = rf
		}
		if len(got.Sheets) != 1 || len(got.Sheets[0].Rows) != 2 {
			t.Fatalf("got %d sheets (%+v), want 1 of 2 rows", len(got.Sheets), got.Sheets)
		}
		if !slices.Equal(got.Sheets[0].Header, r.Sheets[0].Header) {
			t.Errorf("header: got %q, want %q", got.Sheets[0].Header, r.Sheets[0].Header)
		}
		if got.Summary == nil || got.Summary.BatchID != "batch" || got.Summary.LedgerID != "ledger" {
			t.Errorf("summary: got %+v, want batch and ledger named", got.Summary)
		}
		for i, want := range r.Sheets[0].Rows {
			row := got.Sheets[0].Rows[i]
			if format == XLSX { // XML cannot hold them: written as U+FFFD (WriteReport)
				want.Cells = []string{xmlSafe(want.Cells[0]), xmlSafe(want.Cells[1])}
				want.CarrierReference, want.Message = xmlSafe(want.CarrierReference), xmlSafe(want.Message)
			} else { // the CSV writer drops carriage returns (UseCRLF)
				want.Cells = []string{noCR(want.Cells[0]), noCR(want.Cells[1])}
				want.CarrierReference, want.Message = noCR(want.CarrierReference), noCR(want.Message)
			}
			// The readers give every column of the header, empty or not
			// (a CSV cell of only a CR comes back empty, not missing).
			wantCells := slices.Clone(want.Cells)
			if !slices.Equal(row.Cells, wantCells) || row.Status != want.Status || row.CarrierReference != want.CarrierReference ||
				row.Message != want.Message || !row.SubmittedAt.Equal(want.SubmittedAt) {
				t.Errorf("row %d (%s, via %s): got %q %q %q %q %v, want %q %q %q %q %v", want.Num, ext, map[bool]string{true: "ReportWriter", false: "WriteReport"}[flags&2 != 0],
					row.Cells, row.Status, row.CarrierReference, row.Message, row.SubmittedAt,
					wantCells, want.Status, want.CarrierReference, want.Message, want.SubmittedAt)
			}
		}
	})
}

// xmlSafe is s with each character XML 1.0 forbids as U+FFFD.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if !xmlChar(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// noCR is s without carriage returns.
func noCR(s string) string { return strings.ReplaceAll(s, "\r", "") }
