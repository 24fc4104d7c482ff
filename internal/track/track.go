// Package track follows submitted orders at their carriers until they are
// final: one Pass asks each carrier about the orders of the ledger's
// tracking index, page by page, and records every change in the ledger.
// It also writes the open-orders workbook (openorders.go).
package track

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// Defaults of Options.
const (
	DefaultPageSize    = 100
	DefaultMaxAge      = 120 * 24 * time.Hour
	DefaultConcurrency = 4
	// DefaultBreakAfter is how many look-ups in a row may fail at one
	// carrier before the rest of its orders are left for the next pass.
	DefaultBreakAfter = 3
	// recordGrace bounds how long answers already received wait for the
	// ledger once the pass is stopping or out of time.
	recordGrace = 10 * time.Second
)

// Tracker asks one carrier where a submitted order stands. The carrier
// clients implement it. It returns carrier.ErrTrackingOff when tracking is
// switched off for the carrier and carrier.ErrNoStatus when the carrier does
// not know the order yet.
type Tracker interface {
	Track(ctx context.Context, o carrier.TrackedOrder) (carrier.Status, error)
}

// Lender lends the ledger to a tracking pass for one short step: reading a
// page of orders, or recording what the carriers said of them. Borrow runs
// fn with the ledger and takes it back when fn returns; it waits for the
// ledger while ctx allows. The carriers are asked between two borrows,
// without the ledger, so that a submission pass can take it meanwhile.
type Lender interface {
	Borrow(ctx context.Context, fn func(*ledger.Ledger) error) error
}

// Held lends a ledger the caller keeps open for the whole pass (tests,
// tools): nothing else can take it meanwhile.
func Held(l *ledger.Ledger) Lender { return held{l} }

type held struct{ l *ledger.Ledger }

func (h held) Borrow(_ context.Context, fn func(*ledger.Ledger) error) error { return fn(h.l) }

// Options configure a Pass.
type Options struct {
	// Trackers by carrier name ("netwo", "prizz", "thinktel"). An order of a
	// carrier without one is skipped (not configured).
	Trackers map[string]Tracker
	// Concurrency by carrier: look-ups in flight at once. 0 = 4. (The
	// carrier clients' own limit and rate limit also apply.)
	Concurrency map[string]int
	// PageSize is how many orders are read, asked about and recorded
	// together (one ledger transaction per page). 0 = 100.
	PageSize int
	// MaxAge: an order submitted longer ago is no longer asked about (it
	// stays open in the list). 0 = 120 days.
	MaxAge time.Duration
	// MaxDuration bounds the whole pass: once spent, the look-ups in
	// flight are abandoned, the answers received are recorded, and the
	// orders not asked yet are asked next pass. 0 = no bound.
	MaxDuration time.Duration
	// BreakAfter: after this many failed look-ups in a row at one carrier
	// (unreachable, timeouts, errors), its other orders are not asked in
	// this pass. 0 = 3.
	BreakAfter int
	// Now is the clock for the age limit. nil = time.Now.
	Now func() time.Time
	// Logger receives a line per change and per failed look-up. nil = discard.
	Logger *slog.Logger
	// Places are, per carrier, the environment and base URL configured
	// now. An order placed in another environment is no longer asked
	// about (stopped once, "placed on test, not followed"); an order sent
	// to another base URL of the same environment is asked there, through
	// TrackerAt. A carrier without one: every order is asked through its
	// Tracker.
	Places map[string]Place
	// TrackerAt returns a tracker asking carrier name at base, for the
	// orders sent to a base URL that is no longer the configured one;
	// called once per base URL and pass. nil = such orders are asked at
	// the configured base URL.
	TrackerAt func(name, base string) (Tracker, error)
}

// Place is where a carrier's orders are placed now.
type Place struct {
	Environment string // "" = production
	BaseURL     string
}

// Summary is what a Pass did.
type Summary struct {
	Asked   int // look-ups made
	Changed int // orders whose status changed
	Unknown int // orders the carrier does not know yet
	Failed  int // look-ups that failed (carrier unreachable, refused…)
	Skipped int // orders of a carrier not configured or with tracking off
	Stopped int // orders that reached the age limit in this pass
	// Elsewhere counts the orders found placed in an environment that is
	// no longer configured, stopped in this pass (each is counted once).
	Elsewhere int
	// NotAsked counts the orders of a carrier given up on in this pass
	// (Broken), asked again next pass.
	NotAsked int
	// Broken says, per carrier given up on, why: its look-ups failed
	// BreakAfter times in a row ("unreachable (connection refused)").
	Broken map[string]string
	// Changes are the changes recorded, in the order they were made.
	Changes []ledger.TrackChange
	// Off lists the carriers whose tracking is switched off.
	Off []string
	// Interrupted: ctx was cancelled before every order was asked about.
	Interrupted bool
	// OutOfTime: Options.MaxDuration ran out before every order was asked
	// about (the pass also counts as Interrupted).
	OutOfTime bool
	// MaxDuration is the bound that ran out (for the line).
	MaxDuration time.Duration
}

