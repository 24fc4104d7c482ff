package netwo

import (
	"context"
	"fmt"
	"strings"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/config/secret"
	"github.com/orderdrop/orderdrop/internal/order"
)

// needs lists the reference data the checks of an fr-port order use: a
// prefix (or its service id) is checked, and the order cannot be sent
// without its service id.
func needs(o *order.Order) []order.RefData {
	if o.FrPort == nil || (o.FrPort.Prefix == "" && o.FrPort.PrefixServiceID == "") {
		return nil
	}
	return []order.RefData{order.RefFrPrefixes}
}

// Registration is what package netwo provides: fr-port orders, configured
// under carriers.netwo.
func Registration() carrier.Registration {
	return carrier.Registration{
		Name:        "netwo",
		Title:       "Netwo",
		Kinds:       []order.Kind{order.FrPort},
		Credentials: []string{"api_key", "actor_slug"},
		References:  map[order.RefData]string{order.RefFrPrefixes: "Netwo's portability prefixes"},
		Needs:       needs,
		NewSection:  func() carrier.Section { return &Section{} },
		New: func(s carrier.Section, b carrier.Build) (carrier.Client, error) {
			n := s.(*Section)
			c, err := New(Config{HTTP: b.HTTP, APIKey: n.APIKey.Value(), ActorSlug: n.ActorSlug.Value(),
				RoutingPrefix: n.RoutingPrefix, RoutingSIPTrunk: n.RoutingSIPTrunk, Track: n.Track, TrackPath: n.TrackPath})
			if err != nil {
				return nil, err
			}
			return c, nil
		},
	}
}

// Section configures the fr-port carrier: carriers.netwo.
type Section struct {
	carrier.HTTPSection `yaml:",inline"`
	APIKey              secret.Secret `yaml:"api_key"`
	ActorSlug           secret.Secret `yaml:"actor_slug"`
	// RoutingPrefix is Netwo's routing value for routing "prefix". "" = "routing_on_prefix" (documented by Netwo).
	RoutingPrefix string `yaml:"routing_prefix"`
	// RoutingSIPTrunk is the value for routing "sip_trunk". Netwo does not
	// publish it; "" = "routing_on_sip_trunk". Ask Netwo for yours.
	RoutingSIPTrunk string `yaml:"routing_sip_trunk"`
	// Track turns tracking of fr-port orders on. Netwo documents no order
	// status endpoint: false (the default) = not followed, and orderdrop
	// track says so. Turn it on once Netwo confirmed TrackPath.
	Track bool `yaml:"track"`
	// TrackPath is the order status GET, {order_id} replaced. "" = "/orders/{order_id}".
	TrackPath string `yaml:"track_path"`
}

// Common is the section's HTTP configuration.
func (s *Section) Common() *carrier.HTTPSection { return &s.HTTPSection }

// Secrets are the section's credentials by key.
func (s *Section) Secrets() map[string]*secret.Secret {
	return map[string]*secret.Secret{"api_key": &s.APIKey, "actor_slug": &s.ActorSlug}
}

// ApplyDefaults gives every key left out its default.
func (s *Section) ApplyDefaults() {
	s.HTTPSection.ApplyDefaults()
	if s.RoutingPrefix == "" {
		s.RoutingPrefix = DefaultRoutingPrefix
	}
	if s.RoutingSIPTrunk == "" {
		s.RoutingSIPTrunk = DefaultRoutingSIPTrunk
	}
	if s.TrackPath == "" {
		s.TrackPath = DefaultTrackPath
	}
}

// Check lists the values that cannot be used.
func (s *Section) Check() []carrier.Problem {
	if !strings.Contains(s.TrackPath, "{order_id}") {
		return []carrier.Problem{{Key: "track_path", Message: fmt.Sprintf("%q must contain {order_id}", s.TrackPath)}}
	}
	return nil
}

// TrackingOff says why fr-port orders are not followed ("" = they are).
func (s *Section) TrackingOff() string {
	if s.Track {
		return ""
	}
	return "netwo tracking is off: Netwo publishes no order status endpoint; set carriers.netwo.track: true (and track_path) once Netwo confirms one. fr-port orders stay listed as open, not followed"
}

// LoadReference reads Netwo's portability prefixes.
func (c *Client) LoadReference(ctx context.Context, ref *order.Reference, read carrier.ReadReference) {
	read(order.RefFrPrefixes, func() (err error) {
		ref.FrPrefixes, err = c.Prefixes(ctx)
		return err
	})
}
