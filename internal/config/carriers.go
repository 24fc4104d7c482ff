package config

import (
	"github.com/orderdrop/orderdrop/internal/carrier/netwo"
	"github.com/orderdrop/orderdrop/internal/carrier/prizz"
	"github.com/orderdrop/orderdrop/internal/carrier/registry"
)

// section is one carrier's configuration as the code shared by every
// carrier sees it: its HTTP settings and its secrets by key under
// carriers.NAME.
type section struct {
	http    *HTTP
	secrets map[string]*Secret
}

// sections is the one table of carrier sections, by carrier name.
func (c *Carriers) sections() map[string]section {
	return map[string]section{
		"netwo":    {&c.Netwo.HTTP, map[string]*Secret{"api_key": &c.Netwo.APIKey, "actor_slug": &c.Netwo.ActorSlug}},
		"prizz":    {&c.Prizz.HTTP, map[string]*Secret{"email": &c.Prizz.Email, "password": &c.Prizz.Password, "api_token": &c.Prizz.APIToken}},
		"thinktel": {&c.Thinktel.HTTP, map[string]*Secret{"username": &c.Thinktel.Username, "password": &c.Thinktel.Password}},
	}
}

// Names lists the carriers, in the registry's order.
func (c *Carriers) Names() []string {
	return registry.Carriers.Names()
}

// HTTPOf returns the HTTP settings of carriers.NAME, or nil for a name
// that is no carrier.
func (c *Carriers) HTTPOf(name string) *HTTP {
	s, ok := c.sections()[name]
	if !ok {
		return nil
	}
	return s.http
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
		s.http.BaseURL = ""
		if n == name {
			s.http.BaseURL = base
		}
	}
	return only, true
}

// applyDefaults takes each carrier's defaults from its package, their one
// home.
func (c *Carriers) applyDefaults() {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	for _, s := range c.sections() {
		s.http.ApplyDefaults()
	}
	n := &c.Netwo
	def(&n.RoutingPrefix, netwo.DefaultRoutingPrefix)
	def(&n.RoutingSIPTrunk, netwo.DefaultRoutingSIPTrunk)
	def(&n.TrackPath, netwo.DefaultTrackPath)
	p := &c.Prizz
	def(&p.OrderPath, prizz.DefaultOrderPath)
	def(&p.AuthPath, prizz.DefaultAuthPath)
	def(&p.ContactsPath, prizz.DefaultContactsPath)
	def(&p.PortsPath, prizz.DefaultPortsPath)
	def(&p.Tracking, prizz.TrackV2)
	def(&p.ContractsPath, prizz.DefaultContractsPath)
	if p.ContractRefFields == nil {
		p.ContractRefFields = prizz.DefaultContractRefFields()
	}
	def(&p.LegacyTrackPath, prizz.DefaultLegacyTrackPath)
	def(&p.LegacyStatusField, prizz.DefaultLegacyStatusField)
	def(&p.LegacyMessageField, prizz.DefaultLegacyMessageField)
	def(&p.LegacyDateField, prizz.DefaultLegacyDateField)
}