// Line is the one-line summary of a pass.
func (s *Summary) Line() string {
	line := fmt.Sprintf("tracking: %d asked, %d changed", s.Asked, s.Changed)
	if s.Unknown > 0 {
		line += fmt.Sprintf(", %d not known yet", s.Unknown)
	}
	if s.Failed > 0 {
		line += fmt.Sprintf(", %d failed (asked again next pass)", s.Failed)
	}
	if s.NotAsked > 0 || len(s.Broken) > 0 {
		line += fmt.Sprintf(", %d not asked", s.NotAsked)
		var whys []string
		for _, name := range slices.Sorted(maps.Keys(s.Broken)) {
			whys = append(whys, name+" "+display.Line(s.Broken[name]))
		}
		if len(whys) > 0 {
			line += ": " + strings.Join(whys, "; ") + " (asked next pass)"
		}
	}
	if s.Stopped > 0 {
		line += fmt.Sprintf(", %d too old to follow", s.Stopped)
	}
	if s.Elsewhere > 0 {
		line += fmt.Sprintf(", %d placed on another environment, not followed", s.Elsewhere)
	}
	if s.Skipped > 0 {
		line += fmt.Sprintf(", %d not followed (carrier not configured or tracking off)", s.Skipped)
	}
	switch {
	case s.OutOfTime:
		line += fmt.Sprintf(" (stopped after tracking.max_duration %s: the rest is asked next pass)", s.MaxDuration)
	case s.Interrupted:
		line += " (interrupted: the rest is asked next pass)"
	}
	return line
}

// breaker counts one carrier's failed look-ups in a row.
type breaker struct {
	failures int
	why      string // set once the carrier is given up on
}

