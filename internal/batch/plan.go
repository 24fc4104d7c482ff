package batch

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/carrier/registry"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
)

// orderSheets picks the sheets that hold orders: every sheet named after a
// kind ("fr-port", "ca-port", "l2") when there is one, else the first sheet
// (its kind then comes from its header). Other sheets — notes, lists for
// dropdowns — are left alone.
func orderSheets(names []string) []string {
	var named []string
	for _, n := range names {
		if order.KindFromName(n) != "" {
			named = append(named, n)
		}
	}
	if len(named) > 0 || len(names) == 0 {
		return named
	}
	return names[:1]
}

// decide returns the row state of an order the ledger already knows, or
// ok=false when the order is to be sent.
func (p *pass) decide(it *item) (rowState, bool) {
	prev := it.prior
	if prev == nil {
		return rowState{}, false
	}
	when := prev.SubmittedAt
	if when.IsZero() && len(prev.History) > 0 {
		when = prev.History[len(prev.History)-1].At
	}
	loc := p.opts.Location
	day := clock(when, loc)
	switch prev.State {
	case ledger.Submitted:
		if at, why, ok := prev.TurnedDown(); ok {
			return p.afterNo(it, at, why)
		}
		if prev.Fingerprint == it.o.Fingerprint {
			return rowState{status: AlreadySubmitted, reference: prev.Reference, at: prev.SubmittedAt,
				message: fmt.Sprintf("submitted on %s (batch %s); nothing sent again", day, prev.BatchID) + stageNote(prev, loc)}, true
		}
		carrierName := registry.CarrierOf(it.o.Kind)
		return rowState{status: Conflict, reference: prev.Reference, message: fmt.Sprintf(
			"%s was submitted on %s (reference %s) with other values: %s differ; nothing sent. It is still live at %s: "+
				"to replace it, cancel it at %s first (reference %s); once tracking sees it cancelled, drop the corrected row again "+
				"and it is sent under the same order_ref. For another order, use a new order_ref",
			refOrKey(it.o), day, prev.Reference, strings.Join(order.Diff(prev.Fields, it.o.Fields()), ", "),
			carrierName, carrierName, prev.Reference)}, true
	case ledger.Submitting, ledger.InDoubt:
		return rowState{status: InDoubt, reference: prev.Reference, message: inDoubtMessage(prev, registry.CarrierOf(it.o.Kind), it.o.Key, loc)}, true
	case ledger.Rejected:
		at, why, _ := prev.TurnedDown()
		return p.afterNo(it, at, why)
	}
	return rowState{}, false // not_submitted, retryable: send
}

// afterNo decides for an order whose carrier's last word was final and
// negative (ledger.Order.TurnedDown): unchanged, nothing is sent and the row
// says what to correct; changed, it is sent again as the next attempt of the
// same order, and the row will say so.
func (p *pass) afterNo(it *item, at time.Time, why string) (rowState, bool) {
	prev := it.prior
	verb := "rejected"
	if prev.Track != nil && prev.Track.Stage == ledger.StageCancelled {
		verb = "cancelled"
	}
	if prev.Fingerprint == it.o.Fingerprint {
		return p.unchanged(it, at, why, verb)
	}
	// The content of an earlier attempt the carrier turned down is never
	// sent again either.
	for _, a := range prev.Attempts {
		if a.Fingerprint == it.o.Fingerprint {
			verb = "rejected"
			if a.Stage == ledger.StageCancelled {
				verb = "cancelled"
			}
			return p.unchanged(it, a.At, a.Message, verb)
		}
	}
	day := at.In(p.location()).Format("2006-01-02")
	it.notes = append(it.notes, fmt.Sprintf("sent again after the carrier %s attempt %d on %s", verb, prev.AttemptNo(), day))
	return rowState{}, false
}

