package batch

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// Reconciler looks an order in doubt up at its carrier: fields are the
// order's normalised request fields, reference the carrier reference already
// known ("" after a crash). Found=false with a nil error means that no lookup
// found it, which proves nothing soon after the request: the carrier may
// still be creating the order.
type Reconciler interface {
	Reconcile(ctx context.Context, fields map[string]string, reference string) (carrier.Finding, error)
}

// Defaults of RecoverOptions.
const (
	// DefaultSettleAfter is how long after its request an order in doubt
	// must still be unknown to its carrier before it may be released.
	DefaultSettleAfter = 24 * time.Hour
	// DefaultLookupEvery is the shortest time between two lookups of one order.
	DefaultLookupEvery = 30 * time.Minute
	// DefaultMaxLookups bounds the orders looked up in one pass.
	DefaultMaxLookups = 20
)

// RecoverOptions configure Recover. The zero value looks nothing up (no
// reconcilers) and never releases an order.
type RecoverOptions struct {
	// Reconcilers by carrier name ("thinktel"). The orders of a carrier
	// without one stay in_doubt until an operator runs orderdrop resolve.
	Reconcilers map[string]Reconciler
	// Places are, per carrier name, the environment and base URL configured
	// now: an order placed in another environment is not looked up (it
	// waits for orderdrop resolve); one sent to another base URL is looked
	// up there, through ReconcilerAt. A carrier without one: every order
	// is looked up through its Reconciler.
	Places map[string]Place
	// ReconcilerAt returns a Reconciler asking carrier name at base, for
	// orders sent to a base URL that is no longer the configured one;
	// called once per base URL and pass. nil = asked at the configured one.
	ReconcilerAt func(name, base string) (Reconciler, error)
	// SettleAfter: a lookup finding nothing counts only once this long has
	// passed since the request was sent. 0 = DefaultSettleAfter.
	SettleAfter time.Duration
	// ReleaseUnfound releases (to not_submitted, so that the next drop of
	// its file sends it) an order that a lookup made after SettleAfter still
	// did not find. false = such an order stays in_doubt and waits for
	// `orderdrop resolve KEY --not-submitted`.
	ReleaseUnfound bool
	// LookupEvery is the shortest time between two lookups of one order.
	// 0 = DefaultLookupEvery.
	LookupEvery time.Duration
	// MaxLookups bounds the orders looked up in one pass; the rest wait for
	// the next pass, least recently looked up first. 0 = DefaultMaxLookups.
	MaxLookups int
	// Now is the clock compared with the ledger's times. nil = the ledger's
	// own clock (ledger.Options.Now).
	Now func() time.Time
	// Logger receives a line per lookup and per settled order. nil = discard.
	Logger *slog.Logger
	// Location is the time zone of the times in lookup notes (the
	// configured timezone). nil = UTC.
	Location *time.Location
}

// Settled is an order in doubt that Recover settled.
type Settled struct {
	Key, Carrier string
	Reference    string // the carrier's reference when found; "" when released
	Released     bool   // released to not_submitted after the settle time
}

// RecoverReport says what Recover did.
type RecoverReport struct {
	Stuck     int       // orders found "submitting" (a run stopped mid-request), now in_doubt
	Looked    int       // orders looked up at their carrier in this pass
	Submitted int       // found at their carrier: settled as submitted
	Released  int       // released to not_submitted after the settle time
	InDoubt   int       // of the Stuck orders, those still in doubt
	Waiting   int       // every order still in doubt after this pass
	Settled   []Settled // the orders settled in this pass, in key order
}

