package config

import (
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/registry"
)

// sections is the one table of carrier sections, by carrier name: the
// only place in this package that knows each carrier's field.
func (c *Carriers) sections() map[string]carrier.Section {
	return map[string]carrier.Section{"netwo": &c.Netwo, "prizz": &c.Prizz, "thinktel": &c.Thinktel}
}

// Names lists the carriers, in the registry's order.
func (c *Carriers) Names() []string {
	return registry.Carriers.Names()
}

// Section returns the section carriers.NAME, or nil for a name that is no
// carrier.
func (c *Carriers) Section(name string) carrier.Section {
	return c.sections()[name]
}

// HTTPOf returns the HTTP settings of carriers.NAME, or nil for a name
// that is no carrier.
func (c *Carriers) HTTPOf(name string) *HTTP {
	s, ok := c.sections()[name]
	if !ok {
		return nil
	}
	return s.Common()
}

// Only returns the carriers with name alone configured, at base: every
// other carrier's base_url is cleared. ok is false for a name that is no
// carrier.
func (c Carriers) Only(name, base string) (only Carriers, ok bool) {
	only = c
	secs := only.sections()
	if _, ok := secs[name]; !ok {
		return Carriers{}, false
	}
	for n, s := range secs {
		s.Common().BaseURL = ""
		if n == name {
			s.Common().BaseURL = base
		}
	}
	return only, true
}
