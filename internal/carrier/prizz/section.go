package prizz

import (
	"context"
	"fmt"
	"strings"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/config/secret"
	"github.com/orderdrop/orderdrop/internal/order"
)

// needs lists the reference data the checks of an l2 order use.
func needs(o *order.Order) []order.RefData {
	l2 := o.L2
	if l2 == nil {
		return nil
	}
	var out []order.RefData
	if l2.GTRContactHO != 0 || l2.GTRContactHNO != 0 || l2.OrderContactID != 0 || len(l2.FollowContactIDs) > 0 {
		out = append(out, order.RefL2Contacts)
	}
	if l2.PortRef != "" {
		out = append(out, order.RefL2Ports)
	}
	return out
}

// Registration is what package prizz provides: l2 orders, configured under
// carriers.prizz.
func Registration() carrier.Registration {
	return carrier.Registration{
		Name:        "prizz",
		Title:       "Prizz",
		Kinds:       []order.Kind{order.L2},
		Credentials: []string{"email", "password"},
		References: map[order.RefData]string{
			order.RefL2Contacts: "Prizz's operator contacts",
			order.RefL2Ports:    "Prizz's delivery ports",
		},
		Needs:      needs,
		NewSection: func() carrier.Section { return &Section{} },
		New: func(s carrier.Section, b carrier.Build) (carrier.Client, error) {
			p := s.(*Section)
			c, err := New(Config{HTTP: b.HTTP, Email: p.Email.Value(), Password: p.Password.Value(),
				AuthPath: p.AuthPath, OrderPath: p.OrderPath, ContactsPath: p.ContactsPath, PortsPath: p.PortsPath,
				Tracking: p.Tracking, APIToken: p.APIToken.Value(), ContractsPath: p.ContractsPath, ContractRefFields: p.ContractRefFields,
				ContractsPageSize: b.TrackingPageSize,
				LegacyTrackPath:   p.LegacyTrackPath, LegacyStatusField: p.LegacyStatusField, LegacyMessageField: p.LegacyMessageField, LegacyDateField: p.LegacyDateField})
			if err != nil {
				return nil, err
			}
			return c, nil
		},
	}
}

// Section configures the l2 carrier (legacy API): carriers.prizz.
type Section struct {
	carrier.HTTPSection `yaml:",inline"`
	Email               secret.Secret `yaml:"email"`
	Password            secret.Secret `yaml:"password"`
	// Paths of the legacy API. The public pages do not show the L2 order
	// path; "" = "/sicom/commande/l2". Auth "" = "/sicom/auth", contacts ""
	// = "/sicom/contacts", delivery ports "" = "/sicom/interfaceLivraison".
	OrderPath    string `yaml:"order_path"`
	AuthPath     string `yaml:"auth_path"`
	ContactsPath string `yaml:"contacts_path"`
	PortsPath    string `yaml:"ports_path"`
	// Tracking of l2 orders: "v2" (the documented service contracts list,
	// the default), "legacy" (the legacy tracking call, not public: path
	// and fields below) or "off".
	Tracking string `yaml:"tracking"`
	// APIToken is the v2 API token (Authorization: Token …). "" = the
	// legacy bearer token is sent to the v2 API.
	APIToken secret.Secret `yaml:"api_token"`
	// ContractsPath "" = "/external-api/v2/service_contracts".
	ContractsPath string `yaml:"contracts_path"`
	// ContractRefFields are the service contract fields holding the order's
	// ref. nil = [ref_service, ref_client].
	ContractRefFields []string `yaml:"contract_ref_fields"`
	// Legacy tracking call: path ({ref} replaced) "" = "/sicom/suivi/{ref}";
	// answer fields "" = "statut", "commentaire", "dateMiseEnService".
	LegacyTrackPath    string `yaml:"legacy_track_path"`
	LegacyStatusField  string `yaml:"legacy_status_field"`
	LegacyMessageField string `yaml:"legacy_message_field"`
	LegacyDateField    string `yaml:"legacy_date_field"`
}

// Common is the section's HTTP configuration.
func (s *Section) Common() *carrier.HTTPSection { return &s.HTTPSection }

// Secrets are the section's credentials by key.
func (s *Section) Secrets() map[string]*secret.Secret {
	return map[string]*secret.Secret{"email": &s.Email, "password": &s.Password, "api_token": &s.APIToken}
}

// ApplyDefaults gives every key left out its default.
func (s *Section) ApplyDefaults() {
	s.HTTPSection.ApplyDefaults()
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&s.OrderPath, DefaultOrderPath)
	def(&s.AuthPath, DefaultAuthPath)
	def(&s.ContactsPath, DefaultContactsPath)
	def(&s.PortsPath, DefaultPortsPath)
	def(&s.Tracking, TrackV2)
	def(&s.ContractsPath, DefaultContractsPath)
	if s.ContractRefFields == nil {
		s.ContractRefFields = DefaultContractRefFields()
	}
	def(&s.LegacyTrackPath, DefaultLegacyTrackPath)
	def(&s.LegacyStatusField, DefaultLegacyStatusField)
	def(&s.LegacyMessageField, DefaultLegacyMessageField)
	def(&s.LegacyDateField, DefaultLegacyDateField)
}

// Check lists the values that cannot be used.
func (s *Section) Check() []carrier.Problem {
	var out []carrier.Problem
	switch s.Tracking {
	case TrackV2, TrackLegacy, TrackOff:
	default:
		out = append(out, carrier.Problem{Key: "tracking", Message: fmt.Sprintf("%q must be v2, legacy or off", s.Tracking)})
	}
	if !strings.Contains(s.LegacyTrackPath, "{ref}") {
		out = append(out, carrier.Problem{Key: "legacy_track_path", Message: fmt.Sprintf("%q must contain {ref}", s.LegacyTrackPath)})
	}
	return out
}

// TrackingOff says why l2 orders are not followed ("" = they are).
func (s *Section) TrackingOff() string {
	if s.Tracking != TrackOff {
		return ""
	}
	return "prizz tracking is off (carriers.prizz.tracking: off): l2 orders are not followed"
}

// LoadReference reads Prizz's operator contacts and delivery ports, each
// on its own.
func (c *Client) LoadReference(ctx context.Context, ref *order.Reference, read carrier.ReadReference) {
	read(order.RefL2Contacts, func() error {
		contacts, err := c.Contacts(ctx)
		if err == nil {
			ref.L2Contacts = map[int]bool{}
			for _, id := range contacts {
				ref.L2Contacts[id] = true
			}
		}
		return err
	})
	read(order.RefL2Ports, func() error {
		ports, err := c.Ports(ctx)
		if err == nil {
			ref.L2Ports = map[string]bool{}
			for _, p := range ports {
				ref.L2Ports[p] = true
			}
		}
		return err
	})
}
