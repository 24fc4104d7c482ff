package carriers

import (
	"log/slog"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/pass"
	"github.com/orderdrop/orderdrop/internal/track"
)

// ForPass builds the carriers of one pass with cfg, as pass.Deps.Carriers
// wants them.
func ForPass(cfg *config.Config, log *slog.Logger, userAgent string, m *metrics.Metrics) (*pass.Carriers, error) {
	cs, err := New(cfg, log, userAgent, m)
	if err != nil {
		return nil, err
	}
	elsewhere := NewElsewhere(cfg, log, userAgent, m)
	return &pass.Carriers{
		Submitters:       cs.Submitters(),
		Concurrency:      cs.Concurrency(),
		Reference:        cs.ReferenceEach,
		Reconcilers:      cs.Reconcilers(),
		ReconcilerAt:     elsewhere.Reconciler,
		TrackerAt:        elsewhere.Tracker,
		Trackers:         func() map[string]track.Tracker { return cs.Trackers(cfg, log) },
		TrackConcurrency: TrackConcurrency(cfg),
		Places:           Places(cfg),
		KindPlaces:       KindPlaces(cfg),
		TrackPlaces:      TrackPlaces(cfg),
		Credentials:      CredentialsHints(cfg),
		Close:            func() { elsewhere.Close(); cs.Close() },
	}, nil
}