// Recover runs at the start of every pass. Orders left "submitting" by a
// run that stopped mid-request become in_doubt; then every in_doubt order
// whose carrier has a Reconciler is looked up (at most MaxLookups, none more
// often than LookupEvery). Found: it becomes submitted with the carrier's
// reference. Not found: it stays in_doubt — a "not found" soon after the
// request proves nothing, the carrier may still be creating it — until a
// lookup made SettleAfter after the request still finds nothing; then it is
// released if ReleaseUnfound, else left for `orderdrop resolve`. The error
// is a ledger failure; a failed lookup only leaves the order in doubt.
func Recover(ctx context.Context, l *ledger.Ledger, opts RecoverOptions) (RecoverReport, error) {
	opts = opts.withDefaults(l)
	var r RecoverReport
	stuck, err := l.Stuck()
	if err != nil {
		return r, fmt.Errorf("find interrupted orders: %w", err)
	}
	r.Stuck = len(stuck)
	wasStuck := map[string]bool{}
	for _, o := range stuck {
		wasStuck[o.Key] = true
	}
	if len(stuck) > 0 {
		keys := make([]string, len(stuck))
		for i, o := range stuck {
			keys[i] = o.Key
		}
		if err := l.MarkInDoubt(keys, "orderdrop stopped while this order was being sent"); err != nil {
			return r, fmt.Errorf("mark %d interrupted orders in_doubt: %w", len(keys), err)
		}
	}
	doubt, err := l.InDoubt()
	if err != nil {
		return r, fmt.Errorf("list orders in doubt: %w", err)
	}
	// The orders just interrupted first, then the least recently looked up.
	slices.SortStableFunc(doubt, func(a, b *ledger.Order) int {
		if wasStuck[a.Key] != wasStuck[b.Key] {
			if wasStuck[a.Key] {
				return -1
			}
			return 1
		}
		return a.LastLookup.Compare(b.LastLookup)
	})
	remaining := map[string]bool{}
	for _, o := range doubt {
		remaining[o.Key] = true
	}
	now := opts.Now()
	down := map[string]bool{}     // carriers whose lookup failed in this pass: not asked again before the next
	at := map[string]Reconciler{} // carrier + " " + base URL → ReconcilerAt's
	for _, o := range doubt {
		rec, elsewhere, err := opts.reconciler(o, at)
		if err != nil {
			opts.Logger.Warn("order in doubt not looked up; looked up again at the next pass", slog.String("key", o.Key), slog.Any("error", err))
			continue
		}
		switch {
		case elsewhere:
			opts.Logger.Debug("order in doubt placed in another environment: not looked up", slog.String("key", o.Key),
				slog.String("carrier", o.Carrier), slog.String("environment", o.Environment()))
			continue
		case rec == nil:
			if wasStuck[o.Key] {
				opts.Logger.Warn("order in doubt after a crash: check with the carrier, then run orderdrop resolve",
					slog.String("key", o.Key), slog.String("carrier", o.Carrier))
			}
			continue
		case ctx.Err() != nil, down[o.Carrier]:
			continue
		case !o.LastLookup.IsZero() && now.Sub(o.LastLookup) < opts.LookupEvery:
			continue
		case r.Looked >= opts.MaxLookups:
			opts.Logger.Debug("order in doubt waits for the next pass to be looked up", slog.String("key", o.Key), slog.Int("max_lookups", opts.MaxLookups))
			continue
		}
		r.Looked++
		s, failed, err := opts.lookUp(ctx, l, rec, o, now)
		if err != nil {
			return r, err
		}
		down[o.Carrier] = failed
		if s == nil {
			continue
		}
		delete(remaining, o.Key)
		r.Settled = append(r.Settled, *s)
		if s.Released {
			r.Released++
		} else {
			r.Submitted++
		}
	}
	for k := range remaining {
		if wasStuck[k] {
			r.InDoubt++
		}
	}
	r.Waiting = len(remaining)
	slices.SortFunc(r.Settled, func(a, b Settled) int { return cmp.Compare(a.Key, b.Key) })
	return r, nil
}

// reconciler returns the Reconciler that looks o up: its carrier's, or one
// asking the base URL o was sent to (made once per base URL, kept in at).
// elsewhere is true when o was placed in an environment that is no longer
// configured: it is then not looked up.
func (opts *RecoverOptions) reconciler(o *ledger.Order, at map[string]Reconciler) (rec Reconciler, elsewhere bool, err error) {
	p, ok := opts.Places[o.Carrier]
	if !ok || opts.Reconcilers[o.Carrier] == nil {
		return opts.Reconcilers[o.Carrier], false, nil
	}
	env := p.Environment
	if env == "" {
		env = ledger.Production
	}
	if o.Environment() != env {
		return nil, true, nil
	}
	if opts.ReconcilerAt == nil || o.BaseURL == "" || o.BaseURL == p.BaseURL {
		return opts.Reconcilers[o.Carrier], false, nil
	}
	k := o.Carrier + " " + o.BaseURL
	if rec, ok := at[k]; ok {
		return rec, false, nil
	}
	rec, err = opts.ReconcilerAt(o.Carrier, o.BaseURL)
	if err != nil {
		return nil, false, fmt.Errorf("look %s up at %s, where it was sent: %w", o.Key, o.BaseURL, err)
	}
	at[k] = rec
	return rec, false, nil
}

