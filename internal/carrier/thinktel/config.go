// Package thinktel submits ca-port orders (Canadian/US number port-ins) to
// Thinktel's uControl REST API: onto an existing SIP trunk (DIDs) or onto a
// new service whose offering type (1..7) picks the endpoint.
package thinktel

import (
	"github.com/orderdrop/orderdrop/internal/carrier"
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
