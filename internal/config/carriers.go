package config

import (
	"errors"
	"reflect"

	"gopkg.in/yaml.v3"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/registry"
)

// Carriers holds one section per registered carrier, decoded from
// carriers.NAME (each carrier package declares its section). A carrier
// without a base_url is not configured: its orders are validated but
// reported not_submitted. The zero value has no section: every carrier is
// unconfigured. Copies of a Carriers share its sections; Only makes an
// independent one.
type Carriers struct {
	sections map[string]carrier.Section
}

// NewCarriers returns an empty section for every registered carrier.
func NewCarriers() Carriers {
	c := Carriers{sections: map[string]carrier.Section{}}
	for _, reg := range registry.Carriers.Registrations() {
		c.sections[reg.Name] = reg.NewSection()
	}
	return c
}

// UnmarshalYAML decodes each carriers.NAME into its carrier's section.
// Unknown names are reported by checkKeys, with a suggestion.
func (c *Carriers) UnmarshalYAML(n *yaml.Node) error {
	if c.sections == nil {
		*c = NewCarriers()
	}
	if n.Kind != yaml.MappingNode {
		return errors.New("carriers must hold one section per carrier")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		s, ok := c.sections[n.Content[i].Value]
		if !ok {
			continue
		}
		if err := n.Content[i+1].Decode(s); err != nil {
			return err
		}
	}
	return nil
}

// carrierSectionType is the type of carriers.NAME's section, for checkKeys.
func carrierSectionType(name string) (reflect.Type, bool) {
	reg := registry.Carriers.Lookup(name)
	if reg == nil {
		return nil, false
	}
	return reflect.TypeOf(reg.NewSection()), true
}

// Names lists the carriers, in the registry's order.
func (c *Carriers) Names() []string {
	return registry.Carriers.Names()
}

// Section returns the section carriers.NAME, or nil for a name that is no
// carrier (or a Carriers not made by NewCarriers or a load).
func (c *Carriers) Section(name string) carrier.Section {
	return c.sections[name]
}

// HTTPOf returns the HTTP settings of carriers.NAME, or nil for a name
// that is no carrier.
func (c *Carriers) HTTPOf(name string) *HTTP {
	s, ok := c.sections[name]
	if !ok {
		return nil
	}
	return s.Common()
}

// Only returns a copy of the carriers with name alone configured, at base:
// every other carrier's base_url is cleared. ok is false for a name that
// is no carrier.
func (c *Carriers) Only(name, base string) (only Carriers, ok bool) {
	if _, ok := c.sections[name]; !ok {
		return Carriers{}, false
	}
	only = Carriers{sections: map[string]carrier.Section{}}
	for n, s := range c.sections {
		cp := reflect.New(reflect.TypeOf(s).Elem())
		cp.Elem().Set(reflect.ValueOf(s).Elem())
		sec := cp.Interface().(carrier.Section)
		sec.Common().BaseURL = ""
		if n == name {
			sec.Common().BaseURL = base
		}
		only.sections[n] = sec
	}
	return only, true
}
