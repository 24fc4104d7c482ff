package batch

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/orderdrop/orderdrop/internal/carrier/registry"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/order"
)

// Cause says why a carrier could not take some orders of a file. Whatever
// the cause, nothing of those orders was sent, nothing is wrong with their
// rows, and the file is kept to be sent again by a later pass.
type Cause int

const (
	// CauseAuth: the carrier refused orderdrop's credentials (HTTP 401/403).
	// The carrier is stopped for the rest of the pass.
	CauseAuth Cause = iota + 1
	// CauseUnreachable: the carrier could not be reached at all (connection
	// refused, DNS, TLS). The carrier is stopped for the rest of the pass.
	CauseUnreachable
	// CauseBusy: the carrier answered 429/503 (or the like) until the retry
	// budget of an order was spent.
	CauseBusy
	// CauseReference: reference data the orders' checks need could not be read.
	CauseReference
)

// Stop is why a carrier is not used for the rest of a pass.
type Stop struct {
	Cause  Cause  // CauseAuth or CauseUnreachable
	Detail string // what the carrier (or the network) said: "HTTP 401: authentication failed", "connection refused"
}

// Stops remembers the carriers stopped for the rest of a pass: after a
// refusal of the credentials or a carrier found unreachable, the remaining
// orders of that carrier — in this file and in every later file of the
// pass — are not sent, so the carrier is asked once, not once per order.
// One Stops is shared by every Process call of a pass; it is safe for
// concurrent use. The zero value is not usable: call NewStops.
type Stops struct {
	mu sync.Mutex
	m  map[order.Kind]Stop
}

// NewStops returns an empty Stops.
func NewStops() *Stops { return &Stops{m: map[order.Kind]Stop{}} }

// Stop stops kind's carrier for the rest of the pass. The first stop of a
// kind is kept; it reports whether this call stopped it.
func (s *Stops) Stop(k order.Kind, st Stop) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[k]; ok {
		return false
	}
	s.m[k] = st
	return true
}

// Get returns the stop of kind's carrier, ok=false when it is not stopped.
func (s *Stops) Get(k order.Kind) (Stop, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[k]
	return st, ok
}

// availability is what one pass over a file knows of its carriers.
type availability struct {
	stops *Stops // shared with the other files of the pass

	mu      sync.Mutex // guards outages
	outages map[order.Kind]*Outage
}

// Any reports whether a carrier was stopped for that cause.
func (s *Stops) Any(c Cause) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.m {
		if st.Cause == c {
			return true
		}
	}
	return false
}

// Outage is one carrier that could not take some orders of a file in this
// pass. Their rows are not_submitted, the ledger lets them be sent again,
// and the caller keeps the file for a later pass.
type Outage struct {
	Kind    order.Kind
	Carrier string // "Thinktel"
	Cause   Cause
	Detail  string // the first reason seen ("connection refused", "HTTP 401: …", "could not read Thinktel's SIP trunks (…)")
	Rows    int    // rows not sent for this reason
	Hint    string // where the carrier's credentials are configured (for CauseAuth)
}

// Line is the summary line of the outage. retry is when a later pass sends
// the rows again, in the time zone to show (zero: the next pass).
func (o Outage) Line(retry time.Time) string {
	rows := fmt.Sprintf("%d rows", o.Rows)
	if o.Rows == 1 {
		rows = "1 row"
	}
	switch o.Cause {
	case CauseAuth:
		return fmt.Sprintf("credentials refused by %s (%s): %s not sent; check %s — the next pass sends them", o.Carrier, o.Detail, rows, o.Hint)
	case CauseUnreachable:
		return fmt.Sprintf("%s unreachable (%s): %s not sent; %s", o.Carrier, o.Detail, rows, retryWhen(retry))
	case CauseBusy:
		return fmt.Sprintf("%s did not take orders (%s): %s not sent; %s", o.Carrier, o.Detail, rows, retryWhen(retry))
	}
	return fmt.Sprintf("%s: %s not sent; %s", o.Detail, rows, retryWhen(retry))
}

// retryWhen says when the rows of a kept file are sent again.
func retryWhen(at time.Time) string {
	if at.IsZero() {
		return "retried at the next pass"
	}
	return "retried at the next pass after " + at.Format("15:04")
}

// NeedsRetry reports whether some orders were not sent because a carrier
// was unavailable (any Cause): the file should be kept for a later pass.
func (s *Summary) NeedsRetry() bool { return len(s.Outages) > 0 }

