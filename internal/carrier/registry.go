package carrier

import (
	"context"
	"fmt"
	"slices"

	"github.com/orderdrop/orderdrop/internal/config/secret"
	"github.com/orderdrop/orderdrop/internal/order"
)

// Registration is what one carrier package tells the rest of orderdrop
// about itself: its name (the configuration section carriers.NAME, the
// ledger's and the metrics' carrier label), the order kinds it receives
// and the keys of its credentials under carriers.NAME, for messages.
type Registration struct {
	Name string
	// Title is the carrier as people write it in messages: "Thinktel".
	Title       string
	Kinds       []order.Kind
	Credentials []string
	// References are the lists of reference data the client's
	// LoadReference reads, each with its label in messages ("Thinktel's SIP
	// trunks": "could not read Thinktel's SIP trunks").
	References map[order.RefData]string
	// Needs lists the reference data that the online checks (or the client)
	// use for o; nil for an order of another carrier. While one of them
	// cannot be read, o is not sent: it could carry a value the carrier
	// refuses, or cannot be sent at all. Keep it in step with the online
	// checks. nil = none.
	Needs func(o *order.Order) []order.RefData
	// NewSection returns the carrier's configuration section, carriers.NAME,
	// empty: a pointer to a struct decoded from YAML that embeds HTTPSection.
	NewSection func() Section
	// New builds the carrier's client for one run from its section (filled
	// and checked) and the HTTP options made of it.
	New func(s Section, b Build) (Client, error)
}

// Section is one carrier's configuration section, carriers.NAME.
type Section interface {
	// Common is the HTTP configuration every carrier has.
	Common() *HTTPSection
	// Secrets are the section's credentials by key under carriers.NAME.
	Secrets() map[string]*secret.Secret
	// ApplyDefaults gives every key left out its default.
	ApplyDefaults()
	// Check lists the values that cannot be used (key under carriers.NAME:
	// what is wrong), after ApplyDefaults.
	Check() []Problem
	// TrackingOff says why the carrier's orders are not followed, for the
	// log; "" = they are.
	TrackingOff() string
}

// Problem is a value of a section that cannot be used.
type Problem struct {
	Key     string // under carriers.NAME, e.g. "track_path"
	Message string // what is wrong and what to write
}

// Build is what a client needs beyond its section.
type Build struct {
	HTTP HTTPOptions
	// TrackingPageSize is tracking.page_size: orders looked up at once.
	TrackingPageSize int
}

// Client is a carrier's client for one run. The submitting, tracking and
// reconciling it offers are found by the consumers against their own
// interfaces (batch.Submitter, track.Tracker, batch.Reconciler).
type Client interface {
	// LoadReference reads the carrier's reference data into ref, each list
	// through read (which may skip it); see ReadReference.
	LoadReference(ctx context.Context, ref *order.Reference, read ReadReference)
	// Close releases the client's idle connections.
	Close()
}

// ReadReference runs fetch, the reading of list d, unless the carrier is
// stopped; it reports whether fetch ran and succeeded.
type ReadReference func(d order.RefData, fetch func() error) bool

// Registry maps order kinds to the carriers that receive them. It is
// filled once, by one Register line per carrier (see package
// carrier/registry), and only read afterwards.
type Registry struct {
	carriers []Registration
	byKind   map[order.Kind]string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byKind: map[order.Kind]string{}}
}

// Register adds a carrier. It panics on a carrier or kind registered twice:
// that is a programming error found by any test.
func (r *Registry) Register(c Registration) {
	if c.Name == "" || r.Lookup(c.Name) != nil {
		panic(fmt.Sprintf("carrier: %q registered twice or without a name", c.Name))
	}
	for _, k := range c.Kinds {
		if prev, ok := r.byKind[k]; ok {
			panic(fmt.Sprintf("carrier: kind %s registered by %s and %s", k, prev, c.Name))
		}
		r.byKind[k] = c.Name
	}
	r.carriers = append(r.carriers, c)
}

// Lookup returns the carrier named name, or nil.
func (r *Registry) Lookup(name string) *Registration {
	for i := range r.carriers {
		if r.carriers[i].Name == name {
			return &r.carriers[i]
		}
	}
	return nil
}

// Of names the carrier that receives orders of kind k ("" for none).
func (r *Registry) Of(k order.Kind) string {
	return r.byKind[k]
}

// Label is how messages name reference data d: its carrier's label, or d
// itself when no carrier reads it.
func (r *Registry) Label(d order.RefData) string {
	for _, c := range r.carriers {
		if l, ok := c.References[d]; ok {
			return l
		}
	}
	return string(d)
}

// Needs lists the reference data that o's online checks (or its carrier
// client) use, as its carrier says (Registration.Needs).
func (r *Registry) Needs(o *order.Order) []order.RefData {
	var out []order.RefData
	for _, c := range r.carriers {
		if c.Needs != nil {
			out = append(out, c.Needs(o)...)
		}
	}
	return out
}

// Names lists the registered carriers in registration order.
func (r *Registry) Names() []string {
	var out []string
	for _, c := range r.carriers {
		out = append(out, c.Name)
	}
	return out
}

// Registrations lists the registered carriers in registration order.
func (r *Registry) Registrations() []Registration {
	return slices.Clone(r.carriers)
}
