package carrier

import (
	"fmt"
	"slices"

	"github.com/orderdrop/orderdrop/internal/order"
)

// Registration is what one carrier package tells the rest of orderdrop
// about itself: its name (the configuration section carriers.NAME, the
// ledger's and the metrics' carrier label), the order kinds it receives
// and the keys of its credentials under carriers.NAME, for messages.
type Registration struct {
	Name        string
	Kinds       []order.Kind
	Credentials []string
}

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
