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
		if prev.Fingerprint == it.o.Fingerprint {
			return rowState{status: AlreadySubmitted, reference: prev.Reference, at: prev.SubmittedAt,
				message: fmt.Sprintf("submitted on %s (batch %s); nothing sent again", day, prev.BatchID) + stageNote(prev, loc)}, true
		}
		return rowState{status: Conflict, reference: prev.Reference, message: fmt.Sprintf(
			"%s was submitted on %s (reference %s) with other values: %s differ; nothing sent. Use a new order_ref for a new order",
			refOrKey(it.o), day, prev.Reference, strings.Join(order.Diff(prev.Fields, it.o.Fields()), ", "))}, true
	case ledger.Submitting, ledger.InDoubt:
		return rowState{status: InDoubt, reference: prev.Reference, message: inDoubtMessage(prev, registry.CarrierOf(it.o.Kind), it.o.Key, loc)}, true
	case ledger.Rejected:
		if prev.Fingerprint == it.o.Fingerprint {
			return rowState{status: Rejected, message: fmt.Sprintf(
				"rejected by %s on %s: %s — nothing was created; correct the row to send it again", registry.CarrierOf(it.o.Kind), day, prev.Message)}, true
		}
	}
	return rowState{}, false // new content after a rejection, not_submitted, retryable: send
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
	if t.Stage == ledger.StageRejected {
		s += " — correct the order and send it under a new order_ref"
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
