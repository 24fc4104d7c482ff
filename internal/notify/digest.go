// Package notify tells people when a pass left something for them: one
// digest per pass (the files, their counts, the rows needing attention with
// their messages and the attention list), sent by mail and to a signed JSON
// webhook, with an outbox so that a digest that could not be delivered is
// sent again by the next pass. It also pings an optional heartbeat URL after
// every successful pass (a dead-man's switch). Notifications never fail a
// pass: their time is bounded and their errors are only logged.
package notify

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/display"
)

// Statuses a person must look at (DESIGN §2). A row in one of them makes
// the pass send a digest.
var attentionStatuses = []string{"invalid", "rejected", "conflict", "in_doubt"}

// NeedsPerson reports whether a row status is one a person must act on.
func NeedsPerson(status string) bool { return slices.Contains(attentionStatuses, status) }

// DefaultMaxRows is how many attention rows a digest lists before "and N more".
const DefaultMaxRows = 50

// FileSummary is what a pass did with one input file.
type FileSummary struct {
	File   string         `json:"file"`             // the name the user dropped
	Report string         `json:"report,omitempty"` // path of the result report ("" when the file was not read)
	Counts map[string]int `json:"counts,omitempty"` // rows per status
	// ToFix is the path of the file's to-fix file: its rows to correct and
	// drop again ("" = none). Attached like the report.
	ToFix string `json:"to_fix,omitempty"`
	// Failed, when not empty, says why the file could not be read at all: it
	// was moved to failed/ with an error file.
	Failed string `json:"failed,omitempty"`
	// Warnings counts the rows with a warning (a check set to warning found
	// something; the row was still sent).
	Warnings int `json:"warnings,omitempty"`
}

// Row is one report row needing attention.
type Row struct {
	File  string `json:"file"`
	Sheet string `json:"sheet,omitempty"`
	Row   int    `json:"row"` // the spreadsheet's row number
	// OrderRef is the row's order_ref; "" when it has none.
	OrderRef string `json:"order_ref,omitempty"`
	Status   string `json:"status"`
	Message  string `json:"message"`
}

// AttentionItem is one entry of the attention list (what `orderdrop
// attention` prints): what happened, to which order, and what to do.
type AttentionItem struct {
	// ID is the item's id, for `orderdrop attention ack ID`; "" = none.
	ID     string `json:"id,omitempty"`
	What   string `json:"what"`
	Key    string `json:"key"`
	Action string `json:"action"`
}

// Pass is what one run or track pass produced, the input of Build.
type Pass struct {
	Kind string    // "run" or "track"; "" = "run"
	At   time.Time // when the pass ended
	Host string    // machine name, to tell installations apart; "" = omitted
	// Files in the order they were taken.
	Files []FileSummary
	// Rows needing attention, in file order. The caller may cap them; Build
	// counts the rest from the files' Counts.
	Rows []Row
	// Problems of the pass itself, not of one row: credentials refused, a
	// carrier unreachable, orders left in doubt by a crash, a tracking change
	// to rejected. Each is a whole sentence saying what to do.
	Problems []string
	// Attention is the attention list after the pass. It is sent with the
	// digest but does not by itself trigger one: an order waiting for a
	// person would otherwise send a digest on every pass.
	Attention []AttentionItem
	// Link is the review page's address (web.public_url); "" = none.
	Link string
	// Warned are rows with a warning, in file order (the caller may cap
	// them). Listed in the digest, they do not by themselves trigger one:
	// the rows were sent.
	Warned []Row
}

// Digest is one notification: everything a person needs to know about one
// pass. It is what the channels send and what the outbox keeps.
type Digest struct {
	ID        string          `json:"id"` // unique; receivers may use it to drop duplicates
	Kind      string          `json:"kind"`
	At        time.Time       `json:"at"`
	Host      string          `json:"host,omitempty"`
	Files     []FileSummary   `json:"files"`
	Rows      []Row           `json:"rows"`
	MoreRows  int             `json:"more_rows"` // attention rows not listed
	Problems  []string        `json:"problems,omitempty"`
	Attention []AttentionItem `json:"attention,omitempty"`
	// MoreAttention counts the attention list's items not listed: the list
	// is capped like the rows, so that a digest stays within what mail,
	// Slack or Teams accept.
	MoreAttention int `json:"more_attention,omitempty"`
	// Link is the review page's address; "" when none is configured.
	Link string `json:"link,omitempty"`
	// Warned lists rows with a warning (capped like Rows); MoreWarned
	// counts the others, from the files' Warnings.
	Warned     []Row `json:"warned,omitempty"`
	MoreWarned int   `json:"more_warned,omitempty"`
}

