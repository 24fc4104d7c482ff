// Package attention lists everything a person must act on now: orders in
// doubt, orders the carrier rejected (when sent or after accepting them),
// cancelled or answered with an unknown status, orders not sent
// because a carrier refused the credentials or was unreachable, and files
// that could not be read or that a pass left behind. Each item says what
// to do. The attention command, the notification digest and the review page
// all use Collect.
package attention

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// Kind is what sort of attention an item needs. New kinds may be added;
// consumers must show an unknown kind with its What and Action.
type Kind string

// The kinds of item.
const (
	// InDoubt: the request may or may not have reached the carrier.
	InDoubt Kind = "in_doubt"
	// RejectedAtCarrier: the carrier accepted the order, then rejected it.
	RejectedAtCarrier Kind = "rejected_at_carrier"
	// NotSubmittedCredentials: not sent because the carrier refused the credentials.
	NotSubmittedCredentials Kind = "not_submitted_credentials"
	// NotSubmittedOutage: not sent because the carrier was unreachable or overloaded.
	NotSubmittedOutage Kind = "not_submitted_outage"
	// FailedFile: a file in failed/ (unreadable), with its NAME.error.txt.
	FailedFile Kind = "failed_file"
	// StalledFile: a file left in processing/ longer than Sources.StaleAfter.
	StalledFile Kind = "stalled_file"
	// PendingFile: a file kept in processing/ for a retry because a carrier
	// could not take its orders (unreachable, busy, credentials refused).
	PendingFile Kind = "pending_file"
	// RejectedAtSubmission: the carrier refused the order when it was sent.
	RejectedAtSubmission Kind = "rejected"
	// CancelledAtCarrier: the carrier accepted the order, then cancelled,
	// terminated or let it expire.
	CancelledAtCarrier Kind = "cancelled_at_carrier"
	// UnknownStatus: the carrier answered with a status orderdrop does not know.
	UnknownStatus Kind = "unknown_status"
)

// Item is one thing a person must act on.
type Item struct {
	// ID names the item for `orderdrop attention ack`: 8 hex digits, the
	// same for as long as its cause is the same (an order's attempt, a
	// file's name and modification time).
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Key is the ledger key of an order ("" for a file): what `orderdrop
	// resolve` takes.
	Key       string `json:"key,omitempty"`
	Ref       string `json:"order_ref,omitempty"`
	Carrier   string `json:"carrier,omitempty"`
	Reference string `json:"carrier_reference,omitempty"`
	// File is the input file of an order (as dropped), or the path of a file.
	File string `json:"file,omitempty"`
	Rows string `json:"rows,omitempty"` // the order's spreadsheet rows
	// What happened, in the carrier's or orderdrop's words; for an order in
	// doubt, what was looked up.
	What string `json:"what"`
	// Action is what to do next.
	Action string `json:"action"`
	// Since is when the item started needing attention.
	Since time.Time `json:"since"`
	// Ack, set only in a list asked with Sources.All, says who acknowledged
	// the item, when and why.
	Ack *ledger.Ack `json:"ack,omitempty"`
}

// Sources say where Collect looks. A zero field is skipped.
type Sources struct {
	Ledger     *ledger.Ledger
	Failed     string // the failed/ folder
	Processing string // the processing/ folder
	Inbox      string // the inbox folder: its unsupported and future files are listed
	// StaleAfter: a file in processing/ whose modification time is older
	// than this is listed. 0 = every file: a caller holding the ledger knows
	// no pass is running, so any file there was left behind.
	StaleAfter time.Duration
	// Now is the clock. nil = time.Now.
	Now func() time.Time
	// Location is the time zone of the times in What and Action (the
	// configured timezone). nil = UTC.
	Location *time.Location
	// Skip are the inbox's name patterns left alone (lock and temporary
	// files); nil = inbox.DefaultSkip().
	Skip []string
	// All keeps the items a person acknowledged (ledger.Acknowledge), with
	// their Ack; by default they are left out.
	All bool
}

