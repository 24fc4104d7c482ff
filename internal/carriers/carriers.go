// Package carriers builds the clients of the configured carriers from the
// carrier registry for one run: their submitters, reconcilers, trackers and
// reference data, clients at base URLs other than the configured ones, and
// the warnings of a base URL change.
package carriers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/registry"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/track"
)

// Set is the clients of one run: built fresh per pass so that their
// per-run caches (prefixes, offerings) are never stale.
type Set struct {
	clients map[string]carrier.Client // the configured carriers' clients, by name
	conc    map[order.Kind]int
	m       *metrics.Metrics // nil = no metrics
}

// New builds the clients of the registered carriers that have a base_url,
// sending userAgent and reporting to m (nil = no metrics).
func New(cfg *config.Config, log *slog.Logger, userAgent string, m *metrics.Metrics) (*Set, error) {
	c := &Set{clients: map[string]carrier.Client{}, conc: map[order.Kind]int{}, m: m}
	for _, reg := range registry.Carriers.Registrations() {
		sec := cfg.Carriers.Section(reg.Name)
		if sec == nil || sec.Common().BaseURL == "" {
			continue
		}
		h := sec.Common()
		opts := h.Options(userAgent, log.With(slog.String("carrier", reg.Name)))
		cl, err := reg.New(sec, carrier.Build{HTTP: instrument(opts, m, reg.Name), TrackingPageSize: cfg.Tracking.PageSize})
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("carriers.%s: %w", reg.Name, err)
		}
		c.clients[reg.Name] = cl
		for _, k := range reg.Kinds {
			c.conc[k] = h.Concurrency
		}
	}
	return c, nil
}

// Concurrency is each kind's orders in flight, from its carrier's section.
func (c *Set) Concurrency() map[order.Kind]int { return c.conc }

// Submitters returns the configured clients by kind.
func (c *Set) Submitters() map[order.Kind]batch.Submitter {
	m := map[order.Kind]batch.Submitter{}
	for name, cl := range c.clients {
		s, ok := cl.(batch.Submitter)
		if !ok {
			continue
		}
		for _, k := range registry.Carriers.Lookup(name).Kinds {
			m[k] = s
		}
	}
	if c.m != nil {
		for k, s := range m {
			m[k] = countingSubmitter{next: s, m: c.m, kind: k}
		}
	}
	return m
}

// Reconcilers returns the carriers that can look an order in doubt up (their
// client implements batch.Reconciler). The orders in doubt of the others,
// which document no lookup that finds an order by what orderdrop knows of
// it, wait for orderdrop resolve.
func (c *Set) Reconcilers() map[string]batch.Reconciler {
	m := map[string]batch.Reconciler{}
	for name, cl := range c.clients {
		if r, ok := cl.(batch.Reconciler); ok {
			m[name] = r
		}
	}
	return m
}

// Trackers returns the configured clients that can follow orders, and logs
// the carriers whose tracking is switched off.
func (c *Set) Trackers(cfg *config.Config, log *slog.Logger) map[string]track.Tracker {
	m := map[string]track.Tracker{}
	for _, name := range cfg.Carriers.Names() {
		tr, ok := c.clients[name].(track.Tracker)
		if !ok {
			continue
		}
		if why := cfg.Carriers.Section(name).TrackingOff(); why != "" { // a client was built: its section exists
			log.Info(why)
			continue
		}
		m[name] = tr
	}
	return m
}

// TrackConcurrency is each carrier's look-ups in flight, as for orders.
func TrackConcurrency(cfg *config.Config) map[string]int {
	m := map[string]int{}
	for _, name := range cfg.Carriers.Names() {
		if h := cfg.Carriers.HTTPOf(name); h != nil {
			m[name] = h.Concurrency
		}
	}
	return m
}

// Reference fetches the carriers' reference data for validate --online:
// every list, or an error naming those that could not be read.
func (c *Set) Reference(ctx context.Context) (*order.Reference, error) {
	ref, unread := c.ReferenceEach(ctx, batch.NewStops())
	var errs []error
	for _, d := range slices.SortedFunc(maps.Keys(unread), func(a, b order.RefData) int { // by label, as people read them
		return strings.Compare(registry.RefLabel(a), registry.RefLabel(b))
	}) {
		errs = append(errs, fmt.Errorf("could not read %s: %w", registry.RefLabel(d), unread[d]))
	}
	return ref, errors.Join(errs...)
}

