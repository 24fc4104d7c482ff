package carriers

import (
	"fmt"
	"log/slog"
	"sync"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier/registry"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/track"
)

// carrierHTTP is the configured HTTP section of each carrier, by name.
func carrierHTTP(cfg *config.Config) map[string]config.HTTP {
	m := map[string]config.HTTP{}
	for _, name := range cfg.Carriers.Names() {
		if h := cfg.Carriers.HTTPOf(name); h != nil {
			m[name] = *h
		}
	}
	return m
}

// KindPlaces says, per kind, where its carrier's orders are placed now
// (environment and base URL), for batch.Options.Places.
func KindPlaces(cfg *config.Config) map[order.Kind]batch.Place {
	hs := carrierHTTP(cfg)
	m := map[order.Kind]batch.Place{}
	for _, k := range order.Kinds {
		if h := hs[registry.CarrierOf(k)]; h.BaseURL != "" {
			m[k] = batch.Place{Environment: h.Environment, BaseURL: h.BaseURL}
		}
	}
	return m
}

// Places is KindPlaces by carrier name, for recovery.
func Places(cfg *config.Config) map[string]batch.Place {
	m := map[string]batch.Place{}
	for name, h := range carrierHTTP(cfg) {
		if h.BaseURL != "" {
			m[name] = batch.Place{Environment: h.Environment, BaseURL: h.BaseURL}
		}
	}
	return m
}

// TrackPlaces is Places for tracking.
func TrackPlaces(cfg *config.Config) map[string]track.Place {
	m := map[string]track.Place{}
	for name, p := range Places(cfg) {
		m[name] = track.Place{Environment: p.Environment, BaseURL: p.BaseURL}
	}
	return m
}

// NoteBaseURLs remembers each configured carrier's base URL in the ledger
// and warns, once, when it changed within the same environment: orders
// placed at the old address count as placed here (nothing is sent again),
// which is right when the same platform moved and wrong when the new
// address is another platform.
func NoteBaseURLs(l *ledger.Ledger, cfg *config.Config, log *slog.Logger) {
	for _, name := range cfg.Carriers.Names() {
		h := cfg.Carriers.HTTPOf(name)
		if h == nil || h.BaseURL == "" {
			continue
		}
		prev, err := l.NoteBaseURL(name, h.Environment, h.BaseURL)
		if err != nil {
			log.Warn("could not remember the carrier's base URL; a change of it is not detected", slog.String("carrier", name), slog.Any("error", err))
			continue
		}
		if prev == "" {
			continue
		}
		from, to := display.Line(prev), display.Line(h.BaseURL)
		log.Warn(fmt.Sprintf("carriers.%s.base_url changed from %s to %s; orders placed at %s count as placed here; set carriers.%s.environment if %s is another platform",
			name, from, to, from, name, to), slog.String("carrier", name), slog.String("environment", h.Environment))
	}
}

// Elsewhere builds, on demand, the clients of a carrier at a base URL
// other than the configured one, with the configuration's credentials and
// settings: for orders sent there before a base_url change of the same
// environment. Close releases them.
type Elsewhere struct {
	cfg       *config.Config
	log       *slog.Logger
	userAgent string
	m         *metrics.Metrics

	mu   sync.Mutex
	made []*Set
}

// NewElsewhere returns an Elsewhere building clients as New does.
func NewElsewhere(cfg *config.Config, log *slog.Logger, userAgent string, m *metrics.Metrics) *Elsewhere {
	return &Elsewhere{cfg: cfg, log: log, userAgent: userAgent, m: m}
}

// at returns the clients of carrier name at base (only that carrier's).
func (a *Elsewhere) at(name, base string) (*Set, error) {
	cfg := *a.cfg
	only, ok := cfg.Carriers.Only(name, base)
	if !ok {
		return nil, fmt.Errorf("unknown carrier %q", name)
	}
	cfg.Carriers = only
	cs, err := New(&cfg, a.log, a.userAgent, a.m)
	if err != nil {
		return nil, fmt.Errorf("carriers.%s at %s: %w", name, display.Line(base), err)
	}
	a.mu.Lock()
	a.made = append(a.made, cs)
	a.mu.Unlock()
	return cs, nil
}

// Tracker is the tracker of carrier name at base, for track.Options.TrackerAt.
func (a *Elsewhere) Tracker(name, base string) (track.Tracker, error) {
	cs, err := a.at(name, base)
	if err != nil {
		return nil, err
	}
	tr := cs.Trackers(a.cfg, slog.New(slog.DiscardHandler))[name]
	if tr == nil {
		return nil, fmt.Errorf("carriers.%s: tracking is off", name)
	}
	return tr, nil
}

// Reconciler is the reconciler of carrier name at base, for
// batch.RecoverOptions.ReconcilerAt.
func (a *Elsewhere) Reconciler(name, base string) (batch.Reconciler, error) {
	cs, err := a.at(name, base)
	if err != nil {
		return nil, err
	}
	rec := cs.Reconcilers()[name]
	if rec == nil {
		return nil, fmt.Errorf("carriers.%s: no lookup of orders in doubt", name)
	}
	return rec, nil
}

// Close releases the clients made.
func (a *Elsewhere) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, cs := range a.made {
		cs.Close()
	}
	a.made = nil
}
