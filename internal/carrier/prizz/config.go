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
}

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
	return c
}
