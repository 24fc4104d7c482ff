// Package thinktel submits ca-port orders (Canadian/US number port-ins) to
// Thinktel's uControl REST API: onto an existing SIP trunk (DIDs) or onto a
// new service whose offering type (1..7) picks the endpoint.
package thinktel

import (
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/order"
)

// DefaultBaseURL is Thinktel's uControl REST endpoint.
const DefaultBaseURL = "https://api.thinktel.ca/rest.svc"

// Config configures a Thinktel client.
type Config struct {
	HTTP     carrier.HTTPOptions // BaseURL "" = DefaultBaseURL
	Username string              // uControl user (HTTP Basic)
	Password string              // uControl password (HTTP Basic)
}

func (c Config) withDefaults() Config {
	if c.HTTP.BaseURL == "" {
		c.HTTP.BaseURL = DefaultBaseURL
	}
	return c
}

// Registration is what package thinktel provides: ca-port orders,
// configured under carriers.thinktel.
func Registration() carrier.Registration {
	return carrier.Registration{Name: "thinktel", Kinds: []order.Kind{order.CaPort}, Credentials: []string{"username", "password"}}
}