// SourcesOf is where orderdrop reads the attention list, for the command,
// the digest and the review page alike: the ledger l (nil = none yet) and
// the folders, skip patterns and time zone of cfg.
func SourcesOf(cfg *config.Config, l *ledger.Ledger) Sources {
	return Sources{Ledger: l, Failed: cfg.Failed, Processing: cfg.Processing, Inbox: cfg.Inbox, Skip: cfg.Skip, Location: cfg.Location()}
}

// Collect returns every item needing attention, oldest first.
func Collect(ctx context.Context, src Sources) ([]Item, error) {
	var items []Item
	if src.Ledger != nil {
		// Through the ledger's index of these orders: not every order.
		err := src.Ledger.NeedingAttention(func(o *ledger.Order) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if it, ok := orderItem(o, src.Location); ok {
				it.ID = ID(it.Kind, o.Key, strconv.Itoa(o.AttemptNo()))
				items = append(items, it)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("attention: read the ledger: %w", err)
		}
	}
	if src.Ledger != nil {
		files, err := invalidFiles(ctx, src.Ledger)
		if err != nil {
			return nil, err
		}
		items = append(items, files...)
	}
	if src.Inbox != "" {
		files, err := inboxFiles(src)
		if err != nil {
			return nil, err
		}
		items = append(items, files...)
	}
	if src.Failed != "" {
		files, err := failedFiles(src.Failed, src.Inbox)
		if err != nil {
			return nil, err
		}
		items = append(items, files...)
	}
	if src.Processing != "" {
		files, err := stalledFiles(src)
		if err != nil {
			return nil, err
		}
		items = append(items, files...)
	}
	for i := range items {
		if items[i].ID == "" { // a file: its cause is this very file
			items[i].ID = ID(items[i].Kind, items[i].File, strconv.FormatInt(items[i].Since.UnixNano(), 10))
		}
	}
	if src.Ledger != nil {
		acks, err := src.Ledger.Acks()
		if err != nil {
			return nil, fmt.Errorf("attention: read the acknowledgements: %w", err)
		}
		items = Acknowledged(items, acks, src.All)
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Since.Before(items[j].Since) })
	return items, nil
}

// Acknowledged leaves out of items those acknowledged in acks, or already
// carrying their Ack (a snapshot's), or, with all, keeps them with their Ack.
func Acknowledged(items []Item, acks map[string]ledger.Ack, all bool) []Item {
	out := items[:0]
	for _, it := range items {
		if a, ok := acks[it.ID]; ok {
			it.Ack = &a
		}
		if it.Ack != nil && !all {
			continue
		}
		out = append(out, it)
	}
	return out
}

// ID is the stable id of an item of kind k about subject (an order key,
// a file) in a given version (an attempt, a modification time): 8 hex
// digits, short enough to type.
func ID(k Kind, subject, version string) string {
	sum := sha256.Sum256([]byte(string(k) + "\x00" + subject + "\x00" + version))
	return hex.EncodeToString(sum[:4])
}