// Build makes the digest of a pass, listing at most maxRows rows and
// maxRows items of the attention list (0 = DefaultMaxRows). It returns nil
// when nothing in the pass needs a person.
func Build(p Pass, maxRows int) *Digest {
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	total := 0
	for _, f := range p.Files {
		for st, n := range f.Counts {
			if NeedsPerson(st) {
				total += n
			}
		}
	}
	if !needsPerson(p, total) {
		return nil
	}
	rows := p.Rows
	if len(rows) > maxRows {
		rows = rows[:maxRows]
	}
	more := max(total-len(rows), len(p.Rows)-len(rows), 0)
	kind := p.Kind
	if kind == "" {
		kind = "run"
	}
	attn := p.Attention
	if len(attn) > maxRows {
		attn = attn[:maxRows]
	}
	warned, warnedTotal := p.Warned, 0
	if len(warned) > maxRows {
		warned = warned[:maxRows]
	}
	for _, f := range p.Files {
		warnedTotal += f.Warnings
	}
	d := &Digest{ID: newID(p.At), Kind: kind, At: p.At, Host: p.Host, Files: slices.Clone(p.Files), Rows: slices.Clone(rows), MoreRows: more,
		Problems: slices.Clone(p.Problems), Attention: slices.Clone(attn), MoreAttention: len(p.Attention) - len(attn), Link: p.Link,
		Warned: slices.Clone(warned), MoreWarned: max(warnedTotal-len(warned), len(p.Warned)-len(warned), 0)}
	d.oneLine()
	return d
}

// oneLine passes every text of d that orderdrop did not write itself (file
// and sheet names, carrier messages, the host name) through display.Line,
// in place: the subject, text, HTML and webhook JSON then show each on one
// line, without bidi controls, and no CR/LF reaches a mail header. d's
// slices must be its own. The report path is kept as is (it is read to
// attach the report); ReportName is cleaned when shown.
func (d *Digest) oneLine() {
	d.Kind, d.Host, d.Link = display.Line(d.Kind), display.Line(d.Host), display.Line(d.Link)
	for i := range d.Files {
		f := &d.Files[i]
		f.File, f.Failed = display.Line(f.File), display.Line(f.Failed)
	}
	for i := range d.Rows {
		r := &d.Rows[i]
		r.File, r.Sheet, r.Status, r.Message = display.Line(r.File), display.Line(r.Sheet), display.Line(r.Status), display.Line(r.Message)
		r.OrderRef = display.Line(r.OrderRef)
	}
	for i := range d.Warned {
		r := &d.Warned[i]
		r.File, r.Sheet, r.Status, r.Message = display.Line(r.File), display.Line(r.Sheet), display.Line(r.Status), display.Line(r.Message)
		r.OrderRef = display.Line(r.OrderRef)
	}
	for i := range d.Problems {
		d.Problems[i] = display.Line(d.Problems[i])
	}
	for i := range d.Attention {
		a := &d.Attention[i]
		a.ID, a.What, a.Key, a.Action = display.Line(a.ID), display.Line(a.What), display.Line(a.Key), display.Line(a.Action)
	}
}

func needsPerson(p Pass, rows int) bool {
	if rows > 0 || len(p.Rows) > 0 || len(p.Problems) > 0 {
		return true
	}
	for _, f := range p.Files {
		if f.Failed != "" {
			return true
		}
	}
	return false
}

