package registry_test

import (
	"log/slog"
	"testing"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/registry"
	"github.com/orderdrop/orderdrop/internal/config/secret"
	"github.com/orderdrop/orderdrop/internal/track"
)

// TestEveryCarrierBuilds: each registered carrier's section takes its
// defaults, names its credentials among its secrets, and builds a client
// that submits and tracks.
func TestEveryCarrierBuilds(t *testing.T) {
	for _, reg := range registry.Carriers.Registrations() {
		t.Run(reg.Name, func(t *testing.T) {
			sec := reg.NewSection()
			sec.ApplyDefaults()
			if got := sec.Check(); len(got) != 0 {
				t.Errorf("the defaults are refused: %v", got)
			}
			for _, k := range reg.Credentials {
				s, ok := sec.Secrets()[k]
				if !ok {
					t.Fatalf("credential %s is not among the section's secrets", k)
				}
				*s = secret.New("x")
			}
			sec.Common().BaseURL = "http://127.0.0.1:1"
			cl, err := reg.New(sec, carrier.Build{HTTP: sec.Common().Options("test", slog.New(slog.DiscardHandler)), TrackingPageSize: 10})
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			if _, ok := cl.(batch.Submitter); !ok {
				t.Error("the client does not submit")
			}
			if _, ok := cl.(track.Tracker); !ok {
				t.Error("the client does not track")
			}
		})
	}
}
