package carrier

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

var (
	// ErrTrackingOff is returned by a carrier client's Track when tracking
	// is switched off for that carrier in the configuration.
	ErrTrackingOff = errors.New("tracking switched off for this carrier")
	// ErrNoStatus is returned by Track when the carrier does not (yet) know
	// the order: nothing to record, ask again next pass.
	ErrNoStatus = errors.New("the carrier has no status for this order yet")
)

// TrackedOrder is what a carrier client needs to look a submitted order up.
type TrackedOrder struct {
	Key       string            // the ledger key, for messages
	Ref       string            // the user's order_ref ("" when none)
	Reference string            // the carrier's reference (Netwo order_id, Prizz ref, Thinktel TicketMask)
	Fields    map[string]string // the normalised request fields (Thinktel numbers for the fallback)
}

// Status is what a carrier says of a submitted order, mapped to a stage.
type Status struct {
	Stage   ledger.Stage // normalised
	Date    string       // YYYY-MM-DD: scheduled or completion date; "" when none
	Word    string       // the carrier's own status word, unchanged
	Message string       // the carrier's message; for a rejection its reason and details
}

// stageWords map words found in a carrier's free-form status to a stage,
// checked in this order (the first contained word wins), for carriers
// whose status vocabulary is not published (Netwo, Prizz legacy).
var stageWords = []struct {
	word  string
	stage ledger.Stage
}{
	{"invalid", ledger.StageRejected}, {"inactive", ledger.StageCancelled},
	{"reject", ledger.StageRejected}, {"refus", ledger.StageRejected}, {"rejet", ledger.StageRejected},
	{"fail", ledger.StageRejected}, {"echec", ledger.StageRejected}, {"échec", ledger.StageRejected}, {"error", ledger.StageRejected},
	{"cancel", ledger.StageCancelled}, {"annul", ledger.StageCancelled}, {"abandon", ledger.StageCancelled},
	{"expired", ledger.StageCancelled}, {"resili", ledger.StageCancelled}, {"résili", ledger.StageCancelled},
	{"hold", ledger.StageOnHold}, {"suspend", ledger.StageOnHold}, {"block", ledger.StageOnHold}, {"bloqu", ledger.StageOnHold},
	{"attente client", ledger.StageOnHold},
	{"complet", ledger.StageCompleted}, {"done", ledger.StageCompleted}, {"ported", ledger.StageCompleted},
	{"porté", ledger.StageCompleted}, {"delivered", ledger.StageCompleted}, {"livr", ledger.StageCompleted},
	{"mis en service", ledger.StageCompleted}, {"mise en service", ledger.StageCompleted}, {"active", ledger.StageCompleted},
	{"termin", ledger.StageCompleted}, {"closed", ledger.StageCompleted},
	{"schedul", ledger.StageScheduled}, {"planned", ledger.StageScheduled}, {"planifi", ledger.StageScheduled},
	{"confirm", ledger.StageConfirmed}, {"accept", ledger.StageConfirmed}, {"validat", ledger.StageConfirmed}, {"valid", ledger.StageConfirmed},
}

// StageOf maps a free-form carrier status word to a stage by the words it
// contains ("PORTABILITY_CONFIRMED" → confirmed, "Refusée" → rejected).
// Anything else (new, created, pending, in_progress, "en cours"…) is
// pending: followed until it says more. A confirmed word with a date is
// scheduled: the caller decides that.
func StageOf(word string) ledger.Stage {
	w := strings.ToLower(strings.ReplaceAll(word, "_", " "))
	for _, sw := range stageWords {
		if strings.Contains(w, sw.word) {
			return sw.stage
		}
	}
	return ledger.StagePending
}

// UnknownStatus is the message of a status word a carrier documents no
// meaning for: shown to a person, never taken as pending.
func UnknownStatus(word string) string {
	return fmt.Sprintf("unknown status %s: needs a look", word)
}

// WithDate turns confirmed into scheduled when the carrier gave a date.
func WithDate(st ledger.Stage, date string) ledger.Stage {
	if st == ledger.StageConfirmed && date != "" {
		return ledger.StageScheduled
	}
	return st
}

// Bounds of a believable carrier date: anything outside is a placeholder
// (99999999, 00000000) or a mistake, never shown as a date.
const (
	minDateYear = 2000
	maxDateYear = 2100
)

// ISODate turns a carrier date (YYYYMMDD, YYYY-MM-DD, DD/MM/YYYY, or an
// RFC 3339 time) into YYYY-MM-DD; "" when it is none of these, is not a
// calendar day (2026-02-30, 99999999) or lies outside 2000–2100.
func ISODate(s string) string {
	s = strings.TrimSpace(s)
	var iso string
	switch {
	case len(s) == 8 && allDigits(s):
		iso = s[:4] + "-" + s[4:6] + "-" + s[6:]
	case len(s) >= 10 && s[4] == '-' && s[7] == '-' && allDigits(s[:4]+s[5:7]+s[8:10]):
		iso = s[:10]
	case len(s) == 10 && s[2] == '/' && s[5] == '/' && allDigits(s[:2]+s[3:5]+s[6:]):
		iso = s[6:] + "-" + s[3:5] + "-" + s[:2]
	default:
		return ""
	}
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil || t.Year() < minDateYear || t.Year() > maxDateYear {
		return ""
	}
	return iso
}

// ReadDate reads a carrier date: its YYYY-MM-DD form (see ISODate) or,
// when raw holds something that is not a readable date, "" and a note
// keeping the carrier's text for the message (unreadable date
// "99999999"), so that it is never shown as a date nor lost.
func ReadDate(raw string) (date, note string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", ""
	}
	if date = ISODate(raw); date != "" {
		return date, ""
	}
	return "", fmt.Sprintf("unreadable date %q", raw)
}

// JoinNotes joins the non-empty parts of a message with "; ".
func JoinNotes(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
