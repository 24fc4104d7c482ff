package notify

import (
	"strings"
	"testing"
	"time"
)

// TestDigestListsWarnings: the rows sent with a warning are listed (capped
// like the attention rows), and each file's line counts them; warnings
// alone do not make a digest.
func TestDigestListsWarnings(t *testing.T) {
	warned := []Row{
		{File: "a.xlsx", Sheet: "fr-port", Row: 3, Status: "submitted", Message: "warning: idn: 01 99 00 31 00 is in no block ARCEP had allocated by July 2025: check the number"},
		{File: "a.xlsx", Sheet: "fr-port", Row: 4, Status: "submitted", Message: "warning: idn: 01 99 00 32 00 is in no block\nARCEP had allocated"},
	}
	p := Pass{At: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC),
		Files:  []FileSummary{{File: "a.xlsx", Report: "r/a.result.xlsx", Counts: map[string]int{"submitted": 2, "invalid": 1}, Warnings: 2}},
		Rows:   []Row{{File: "a.xlsx", Row: 5, Status: "invalid", Message: "siret: required"}},
		Warned: warned}
	d := Build(p, 1)
	if d == nil {
		t.Fatal("got no digest, want one (an invalid row)")
	}
	text := d.Text()
	for _, want := range []string{
		"- a.xlsx: 2 submitted, 1 invalid, 2 with warnings → report a.result.xlsx",
		"Rows sent with warnings:\n- a.xlsx, sheet \"fr-port\", row 3: submitted: warning: idn: 01 99 00 31 00 is in no block",
		"… and 1 more with warnings: see the reports.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text: got %q, want it to contain %q", text, want)
		}
	}
	html, err := d.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if want := "Rows sent with warnings"; !strings.Contains(html, want) {
		t.Errorf("html: got %q, want it to contain %q", html, want)
	}
	if d := Build(Pass{At: p.At, Files: []FileSummary{{File: "b.csv", Counts: map[string]int{"submitted": 1}, Warnings: 1}}, Warned: warned[:1]}, 0); d != nil {
		t.Errorf("got a digest for warnings alone, want none")
	}
}
