package thinktel

import (
	"context"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/config/secret"
	"github.com/orderdrop/orderdrop/internal/order"
)

// needs lists the reference data the checks of a ca-port order use.
func needs(o *order.Order) []order.RefData {
	if o.CaPort == nil {
		return nil
	}
	var out []order.RefData
	if o.CaPort.PilotNumber != 0 {
		out = append(out, order.RefCaTrunks)
	}
	if o.CaPort.OfferingID != "" { // cannot be sent without its type
		out = append(out, order.RefCaOfferings)
	}
	if o.CaPort.Form.CurrentProvider != 0 {
		out = append(out, order.RefCaProviders)
	}
	return out
}

// Registration is what package thinktel provides: ca-port orders,
// configured under carriers.thinktel.
func Registration() carrier.Registration {
	return carrier.Registration{
		Name:        "thinktel",
		Title:       "Thinktel",
		Kinds:       []order.Kind{order.CaPort},
		Credentials: []string{"username", "password"},
		References: map[order.RefData]string{
			order.RefCaTrunks:    "Thinktel's SIP trunks",
			order.RefCaOfferings: "Thinktel's telephone offerings",
			order.RefCaProviders: "Thinktel's losing-carrier list",
		},
		Needs:      needs,
		NewSection: func() carrier.Section { return &Section{} },
		New: func(s carrier.Section, b carrier.Build) (carrier.Client, error) {
			t := s.(*Section)
			c, err := New(Config{HTTP: b.HTTP, Username: t.Username.Value(), Password: t.Password.Value()})
			if err != nil {
				return nil, err
			}
			return c, nil
		},
	}
}

// Section configures the ca-port carrier: carriers.thinktel.
type Section struct {
	carrier.HTTPSection `yaml:",inline"`
	Username            secret.Secret `yaml:"username"`
	Password            secret.Secret `yaml:"password"`
}

// Common is the section's HTTP configuration.
func (s *Section) Common() *carrier.HTTPSection { return &s.HTTPSection }

// Secrets are the section's credentials by key.
func (s *Section) Secrets() map[string]*secret.Secret {
	return map[string]*secret.Secret{"username": &s.Username, "password": &s.Password}
}

// ApplyDefaults gives every key left out its default.
func (s *Section) ApplyDefaults() { s.HTTPSection.ApplyDefaults() }

// Check lists the values that cannot be used: none beyond the HTTP ones.
func (s *Section) Check() []carrier.Problem { return nil }

// TrackingOff is "": ca-port orders are always followed.
func (s *Section) TrackingOff() string { return "" }

// LoadReference reads Thinktel's SIP trunks, offerings and losing-carrier
// list, each on its own.
func (c *Client) LoadReference(ctx context.Context, ref *order.Reference, read carrier.ReadReference) {
	read(order.RefCaTrunks, func() error {
		trunks, err := c.SipTrunks(ctx)
		if err == nil {
			ref.CaTrunks = map[int64]bool{}
			for _, t := range trunks {
				ref.CaTrunks[t] = true
			}
		}
		return err
	})
	read(order.RefCaOfferings, func() error {
		offs, err := c.Offerings(ctx)
		if err == nil {
			ref.CaOfferings = map[string]int{}
			for id, o := range offs {
				ref.CaOfferings[id] = o.Type
			}
		}
		return err
	})
	read(order.RefCaProviders, func() error {
		providers, err := c.Providers(ctx)
		if err == nil {
			ref.CaProviders = map[int32]string{}
			for _, p := range providers {
				ref.CaProviders[p.ID] = p.Name
			}
		}
		return err
	})
}