// Pass asks the carriers about every order of the tracking index, one page
// at a time. Each page is read in one borrow of the ledger and its answers
// are recorded in another, in one transaction, so that the carriers are
// asked without holding the ledger, a pass stopped (ctx cancelled,
// MaxDuration spent, or the process killed) loses at most the page in
// flight, which the next pass asks again, and nothing is recorded twice
// (ledger.RecordTracking ignores an unchanged answer). A carrier whose
// look-ups fail BreakAfter times in a row is not asked again in this pass.
// An error is returned only when the ledger fails.
func Pass(ctx context.Context, lend Lender, opts Options) (*Summary, error) {
	o := opts.withDefaults()
	sum := &Summary{}
	at := &trackersAt{opts: o, made: map[string]Tracker{}}
	err := lend.Borrow(ctx, func(l *ledger.Ledger) error {
		_, err := l.BeginTrackPass()
		return err
	})
	if err != nil {
		return sum, fmt.Errorf("tracking: %w", err)
	}
	askCtx := ctx
	if o.MaxDuration > 0 {
		var cancel context.CancelFunc
		askCtx, cancel = context.WithTimeout(ctx, o.MaxDuration)
		defer cancel()
	}
	// Answers already received are facts: recorded even when stopping or
	// out of time, within recordGrace.
	recordCtx := func() (context.Context, context.CancelFunc) {
		if askCtx.Err() == nil {
			return askCtx, func() {}
		}
		return context.WithTimeout(context.WithoutCancel(ctx), recordGrace)
	}
	off := map[string]bool{}
	breakers := map[string]*breaker{}
	for name := range o.Trackers {
		breakers[name] = &breaker{}
	}
	var mu sync.Mutex // guards sum, off and breakers while look-ups run
	after := ""
	for {
		if askCtx.Err() != nil {
			sum.Interrupted = true
			break
		}
		var page []*ledger.Order
		var next string
		tooOld := map[string]bool{}
		elsewhere := map[string]bool{}
		err := lend.Borrow(askCtx, func(l *ledger.Ledger) error {
			var err error
			page, next, err = l.Tracked(after, o.PageSize)
			if err != nil {
				return fmt.Errorf("read orders after %q: %w", after, err)
			}
			var old []string
			for _, ord := range page {
				if !ord.SubmittedAt.IsZero() && o.Now().Sub(ord.SubmittedAt) > o.MaxAge {
					old = append(old, ord.Key)
					tooOld[ord.Key] = true
				}
			}
			if err := l.StopTracking(old, fmt.Sprintf("submitted more than %d days ago: no longer asked about; check with the carrier", int(o.MaxAge.Hours()/24))); err != nil {
				return fmt.Errorf("stop following %d old orders: %w", len(old), err)
			}
			sum.Stopped += len(old)
			byWhy := map[string][]string{} // why → keys
			for _, ord := range page {
				if tooOld[ord.Key] || o.Trackers[ord.Carrier] == nil {
					continue
				}
				if why, ok := o.elsewhere(ord); ok {
					byWhy[why] = append(byWhy[why], ord.Key)
					elsewhere[ord.Key] = true
				}
			}
			for why, keys := range byWhy {
				if err := l.StopTracking(keys, why); err != nil {
					return fmt.Errorf("stop following %d orders of another environment: %w", len(keys), err)
				}
				sum.Elsewhere += len(keys)
				for _, k := range keys {
					o.Logger.LogAttrs(ctx, slog.LevelInfo, "order of another environment no longer followed", slog.String("key", k), slog.String("reason", why))
				}
			}
			return nil
		})
		if err != nil {
			if askCtx.Err() != nil { // waited for the ledger until stopped or out of time
				sum.Interrupted = true
				break
			}
			return sum, fmt.Errorf("tracking: %w", err)
		}
		byCarrier := map[string][]asked{}
		for _, ord := range page {
			switch {
			case tooOld[ord.Key], elsewhere[ord.Key]:
				// no longer followed (StopTracking above)
			case o.Trackers[ord.Carrier] == nil:
				sum.Skipped++
			default:
				tr, err := at.tracker(ord)
				if err != nil {
					sum.Asked++
					sum.Failed++
					o.Logger.LogAttrs(ctx, slog.LevelWarn, "tracking look-up failed; asked again next pass",
						slog.String("key", ord.Key), slog.String("carrier", ord.Carrier), slog.Any("error", err))
					continue
				}
				byCarrier[ord.Carrier] = append(byCarrier[ord.Carrier], asked{ord: ord, tr: tr})
			}
		}

		var ups []ledger.TrackUpdate
		var wg sync.WaitGroup
		for name, orders := range byCarrier {
			conc, br := o.concurrency(name), breakers[name]
			wg.Go(func() { // one carrier's orders; ends when each was asked, skipped or abandoned
				var asks errgroup.Group // no error: each look-up's failure is counted, not returned
				asks.SetLimit(conc)
				defer asks.Wait()
				for _, a := range orders {
					ord, tr := a.ord, a.tr
					if askCtx.Err() != nil {
						return
					}
					// Go waits for a slot first: the checks below see the
					// answers of the look-ups before it.
					asks.Go(func() error {
						if askCtx.Err() != nil {
							return nil
						}
						mu.Lock()
						isOff, broken := off[name], br.why != ""
						switch {
						case isOff:
							sum.Skipped++
						case broken:
							sum.NotAsked++
						}
						mu.Unlock()
						if isOff || broken {
							return nil
						}
						st, err := tr.Track(askCtx, carrier.TrackedOrder{Key: ord.Key, Ref: ord.Ref, Reference: ord.Reference, Fields: ord.Fields})
						mu.Lock()
						defer mu.Unlock()
						switch {
						case errors.Is(err, carrier.ErrTrackingOff):
							sum.Skipped++
							off[name] = true
						case errors.Is(err, carrier.ErrNoStatus):
							sum.Asked++
							sum.Unknown++
							br.failures = 0
							o.Logger.LogAttrs(ctx, slog.LevelInfo, "carrier has no status for the order yet",
								slog.String("key", ord.Key), slog.String("carrier", name), slog.String("reason", err.Error()))
						case err != nil:
							if askCtx.Err() != nil {
								sum.NotAsked++ // abandoned: stopping or out of time
								return nil
							}
							sum.Asked++
							sum.Failed++
							o.Logger.LogAttrs(ctx, slog.LevelWarn, "tracking look-up failed; asked again next pass",
								slog.String("key", ord.Key), slog.String("carrier", name), slog.Any("error", err))
							br.failures++
							if br.failures >= o.BreakAfter && br.why == "" {
								br.why = brokenWhy(err)
								o.Logger.LogAttrs(ctx, slog.LevelWarn, "carrier not asked for the rest of the tracking pass",
									slog.String("carrier", name), slog.Int("failures_in_a_row", br.failures), slog.String("why", br.why))
							}
						default:
							sum.Asked++
							br.failures = 0
							ups = append(ups, ledger.TrackUpdate{Key: ord.Key, Stage: st.Stage, Date: st.Date, Status: st.Word, Message: st.Message})
						}
						return nil
					})
				}
			})
		}
		wg.Wait()
		if len(ups) > 0 {
			rctx, cancel := recordCtx()
			var changes []ledger.TrackChange
			err = lend.Borrow(rctx, func(l *ledger.Ledger) error {
				var err error
				changes, err = l.RecordTracking(ups)
				return err
			})
			cancel()
			if err != nil && !refusedOnly(err) {
				return sum, fmt.Errorf("tracking: %w", err)
			}
			if err != nil { // an order settled meanwhile (e.g. resolved): the others are recorded
				o.Logger.LogAttrs(ctx, slog.LevelWarn, "some tracking answers were not recorded", slog.Any("error", err))
			}
			for _, c := range changes {
				o.Logger.LogAttrs(ctx, slog.LevelInfo, "order stage changed", slog.String("key", c.Order.Key),
					slog.String("carrier", c.Order.Carrier), slog.String("from", string(c.From.Stage)), slog.String("to", string(c.To.Stage)),
					slog.String("status", c.To.Status), slog.String("date", c.To.Date))
			}
			sum.Changes = append(sum.Changes, changes...)
			sum.Changed += len(changes)
		}
		if next == "" {
			if askCtx.Err() != nil {
				sum.Interrupted = true
			}
			break
		}
		after = next
	}
	if sum.Interrupted && ctx.Err() == nil && askCtx.Err() != nil {
		sum.OutOfTime, sum.MaxDuration = true, o.MaxDuration
	}
	for name, br := range breakers {
		if br.why != "" {
			if sum.Broken == nil {
				sum.Broken = map[string]string{}
			}
			sum.Broken[name] = br.why
		}
	}
	for name := range off {
		sum.Off = append(sum.Off, name)
	}
	return sum, nil
}