// orderItem is the item of an order needing attention, if it does.
func orderItem(o *ledger.Order, loc *time.Location) (Item, bool) {
	it := Item{Key: o.Key, Ref: o.Ref, Carrier: o.Carrier, Reference: o.Reference, File: o.File, Rows: rows(o)}
	since := lastEventAt(o)
	switch o.State {
	case ledger.InDoubt, ledger.Submitting:
		it.Kind, it.Since = InDoubt, since
		it.What = inDoubtWhat(o, loc)
		it.Action = fmt.Sprintf("check with %s whether the order exists (%s), then run: orderdrop resolve %q --reference REF (or --not-submitted to let it be sent again)",
			o.Carrier, lookFor(o), o.Key)
		if o.State == ledger.Submitting {
			it.Action = "a pass was interrupted while sending it: the next `orderdrop run` marks it in doubt and looks it up; then " + it.Action
		}
		return it, true
	case ledger.Retryable:
		it.Since = since
		it.What = "not sent: " + o.Message
		if credentialProblem(o.Message) {
			it.Kind = NotSubmittedCredentials
			it.Action = fmt.Sprintf("%s refused orderdrop's credentials: fix carriers.%s in the configuration (or its environment variables); the next pass sends it (drop %s again if it is no longer in processing/)",
				o.Carrier, o.Carrier, fileOr(o.File))
		} else {
			it.Kind = NotSubmittedOutage
			it.Action = fmt.Sprintf("%s did not take the order (unreachable or overloaded); nothing was created. Later passes send it while %s waits in processing/ (drop it again if it is no longer there)",
				o.Carrier, fileOr(o.File))
		}
		return it, true
	case ledger.Rejected:
		it.Kind, it.Since = RejectedAtSubmission, since
		it.What = fmt.Sprintf("%s rejected the order when it was sent: %s", o.Carrier, orWord(o.Message, "no reason given"))
		it.Action = fmt.Sprintf("correct %s in %s as the rejection says and drop it again: it is sent again under the same %s; "+
			"or, to drop it, run: orderdrop attention ack ID --note WHY", orWord(it.Rows, "the row"), fileOr(o.File), refOr(o))
		return it, true
	case ledger.Submitted:
		t := o.Track
		if t == nil {
			return Item{}, false
		}
		it.Since = t.Since
		again := fmt.Sprintf("correct %s in %s as the carrier says and drop it again: it is sent again under the same %s (attempt %d)",
			orWord(it.Rows, "the row"), fileOr(o.File), refOr(o), o.AttemptNo()+1)
		switch t.Stage {
		case ledger.StageRejected:
			it.Kind = RejectedAtCarrier
			it.What = fmt.Sprintf("%s rejected the order after accepting it (%s)", o.Carrier, t.Status)
			it.Action = again
		case ledger.StageCancelled:
			it.Kind = CancelledAtCarrier
			it.What = fmt.Sprintf("%s cancelled the order after accepting it (%s)", o.Carrier, t.Status)
			it.Action = again + "; if the cancellation was wanted, run: orderdrop attention ack ID --note WHY"
		case ledger.StageUnknown:
			it.Kind = UnknownStatus
			it.What = fmt.Sprintf("%s answered unknown status %s: needs a look", o.Carrier, t.Status)
			it.Action = fmt.Sprintf("look the order up at %s (reference %s); tracking keeps asking and the item leaves once the status is one orderdrop knows",
				o.Carrier, o.Reference)
		default:
			return Item{}, false
		}
		words, hint, explained := strings.Cut(t.Message, "; "+carrier.HintPrefix)
		if words != "" {
			it.What += ": " + words
		}
		if explained && it.Kind != UnknownStatus { // the carrier's hint says what to correct
			it.Action = fmt.Sprintf("%s: it is sent again under the same %s (attempt %d)", hint, refOr(o), o.AttemptNo()+1)
			if t.Stage == ledger.StageCancelled {
				it.Action += "; if the cancellation was wanted, run: orderdrop attention ack ID --note WHY"
			}
		}
		return it, true
	}
	return Item{}, false
}