func newID(at time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return at.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// Subject is the one-line summary used as the mail subject.
func (d *Digest) Subject() string {
	rows := len(d.Rows) + d.MoreRows
	var parts []string
	if rows > 0 {
		parts = append(parts, plural(rows, "row"))
	}
	if n := d.failedFiles(); n > 0 {
		parts = append(parts, plural(n, "unreadable file"))
	}
	if n := len(d.Problems); n > 0 {
		parts = append(parts, plural(n, "problem"))
	}
	verb := " need attention"
	if len(parts) == 1 && strings.HasPrefix(parts[0], "1 ") {
		verb = " needs attention" // "1 problem needs attention"
	}
	s := "orderdrop " + d.Kind + ": " + strings.Join(parts, ", ") + verb
	if d.Host != "" {
		s += " on " + d.Host
	}
	return s
}

func (d *Digest) failedFiles() int {
	n := 0
	for _, f := range d.Files {
		if f.Failed != "" {
			n++
		}
	}
	return n
}

// count writes n with thousands separators ("2,950").
func count(n int) string { return numbers.Sprintf("%d", n) }

var numbers = message.NewPrinter(language.English)

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// statusOrder lists statuses in report order, for stable counts.
var statusOrder = []string{"submitted", "already_submitted", "invalid", "rejected", "conflict", "in_doubt", "not_submitted"}

// CountsLine renders a file's counts as "2 submitted, 1 invalid", in report
// order, unknown statuses last in name order.
func (f FileSummary) CountsLine() string {
	var parts []string
	seen := map[string]bool{}
	for _, st := range statusOrder {
		seen[st] = true
		if n := f.Counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	var rest []string
	for st, n := range f.Counts {
		if !seen[st] && n > 0 {
			rest = append(rest, fmt.Sprintf("%d %s", n, st))
		}
	}
	slices.Sort(rest)
	parts = append(parts, rest...)
	if f.Warnings > 0 {
		parts = append(parts, fmt.Sprintf("%d with warnings", f.Warnings))
	}
	return strings.Join(parts, ", ")
}

// ToFixName is the to-fix file's name (without its folder), cleaned.
func (f FileSummary) ToFixName() string {
	if f.ToFix == "" {
		return ""
	}
	return display.Line(filepath.Base(f.ToFix))
}

// ReportName is the report's file name (without its folder).
func (f FileSummary) ReportName() string {
	if f.Report == "" {
		return ""
	}
	return display.Line(filepath.Base(f.Report))
}

// Where names a row as "file, sheet "x", row 12, order_ref FR-1".
func (r Row) Where() string {
	s := r.File
	if r.Sheet != "" {
		s += fmt.Sprintf(", sheet %q", r.Sheet)
	}
	s += fmt.Sprintf(", row %d", r.Row)
	if r.OrderRef != "" {
		s += ", order_ref " + r.OrderRef
	}
	return s
}

// Line is the item on one line: "[id] what key: action".
func (a AttentionItem) Line() string {
	s := strings.TrimSpace(a.What + " " + a.Key)
	if a.ID != "" {
		s = "[" + a.ID + "] " + s
	}
	return s + ": " + a.Action
}

// Words is the message without the hint a carrier's catalogue added.
func (r Row) Words() string {
	words, _, _ := strings.Cut(r.Message, "; "+carrier.HintPrefix)
	return words
}

// Hint is what to do about a rejection, from the carrier's catalogue; ""
// when the message carries none.
func (r Row) Hint() string {
	_, hint, _ := strings.Cut(r.Message, "; "+carrier.HintPrefix)
	return hint
}

// Text renders the digest as plain text (the mail's text part and the
// webhook's text field).
func (d *Digest) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", d.Subject())
	fmt.Fprintf(&b, "Pass ended %s.\n", d.At.Format("2006-01-02 15:04:05 MST"))
	if d.Link != "" {
		fmt.Fprintf(&b, "Review page: %s\n", d.Link)
	}
	if len(d.Problems) > 0 {
		b.WriteString("\nProblems:\n")
		for _, p := range d.Problems {
			fmt.Fprintf(&b, "- %s\n", p)
		}
	}
	if len(d.Files) > 0 {
		b.WriteString("\nFiles:\n")
		for _, f := range d.Files {
			if f.Failed != "" {
				fmt.Fprintf(&b, "- %s: not read, moved to failed/: %s\n", f.File, f.Failed)
				continue
			}
			fmt.Fprintf(&b, "- %s: %s → report %s", f.File, f.CountsLine(), f.ReportName())
			if f.ToFix != "" {
				fmt.Fprintf(&b, ", to correct and drop again: %s", f.ToFixName())
			}
			b.WriteString("\n")
		}
	}
	if len(d.Rows) > 0 {
		b.WriteString("\nRows needing attention:\n")
		for _, r := range d.Rows {
			fmt.Fprintf(&b, "- %s: %s: %s\n", r.Where(), r.Status, r.Words())
			if h := r.Hint(); h != "" {
				fmt.Fprintf(&b, "  %s%s\n", carrier.HintPrefix, h)
			}
		}
		if d.MoreRows > 0 {
			fmt.Fprintf(&b, "… and %s more: see the reports.\n", count(d.MoreRows))
		}
	} else if d.MoreRows > 0 {
		fmt.Fprintf(&b, "\n%s needing attention: see the reports.\n", plural(d.MoreRows, "row"))
	}
	if len(d.Warned) > 0 {
		b.WriteString("\nRows sent with warnings:\n")
		for _, r := range d.Warned {
			fmt.Fprintf(&b, "- %s: %s: %s\n", r.Where(), r.Status, r.Message)
		}
	}
	if d.MoreWarned > 0 {
		fmt.Fprintf(&b, "… and %s more with warnings: see the reports.\n", count(d.MoreWarned))
	}
	if len(d.Attention) > 0 {
		b.WriteString("\nAttention list (orderdrop attention):\n")
		for _, a := range d.Attention {
			fmt.Fprintf(&b, "- %s\n", a.Line())
		}
		if d.MoreAttention > 0 {
			fmt.Fprintf(&b, "… and %s more: run orderdrop attention\n", count(d.MoreAttention))
		}
	}
	return b.String()
}

var htmlDigest = template.Must(template.New("digest").Funcs(template.FuncMap{"count": count}).Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family:sans-serif">
<h2>{{.Subject}}</h2>
<p>Pass ended {{.At.Format "2006-01-02 15:04:05 MST"}}.{{with .Link}} <a href="{{.}}">Review page</a>{{end}}</p>
{{with .Problems}}<h3>Problems</h3><ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .Files}}<h3>Files</h3><table border="1" cellpadding="4" style="border-collapse:collapse">
<tr><th>file</th><th>rows</th><th>report</th></tr>
{{range .}}<tr><td>{{.File}}</td>{{if .Failed}}<td colspan="2">not read, moved to failed/: {{.Failed}}</td>{{else}}<td>{{.CountsLine}}</td><td>{{.ReportName}}{{if .ToFix}}<br>to correct and drop again: {{.ToFixName}}{{end}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{with .Rows}}<h3>Rows needing attention</h3><table border="1" cellpadding="4" style="border-collapse:collapse">
<tr><th>where</th><th>status</th><th>message</th></tr>
{{range .}}<tr><td>{{.Where}}</td><td>{{.Status}}</td><td>{{.Words}}{{with .Hint}}<br><b>what to do:</b> {{.}}{{end}}</td></tr>
{{end}}</table>{{end}}
{{if .MoreRows}}<p>… and {{count .MoreRows}} more: see the reports.</p>{{end}}
{{with .Warned}}<h3>Rows sent with warnings</h3><table border="1" cellpadding="4" style="border-collapse:collapse">
<tr><th>where</th><th>status</th><th>message</th></tr>
{{range .}}<tr><td>{{.Where}}</td><td>{{.Status}}</td><td>{{.Message}}</td></tr>
{{end}}</table>{{end}}
{{if .MoreWarned}}<p>… and {{count .MoreWarned}} more with warnings: see the reports.</p>{{end}}
{{with .Attention}}<h3>Attention list</h3><ul>{{range .}}<li>{{with .ID}}[{{.}}] {{end}}{{.What}} <b>{{.Key}}</b>: {{.Action}}</li>{{end}}</ul>{{end}}
{{if .MoreAttention}}<p>… and {{count .MoreAttention}} more: run orderdrop attention</p>{{end}}
</body></html>
`))

// HTML renders the digest as an HTML page (the mail's HTML part).
func (d *Digest) HTML() (string, error) {
	var b bytes.Buffer
	if err := htmlDigest.Execute(&b, d); err != nil {
		return "", fmt.Errorf("render digest: %w", err)
	}
	return b.String(), nil
}