// lookUp looks one order up and records what it found: the Settled order, or
// nil when it stays in doubt; failed reports a failed lookup. The error is a
// ledger failure.
func (opts *RecoverOptions) lookUp(ctx context.Context, l *ledger.Ledger, rec Reconciler, o *ledger.Order, now time.Time) (*Settled, bool, error) {
	log := opts.Logger.With(slog.String("key", o.Key), slog.String("carrier", o.Carrier))
	f, lerr := rec.Reconcile(ctx, o.Fields, o.Reference)
	if lerr != nil && ctx.Err() != nil {
		return nil, true, nil // stopping: this lookup does not count
	}
	sent := o.SentAt()
	settleAt := sent.Add(opts.SettleAfter)
	settled := !sent.IsZero() && !now.Before(settleAt)
	var note string
	switch {
	case lerr != nil:
		note = fmt.Sprintf("the lookup at %s failed (%v); orderdrop looks again at the next pass", o.Carrier, lerr)
	case f.Found:
		why := fmt.Sprintf("found at %s by a lookup after its outcome was unknown (%s)", o.Carrier, f.Checked)
		if err := l.Resolve(o.Key, ledger.Resolution{Reference: f.Reference, By: "orderdrop (carrier lookup)", Why: why}); err != nil {
			return nil, false, fmt.Errorf("settle %s as submitted: %w", o.Key, err)
		}
		log.Info("order in doubt found at its carrier: submitted", slog.String("reference", f.Reference))
		return &Settled{Key: o.Key, Carrier: o.Carrier, Reference: f.Reference}, false, nil
	case f.Unsure:
		note = fmt.Sprintf("%s; this does not settle the order, so it is never released automatically", f.Checked)
	case !settled:
		note = fmt.Sprintf("%s; not found yet, which proves nothing so soon after the request (%s may still be creating it): orderdrop looks again until %s",
			f.Checked, o.Carrier, clock(settleAt, opts.Location))
	case opts.ReleaseUnfound:
		why := fmt.Sprintf("%s still had no such order %s after the request (%s); released by recovery.release_unfound_after_settle",
			o.Carrier, now.Sub(sent).Round(time.Minute), f.Checked)
		if err := l.Resolve(o.Key, ledger.Resolution{NotSubmitted: true, By: "orderdrop (recovery.release_unfound_after_settle)", Why: why}); err != nil {
			return nil, false, fmt.Errorf("release %s: %w", o.Key, err)
		}
		log.Warn("order in doubt never found at its carrier: released as not submitted; the next drop of its file sends it",
			slog.Duration("since_request", now.Sub(sent)))
		return &Settled{Key: o.Key, Carrier: o.Carrier, Released: true}, false, nil
	default:
		note = fmt.Sprintf("%s; still not found %s after the request: if you agree it was never created, release it with: orderdrop resolve %q --not-submitted",
			f.Checked, now.Sub(sent).Round(time.Minute), o.Key)
	}
	if err := l.RecordLookup(o.Key, note); err != nil {
		return nil, false, fmt.Errorf("record the lookup of %s: %w", o.Key, err)
	}
	if lerr != nil {
		log.Warn("could not look up order in doubt; no other order of this carrier is looked up before the next pass", slog.Any("error", lerr))
	} else {
		log.Info("order in doubt not settled by its lookup", slog.String("lookup", f.Checked), slog.Bool("unsure", f.Unsure), slog.Bool("settle_time_passed", settled))
	}
	return nil, lerr != nil, nil
}

func (opts RecoverOptions) withDefaults(l *ledger.Ledger) RecoverOptions {
	if opts.SettleAfter <= 0 {
		opts.SettleAfter = DefaultSettleAfter
	}
	if opts.LookupEvery <= 0 {
		opts.LookupEvery = DefaultLookupEvery
	}
	if opts.MaxLookups <= 0 {
		opts.MaxLookups = DefaultMaxLookups
	}
	if opts.Now == nil {
		opts.Now = l.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return opts
}

// inDoubtMessage is the report message of a row whose order is in doubt:
// when it was sent, what was looked up, and what to do.
func inDoubtMessage(prev *ledger.Order, carrierName, key string, loc *time.Location) string {
	when := prev.SentAt()
	if when.IsZero() && len(prev.History) > 0 {
		when = prev.History[len(prev.History)-1].At
	}
	msg := fmt.Sprintf("sent on %s but the outcome is unknown (%s); never resent automatically.", clock(when, loc), prev.Message)
	if prev.Lookups > 0 {
		msg += fmt.Sprintf(" Looked up at %s %d time(s), last on %s: %s.", carrierName, prev.Lookups,
			clock(prev.LastLookup, loc), prev.LookupNote)
	}
	return msg + fmt.Sprintf(" Check with %s, then run: orderdrop resolve %q --reference REF (or --not-submitted)", carrierName, key)
}