// ReferenceEach fetches every list of reference data on its own: a list
// that cannot be read is left nil in ref (its checks are not made) and
// returned in unread, so that only the rows needing it are held back and
// the checks of the other lists are still made. A carrier that refuses the
// credentials or cannot be reached is also stopped in stops (its rows are
// held for the pass) and its remaining lists are not asked for.
func (c *Set) ReferenceEach(ctx context.Context, stops *batch.Stops) (*order.Reference, map[order.RefData]error) {
	ref := &order.Reference{Carrier: map[order.Kind]string{}}
	unread := map[order.RefData]error{}
	// read runs one lookup of a carrier (serving kinds) unless it is stopped; it
	// reports whether the lookup succeeded.
	read := func(kinds []order.Kind, d order.RefData, fetch func() error) bool {
		for _, k := range kinds {
			if _, stopped := stops.Get(k); stopped {
				return false
			}
		}
		err := fetch()
		if err == nil {
			return true
		}
		unread[d] = err
		for _, k := range kinds {
			if carrier.ClassOf(err) == carrier.AuthRefused {
				stops.Stop(k, batch.Stop{Cause: batch.CauseAuth, Detail: fmt.Sprintf("reading %s: %v", registry.RefLabel(d), err)})
			} else if why, ok := carrier.UnreachableReason(err); ok {
				stops.Stop(k, batch.Stop{Cause: batch.CauseUnreachable, Detail: why})
			}
		}
		return false
	}
	for _, reg := range registry.Carriers.Registrations() {
		for _, k := range reg.Kinds {
			ref.Carrier[k] = reg.Title
		}
		cl, ok := c.clients[reg.Name]
		if !ok {
			continue
		}
		cl.LoadReference(ctx, ref, func(d order.RefData, fetch func() error) bool {
			return read(reg.Kinds, d, fetch)
		})
	}
	return ref, unread
}

// Close releases the clients' idle connections.
func (c *Set) Close() {
	for _, cl := range c.clients {
		cl.Close()
	}
}

// RebuildReference reads the carriers' reference data as a pass does, so
// that fingerprints depending on it (a Netwo prefix's service id) come out
// as they were. Without it the orders are still restored; a few
// fingerprints may differ, and the same file dropped again then shows
// conflict rather than already_submitted (nothing is sent either way).
func RebuildReference(ctx context.Context, cfg *config.Config, log *slog.Logger, userAgent string) *order.Reference {
	cs, err := New(cfg, log, userAgent, nil)
	if err != nil {
		log.Warn("carriers not usable: reference data not read; some fingerprints may differ", slog.Any("error", err))
		return nil
	}
	defer cs.Close()
	ref, unread := cs.ReferenceEach(ctx, batch.NewStops())
	for d, err := range unread {
		log.Warn("carrier reference data unreadable; fingerprints depending on it may differ", slog.String("data", string(d)), slog.Any("error", err))
	}
	return ref
}

// CredentialsHints says, per kind, where its carrier's credentials are
// configured, for the message of a refusal.
func CredentialsHints(cfg *config.Config) map[order.Kind]string {
	m := map[order.Kind]string{}
	for _, k := range order.Kinds {
		m[k] = cfg.CredentialsHint(registry.CarrierOf(k))
	}
	return m
}

// instrument adds the metrics hooks to a carrier's HTTP options.
func instrument(o carrier.HTTPOptions, m *metrics.Metrics, name string) carrier.HTTPOptions {
	if m == nil {
		return o
	}
	o.WrapTransport = func(rt http.RoundTripper) http.RoundTripper { return m.Transport(name, rt) }
	o.OnRetry = m.RetryHook(name)
	return o
}

// countingSubmitter counts each order's outcome by kind, carrier and class.
type countingSubmitter struct {
	next batch.Submitter
	m    *metrics.Metrics
	kind order.Kind
}

func (c countingSubmitter) Submit(ctx context.Context, o *order.Order, s carrier.Submission) carrier.Result {
	res := c.next.Submit(ctx, o, s)
	c.m.Order(string(c.kind), registry.CarrierOf(c.kind), res.Class.String())
	return res
}