// inDoubtWhat says why the order is in doubt and what was looked up: the
// messages of its history since it was last sent.
func inDoubtWhat(o *ledger.Order, loc *time.Location) string {
	var parts []string
	for i := len(o.History) - 1; i >= 0; i-- {
		e := o.History[i]
		if e.State == ledger.Submitting {
			parts = append(parts, "sent "+clock(e.At, loc))
			break
		}
		if e.Message != "" {
			parts = append(parts, e.Message)
		}
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	if len(parts) == 0 {
		return "outcome unknown"
	}
	return strings.Join(parts, "; ")
}

// clock shows t in loc (nil = UTC) as "2006-01-02 15:04 MST".
func clock(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// lookFor names what to look for at the carrier.
func lookFor(o *ledger.Order) string {
	var parts []string
	if o.Ref != "" {
		parts = append(parts, "order_ref "+o.Ref)
	}
	for _, f := range []string{"numbers", "idn", "client_name"} {
		if v := o.Fields[f]; v != "" {
			parts = append(parts, f+" "+v)
		}
	}
	if len(parts) == 0 {
		return "key " + o.Key
	}
	return strings.Join(parts, ", ")
}

// credentialProblem reports whether a not-sent message says the carrier
// refused the credentials (HTTP 401/403, or the words).
func credentialProblem(msg string) bool {
	m := strings.ToLower(msg)
	for _, w := range []string{"http 401", "http 403", "unauthori", "forbidden", "credential", "authenticat", "invalid token"} {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

func lastEventAt(o *ledger.Order) time.Time {
	if n := len(o.History); n > 0 {
		return o.History[n-1].At
	}
	return o.SubmittedAt
}

func rows(o *ledger.Order) string {
	if len(o.Rows) == 0 {
		return ""
	}
	parts := make([]string, len(o.Rows))
	for i, n := range o.Rows {
		parts[i] = strconv.Itoa(n)
	}
	s := "row " + strings.Join(parts, ", ")
	if o.Sheet != "" {
		s = fmt.Sprintf("sheet %q %s", o.Sheet, s)
	}
	return s
}

func fileOr(f string) string {
	if f == "" {
		return "its file"
	}
	return f
}

func refOr(o *ledger.Order) string {
	if o.Ref != "" {
		return "order_ref " + o.Ref
	}
	return "the old order"
}

// errorSuffix names the explanation beside a failed file.
const errorSuffix = ".error.txt"

// failedFiles lists the files of failed/ with the first lines of their
// explanation.
func failedFiles(dir, inbox string) ([]Item, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("attention: read %s: %w", dir, err)
	}
	var items []Item
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasSuffix(name, errorSuffix) || strings.HasPrefix(name, ".") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		path := filepath.Join(dir, name)
		what := "could not be read"
		if text, err := os.ReadFile(path + errorSuffix); err == nil {
			what = reason(string(text))
		}
		items = append(items, Item{Kind: FailedFile, File: path, What: what, Since: info.ModTime(),
			Action: fmt.Sprintf("read %s%s, correct the file and drop it into %s again; then remove it (and its .error.txt) from %s",
				name, errorSuffix, orWord(inbox, "the inbox"), dir)})
	}
	return items, nil
}

// reason is the explanation of an error file without its boilerplate: the
// lines between the first and the "moved here" line, joined.
func reason(text string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "", strings.HasPrefix(line, "orderdrop could not process"),
			strings.HasPrefix(line, "The file was moved here"), strings.HasPrefix(line, "To try again"):
			continue
		}
		out = append(out, line)
	}
	s := strings.Join(out, " ")
	if len(s) > 500 {
		s = s[:500] + "…"
	}
	return s
}

// stalledFiles lists the files left in processing/ for longer than StaleAfter.
func stalledFiles(src Sources) ([]Item, error) {
	entries, err := os.ReadDir(src.Processing)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("attention: read %s: %w", src.Processing, err)
	}
	stale := src.StaleAfter
	now := time.Now
	if src.Now != nil {
		now = src.Now
	}
	// Files kept for a retry (a carrier could not take their orders) are
	// known to the ledger: say why they wait and until when.
	pending := map[string]ledger.PendingFile{}
	if src.Ledger != nil {
		list, err := src.Ledger.PendingFiles()
		if err != nil {
			return nil, fmt.Errorf("attention: read the files kept for a retry: %w", err)
		}
		for _, p := range list {
			pending[p.Name] = p
		}
	}
	var items []Item
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		if p, ok := pending[e.Name()]; ok && p.Matches(info.Size(), info.ModTime()) {
			items = append(items, Item{Kind: PendingFile, File: filepath.Join(src.Processing, e.Name()), Since: p.First,
				What: fmt.Sprintf("kept in processing/ after %d pass(es) that could not send all its orders: %s", p.Attempts, orWord(p.Reason, "a carrier was unavailable")),
				Action: fmt.Sprintf("nothing to do for an outage: a pass takes it again from %s; if a carrier refused the credentials, fix them in the configuration (the next pass sends the rows); to give up, move it out of processing/",
					clock(p.NextTry, src.Location))})
			continue
		}
		if stale > 0 && now().Sub(info.ModTime()) < stale {
			continue
		}
		items = append(items, Item{Kind: StalledFile, File: filepath.Join(src.Processing, e.Name()), Since: info.ModTime(),
			What:   "left in processing/ by a pass that stopped before finishing it",
			Action: "the next `orderdrop run` resumes it; if it stays, read the log of the last pass (a carrier outage or refused credentials keep it waiting)"})
	}
	return items, nil
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
