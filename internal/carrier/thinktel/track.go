package thinktel

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// Track asks Thinktel where a submitted port-in stands: by its ticket
// (GET /v2/NumberPorts/Inbound/Tickets/{TicketMask}/PortInStatus), or, when
// Thinktel does not know the ticket yet (a 404 is normal right after
// creation), by its first number (GET
// /v2/NumberPorts/Inbound/Numbers/{tn}/PortInStatus). A number may have had
// other port-in requests (an earlier one rejected, then corrected and sent
// again), so an answer by number counts only when its TicketId is the
// order's ticket: another request's status, final or not, is never taken
// for this order's. ErrNoStatus when neither lookup finds this very request.
func (c *Client) Track(ctx context.Context, o carrier.TrackedOrder) (carrier.Status, error) {
	var st *PortInStatus
	var err error
	if o.Reference != "" {
		st, err = c.TicketPortInStatus(ctx, o.Reference)
		if err != nil && !notFound(err) {
			return carrier.Status{}, err
		}
	}
	if st == nil {
		tn, ok := firstNumber(o.Fields)
		if !ok {
			return carrier.Status{}, fmt.Errorf("thinktel: port-in %s (ticket %q) not found and it has no number to look up: %w", o.Key, o.Reference, carrier.ErrNoStatus)
		}
		st, err = c.PortInStatus(ctx, tn)
		if notFound(err) {
			return carrier.Status{}, fmt.Errorf("thinktel: no port-in for ticket %q nor number %d: %w", o.Reference, tn, carrier.ErrNoStatus)
		}
		if err != nil {
			return carrier.Status{}, err
		}
		if id := strings.TrimSpace(st.TicketID); o.Reference == "" || id != o.Reference {
			return carrier.Status{}, fmt.Errorf("thinktel: ticket %q not found yet; number %d belongs to port-in %q (%s), another request: %w",
				o.Reference, tn, id, strings.TrimSpace(st.Status), carrier.ErrNoStatus)
		}
	}
	return MapStatus(st), nil
}

func firstNumber(fields map[string]string) (int64, bool) {
	first, _, _ := strings.Cut(fields["numbers"], ",")
	tn, err := strconv.ParseInt(strings.TrimSpace(first), 10, 64)
	return tn, err == nil
}

// thinktelStages maps each documented PortInStatus.Status to a stage.
var thinktelStages = map[string]ledger.Stage{
	"PENDING":              ledger.StagePending,
	"SUBMITTED":            ledger.StagePending,
	"CONFIRMED":            ledger.StageConfirmed,
	"CONFIRMEDWDATECHANGE": ledger.StageConfirmed,
	"CONFIRMEDWEXCEPTION":  ledger.StageConfirmed,
	"RESCHEDULED":          ledger.StageConfirmed,
	"COMPLETED":            ledger.StageCompleted,
	"REJECTED":             ledger.StageRejected,
	"HOLD":                 ledger.StageOnHold,
	"CANCELLATIONPENDING":  ledger.StageOnHold,
	"PARTIALCANCELLATION":  ledger.StageCancelled,
	"CANCELLED":            ledger.StageCancelled,
	"FULLCANCELLATION":     ledger.StageCancelled,
	"EXPIRED":              ledger.StageCancelled,
}

// thinktelNotes explain the statuses whose stage alone would hide something.
var thinktelNotes = map[string]string{
	"CONFIRMEDWDATECHANGE": "confirmed with a changed date",
	"CONFIRMEDWEXCEPTION":  "confirmed with an exception: check the port in uControl",
	"RESCHEDULED":          "rescheduled",
	"CANCELLATIONPENDING":  "a cancellation is pending",
	"PARTIALCANCELLATION":  "some numbers were cancelled: check which in uControl",
	"EXPIRED":              "the request expired",
}

// MapStatus maps a PortInStatus to a stage: PortDate (YYYYMMDD) becomes the
// date (a confirmed port with a date is scheduled; an unreadable date is
// kept in the message, never shown as a date); a REJECTED status
// carries RejectReason, RejectSummary and every RejectDetails entry in the
// message. An unknown status is stage unknown, "unknown status WORD: needs
// a look", never pending.
func MapStatus(st *PortInStatus) carrier.Status {
	word := strings.TrimSpace(st.Status)
	stage, ok := thinktelStages[strings.ToUpper(word)]
	if !ok {
		stage = ledger.StageUnknown
	}
	date, dateNote := carrier.ReadDate(st.PortDate)
	if stage == ledger.StageRejected || stage == ledger.StageCancelled {
		date, dateNote = "", "" // the date that was asked for, no longer planned
	}
	out := carrier.Status{Stage: carrier.WithDate(stage, date), Date: date, Word: word}
	var msg []string
	if n := thinktelNotes[strings.ToUpper(word)]; n != "" {
		msg = append(msg, n)
	}
	if dateNote != "" {
		msg = append(msg, dateNote)
	}
	if stage == ledger.StageRejected {
		words := rejection(st)
		msg = append(msg, words...)
		out.Message = reasons.Explain(strings.Join(msg, "; "))
		return out
	}
	if stage == ledger.StageUnknown {
		msg = append(msg, carrier.UnknownStatus(word))
	}
	out.Message = strings.Join(msg, "; ")
	return out
}

// rejectKeys is the documented order of the RejectDetails keys.
var rejectKeys = []string{"RJCT CODE", "RJCT REMARKS", "FLD ABBR", "FORM", "PORTED #", "PORTED # RANGE", "DISC #", "DISC # RANGE", "REMARKS"}

// rejection lists the reason, the summary and each detail ("RJCT CODE 6P,
// RJCT REMARKS name mismatch, FLD ABBR NAME").
func rejection(st *PortInStatus) []string {
	var out []string
	if r := strings.TrimSpace(st.RejectReason); r != "" {
		out = append(out, r)
	}
	if s := strings.TrimSpace(st.RejectSummary); s != "" && s != strings.TrimSpace(st.RejectReason) {
		out = append(out, s)
	}
	for _, d := range st.RejectDetails {
		var parts []string
		for _, k := range rejectKeys {
			if v := strings.TrimSpace(d[k]); v != "" {
				parts = append(parts, k+" "+v)
			}
		}
		var extra []string
		for k, v := range d {
			if !slices.Contains(rejectKeys, k) && strings.TrimSpace(v) != "" {
				extra = append(extra, k+" "+strings.TrimSpace(v))
			}
		}
		slices.Sort(extra)
		parts = append(parts, extra...)
		if len(parts) > 0 {
			out = append(out, strings.Join(parts, ", "))
		}
	}
	if st.Disputing {
		out = append(out, "the rejection is being disputed")
	}
	if len(out) == 0 {
		out = append(out, "rejected without a reason: see uControl")
	}
	return out
}