// unchanged is the row state of a content the carrier turned down (verb:
// rejected or cancelled) at at for why: nothing is sent.
func (p *pass) unchanged(it *item, at time.Time, why, verb string) (rowState, bool) {
	prev := it.prior
	day := at.In(p.location()).Format("2006-01-02")
	what := "the row"
	if f := fieldNamed(why, it.o.Fields()); f != "" {
		what = f
	}
	msg := fmt.Sprintf("unchanged since the carrier %s it on %s: correct %s as the rejection says", verb, day, what)
	if verb == "cancelled" {
		msg = fmt.Sprintf("unchanged since the carrier cancelled it on %s: correct %s as its reason says, then drop it again", day, what)
	}
	if why != "" {
		msg += " (" + registry.CarrierOf(it.o.Kind) + ": " + why + ")"
	}
	return rowState{status: Rejected, reference: prev.Reference, message: msg + "; nothing sent"}, true
}

// location is the time zone of the report's dates.
func (p *pass) location() *time.Location {
	if p.opts.Location != nil {
		return p.opts.Location
	}
	return time.UTC
}

// fieldNamed returns the first of the order's fields that the carrier's
// reason names, as "customer_name" or "customer name"; "" when none.
func fieldNamed(why string, fields map[string]string) string {
	w := strings.ToLower(why)
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	sort.Slice(names, func(i, j int) bool { // longest first: "customer_name" before "name"
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	for _, f := range names {
		if strings.Contains(w, f) || strings.Contains(w, strings.ReplaceAll(f, "_", " ")) {
			return f
		}
	}
	return ""
}

func refOrKey(o *order.Order) string {
	if o.Ref != "" {
		return "order_ref " + o.Ref
	}
	return "this order (" + o.Key + ")"
}

// notes adds the order's repair notes (e.g. a restored leading zero) to msg.
func notes(it *item, msg string) string {
	if len(it.notes) == 0 {
		return msg
	}
	if msg == "" {
		return strings.Join(it.notes, "; ")
	}
	return msg + "; " + strings.Join(it.notes, "; ")
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func rowsWhere(tab *table, orderRows []int) string {
	rows := append([]int(nil), orderRows...)
	sort.Ints(rows)
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = fmt.Sprint(r)
	}
	where := "row " + strings.Join(parts, ", ")
	if tab.name != "" {
		where = fmt.Sprintf("sheet %q %s", tab.name, where)
	}
	return where
}

// settleOrder records the state of every row of o; the reporter may then
// write them.
func (p *pass) settleOrder(tab *table, o *order.Order, st rowState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range o.Rows {
		p.settleLocked(tab, n, st)
	}
}

// settleLocked records the state of row num of tab (p.mu held).
func (p *pass) settleLocked(tab *table, num int, st rowState) {
	s := tab.index[num]
	if s == nil || s.st.settled { // written already: settled once, never again
		return
	}
	st.settled = true
	s.st = st
	p.done++
	if p.opts.Progress != nil {
		p.opts.Progress(p.done, max(p.total, p.done))
	}
	p.cond.Broadcast()
}

// stageNote is what tracking last learnt of a submitted order, for the
// report of a re-dropped row: "; carrier stage: scheduled for 2026-12-01
// (CONFIRMED), checked 2026-11-24 10:00 UTC". "" before the first look-up.
func stageNote(o *ledger.Order, loc *time.Location) string {
	t := o.Track
	if t == nil || t.Stage == "" {
		return ""
	}
	s := "; carrier stage: " + string(t.Stage)
	if t.Date != "" {
		s += " for " + t.Date
	}
	if t.Status != "" && !strings.EqualFold(t.Status, string(t.Stage)) { // no "accepted (ACCEPTED)"
		s += " (" + t.Status + ")"
	}
	if t.Message != "" {
		s += ": " + t.Message
	}
	if !t.Checked.IsZero() {
		s += ", checked " + clock(t.Checked, loc)
	}
	if t.Stage == ledger.StageRejected || t.Stage == ledger.StageCancelled {
		s += " — correct the row and drop it again: it is sent again under the same order_ref"
	}
	return s
}

// clock shows t in loc (the report's time zone; nil = UTC) as
// "2006-01-02 15:04 MST", as the report's own times are.
func clock(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}