// CredentialsRefused reports whether a carrier refused the credentials.
func (s *Summary) CredentialsRefused() bool {
	for _, o := range s.Outages {
		if o.Cause == CauseAuth {
			return true
		}
	}
	return false
}

// carrierName is the carrier of kind k as people write it, its
// registration's Title (the kind itself when no carrier receives it).
func carrierName(k order.Kind) string {
	if t := registry.TitleOf(k); t != "" {
		return t
	}
	return string(k)
}

// credentialsHint names where kind k's credentials are configured.
func (o *Options) credentialsHint(k order.Kind) string {
	if h := o.Credentials[k]; h != "" {
		return h
	}
	return "the credentials under carriers." + registry.CarrierOf(k)
}

// retryWhen says when a kept file is sent again, for row messages.
func (o *Options) retryWhen() string { return retryWhen(o.RetryAt) }

// unavailable returns the row state of an order that is not sent because
// its carrier is unavailable, and notes the outage.
func (p *pass) unavailable(it *item, cause Cause, detail string) rowState {
	k := it.o.Kind
	name := carrierName(k)
	var msg string
	switch cause {
	case CauseAuth:
		msg = fmt.Sprintf("credentials refused by %s (%s): check %s — nothing was sent; the next pass sends these rows",
			name, detail, p.opts.credentialsHint(k))
	case CauseUnreachable:
		msg = fmt.Sprintf("not sent: %s unreachable (%s) — nothing was sent; the file stays in processing/ and is %s",
			name, detail, p.opts.retryWhen())
	case CauseBusy:
		msg = fmt.Sprintf("not sent: %s did not take it (%s); nothing was created — the file stays in processing/ and is %s",
			name, detail, p.opts.retryWhen())
	default:
		msg = fmt.Sprintf("%s; not sent, %s", detail, p.opts.retryWhen())
	}
	a := &p.avail
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.outages == nil {
		a.outages = map[order.Kind]*Outage{}
	}
	o := a.outages[k]
	if o == nil {
		o = &Outage{Kind: k, Carrier: name, Cause: cause, Detail: detail, Hint: p.opts.credentialsHint(k)}
		a.outages[k] = o
	} else if cause == CauseAuth && o.Cause != CauseAuth {
		o.Cause, o.Detail = cause, detail // the credentials are what the operator must fix first
	}
	o.Rows += len(it.o.Rows)
	return rowState{status: NotSubmitted, message: msg}
}

// outageList returns the outages of the pass, by kind.
func (p *pass) outageList() []Outage {
	a := &p.avail
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Outage, 0, len(a.outages))
	for _, o := range a.outages {
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out
}

// unreadNeeded returns the first reference data o needs that could not be
// read, as a message, or "" when o can be sent.
func (o *Options) unreadNeeded(ord *order.Order) string {
	for _, need := range registry.Needs(ord) {
		if err, ok := o.Unread[need]; ok {
			return fmt.Sprintf("could not read %s (%v)", registry.RefLabel(need), err)
		}
	}
	return ""
}

// held returns why an order to send is held back before anything is
// marked in the ledger: its carrier is stopped for the pass, or reference
// data it needs could not be read. ok=false: send it.
func (p *pass) held(it *item) (rowState, bool) {
	if st, ok := p.avail.stops.Get(it.o.Kind); ok {
		return p.unavailable(it, st.Cause, st.Detail), true
	}
	if why := p.opts.unreadNeeded(it.o); why != "" {
		return p.unavailable(it, CauseReference, why), true
	}
	return rowState{}, false
}

// carrierOutcome handles the results that make a carrier unavailable:
// refused credentials and an unreachable carrier stop it for the pass; a
// carrier that stayed busy is noted. ok=false for any other result.
func (p *pass) carrierOutcome(it *item, res carrier.Result) (rowState, bool) {
	switch {
	case res.Class == carrier.AuthRefused:
		p.avail.stops.Stop(it.o.Kind, Stop{Cause: CauseAuth, Detail: res.Message})
		return p.unavailable(it, CauseAuth, res.Message), true
	case res.Class == carrier.Retryable && res.Unreachable != "":
		p.avail.stops.Stop(it.o.Kind, Stop{Cause: CauseUnreachable, Detail: res.Unreachable})
		return p.unavailable(it, CauseUnreachable, res.Unreachable), true
	case res.Class == carrier.Retryable:
		return p.unavailable(it, CauseBusy, fmt.Sprintf("%s after %d attempt(s)", res.Message, res.Attempts)), true
	}
	return rowState{}, false
}
