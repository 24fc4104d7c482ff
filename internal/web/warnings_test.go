package web

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestBatchShowsWarnings: a row with a warning is marked, and ?warnings=1
// shows only the rows that have one.
func TestBatchShowsWarnings(t *testing.T) {
	at := time.Date(2026, 11, 23, 13, 4, 5, 0, time.UTC)
	sum := BatchSummary{ID: "20261123T130405-0002", File: "fr.xlsx", Started: at, Finished: at.Add(time.Minute), Counts: map[string]int{"submitted": 2}}
	rows := []Row{
		{Num: 2, Ref: "FR-1", Status: "submitted", Message: "warning: idn: 01 99 00 31 00 is in no block ARCEP had allocated by July 2025: check the number; numbers: 199003100 lost its leading zero"},
		{Num: 3, Ref: "FR-2", Status: "submitted", Message: "numbers: 145000400 lost its leading zero"},
	}
	h := New(Options{Source: &fakeSource{details: map[string]*BatchDetail{sum.ID: {BatchSummary: sum, Rows: rows}}}})

	res, body := get(t, h, "/batches/"+sum.ID)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("got status %d, want 200", res.StatusCode)
	}
	for _, want := range []string{
		`<span class="badge warning">warning</span> warning: idn: 01 99 00 31 00 is in no block`,
		`href="/batches/` + sum.ID + `?warnings=1"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("got a page without %q", want)
		}
	}
	_, body = get(t, h, "/batches/"+sum.ID+"?warnings=1")
	shown := body[strings.Index(body, `id="shown"`):]
	if !strings.Contains(shown, ">FR-1") || strings.Contains(shown, ">FR-2") {
		t.Errorf("warnings=1: got rows %q, want FR-1 only", shown)
	}
}