// asked is an order to ask about and the tracker that asks.
type asked struct {
	ord *ledger.Order
	tr  Tracker
}

// elsewhere reports whether ord was placed in an environment its carrier is
// no longer configured for, and why it is no longer followed.
func (o Options) elsewhere(ord *ledger.Order) (string, bool) {
	p, ok := o.Places[ord.Carrier]
	if !ok {
		return "", false
	}
	now := p.Environment
	if now == "" {
		now = ledger.Production
	}
	if ord.Environment() == now {
		return "", false
	}
	return fmt.Sprintf("placed on %s, not followed: carriers.%s.environment is %s now; follow it on the %s platform",
		ord.Environment(), ord.Carrier, now, ord.Environment()), true
}

// trackersAt hands out the tracker of each order: its carrier's, or one
// asking the base URL the order was sent to when that is no longer the
// configured one (made once per base URL and pass).
type trackersAt struct {
	opts Options
	made map[string]Tracker // carrier + " " + base URL → tracker
}

func (t *trackersAt) tracker(ord *ledger.Order) (Tracker, error) {
	p, ok := t.opts.Places[ord.Carrier]
	if !ok || t.opts.TrackerAt == nil || ord.BaseURL == "" || ord.BaseURL == p.BaseURL {
		return t.opts.Trackers[ord.Carrier], nil
	}
	k := ord.Carrier + " " + ord.BaseURL
	if tr, ok := t.made[k]; ok {
		return tr, nil
	}
	tr, err := t.opts.TrackerAt(ord.Carrier, ord.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("ask %s at %s, where the order was sent: %w", ord.Carrier, ord.BaseURL, err)
	}
	t.made[k] = tr
	return tr, nil
}

// brokenWhy says why a carrier is given up on, from its last failure.
func brokenWhy(err error) string {
	if why, ok := carrier.UnreachableReason(err); ok {
		return "unreachable (" + why + ")"
	}
	if errors.Is(err, carrier.ErrAuthRefused) {
		return "refused the credentials"
	}
	return "unreachable or too slow (" + err.Error() + ")"
}

// refusedOnly reports whether err only refuses some updates (the rest
// committed), as opposed to a failed commit.
func refusedOnly(err error) bool {
	return errors.Is(err, ledger.ErrState) || errors.Is(err, ledger.ErrNotFound) || errors.Is(err, ledger.ErrInvalid)
}

func (o Options) withDefaults() Options {
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.BreakAfter <= 0 {
		o.BreakAfter = DefaultBreakAfter
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

func (o Options) concurrency(name string) int {
	if n := o.Concurrency[name]; n > 0 {
		return n
	}
	return DefaultConcurrency
}
