// Package prizz submits l2 orders ("Souscription L2") to Prizz Telecom's
// legacy API: POST /sicom/auth for a bearer token, then the order POST.
package prizz

import (
	"time"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// Documented defaults for what the public docs do not pin down.
const (
	// DefaultBaseURL is Prizz's production host.
	DefaultBaseURL = "https://my.prizz-telecom.fr"
	// DefaultAuthPath is the legacy authentication call.
	DefaultAuthPath = "/sicom/auth"
	// DefaultOrderPath is the "Souscription L2" POST. UNKNOWN publicly (the
	// page's URLs were not in the stored text); our guess, configurable.
	DefaultOrderPath = "/sicom/commande/l2"
	// DefaultContactsPath is the contacts web service (GET). Path UNKNOWN publicly.
	DefaultContactsPath = "/sicom/contacts"
	// DefaultPortsPath is the interfaceLivraison web service (GET). Path UNKNOWN publicly.
	DefaultPortsPath = "/sicom/interfaceLivraison"
	// DefaultTokenLifetime applies when the auth answer has no expiresIn.
	DefaultTokenLifetime = time.Hour
	// DefaultContractsPath is the v2 service contracts list, the documented
	// tracking call (GET, ?search=&page=&items_per_page=).
	DefaultContractsPath = "/external-api/v2/service_contracts"
	// DefaultLegacyTrackPath is the legacy tracking call ("API de suivi"),
	// {ref} replaced by the order's ref. UNKNOWN publicly; our guess.
	DefaultLegacyTrackPath = "/sicom/suivi/{ref}"
	// Default field names of the legacy tracking answer (UNKNOWN publicly).
	DefaultLegacyStatusField  = "statut"
	DefaultLegacyMessageField = "commentaire"
	DefaultLegacyDateField    = "dateMiseEnService"
	// DefaultContractsPageSize is items_per_page of the contracts list.
	DefaultContractsPageSize = 50
	// renewEarly renews a token this long before it expires.
	renewEarly = time.Minute
)

// Config configures a Prizz client.
type Config struct {
	HTTP         carrier.HTTPOptions // BaseURL "" = DefaultBaseURL
	Email        string              // legacy login
	Password     string              // legacy password, sent as "mdp"
	AuthPath     string              // "" = DefaultAuthPath
	OrderPath    string              // "" = DefaultOrderPath
	ContactsPath string              // "" = DefaultContactsPath
	PortsPath    string              // "" = DefaultPortsPath

	// Tracking picks how submitted orders are followed: TrackV2 ("" too),
	// TrackLegacy or TrackOff.
	Tracking string
	// APIToken is the v2 token ("Authorization: Token …"); "" = send the
	// legacy bearer token to the v2 API instead.
	APIToken          string
	ContractsPath     string   // "" = DefaultContractsPath
	ContractRefFields []string // contract fields matched against the order's ref; nil = ref_service, ref_client
	ContractsPageSize int      // 0 = DefaultContractsPageSize
	// Legacy tracking: the path ({ref} is replaced) and the answer's field
	// names; "" = the Default… values above.
	LegacyTrackPath, LegacyStatusField, LegacyMessageField, LegacyDateField string
}

// Tracking modes of Config.Tracking.
const (
	TrackV2     = "v2"
	TrackLegacy = "legacy"
	TrackOff    = "off"
)

func (c Config) withDefaults() Config {
	if c.HTTP.BaseURL == "" {
		c.HTTP.BaseURL = DefaultBaseURL
	}
	if c.AuthPath == "" {
		c.AuthPath = DefaultAuthPath
	}
	if c.OrderPath == "" {
		c.OrderPath = DefaultOrderPath
	}
	if c.ContactsPath == "" {
		c.ContactsPath = DefaultContactsPath
	}
	if c.PortsPath == "" {
		c.PortsPath = DefaultPortsPath
	}
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&c.Tracking, TrackV2)
	def(&c.ContractsPath, DefaultContractsPath)
	def(&c.LegacyTrackPath, DefaultLegacyTrackPath)
	def(&c.LegacyStatusField, DefaultLegacyStatusField)
	def(&c.LegacyMessageField, DefaultLegacyMessageField)
	def(&c.LegacyDateField, DefaultLegacyDateField)
	if c.ContractRefFields == nil {
		c.ContractRefFields = DefaultContractRefFields()
	}
	if c.ContractsPageSize <= 0 {
		c.ContractsPageSize = DefaultContractsPageSize
	}
	return c
}

// DefaultContractRefFields are the service contract fields holding an
// order's ref, when the configuration names none.
func DefaultContractRefFields() []string {
	return []string{"ref_service", "ref_client"}
}
