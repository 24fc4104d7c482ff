// Package netwo submits fr-port orders (French number portability) to the
// Netwo marketplace API: prefix service lookup, POST /cart,
// GET /cart/{id}/lines, POST /orders.
package netwo

import (
	"github.com/orderdrop/orderdrop/internal/carrier"
)

// Documented defaults for what the public docs do not pin down.
const (
	// DefaultBaseURL is Netwo's production API.
	DefaultBaseURL = "https://api.netwo.io/api/v1"
	// DefaultRoutingPrefix is the routing value for a port routed on our prefix.
	DefaultRoutingPrefix = "routing_on_prefix"
	// DefaultRoutingSIPTrunk is the routing value for a port routed onto a C5
	// SIP trunk. NOT documented publicly (the changelog only describes it in
	// words); this is our guess, configurable.
	DefaultRoutingSIPTrunk = "routing_on_sip_trunk"
	// DefaultTrackPath is the order status GET, {order_id} replaced. Netwo
	// publishes no such endpoint; our guess, configurable.
	DefaultTrackPath = "/orders/{order_id}"
	// DefaultPageSize is the page size of the prefix service lookup.
	DefaultPageSize = 1000
)

// Checkpoint keys saved between the steps of a submission.
const (
	CheckpointCartID     = "cart_id"
	CheckpointCartLineID = "cart_line_id"
)

// Config configures a Netwo client.
type Config struct {
	HTTP            carrier.HTTPOptions // BaseURL "" = DefaultBaseURL
	APIKey          string              // sent as X-Api-Key
	ActorSlug       string              // sent as X-Actor-Slug
	RoutingPrefix   string              // "" = DefaultRoutingPrefix
	RoutingSIPTrunk string              // "" = DefaultRoutingSIPTrunk (undocumented value)
	PageSize        int                 // 0 = DefaultPageSize
	// Track turns order tracking on. false (the default) = off: Netwo
	// documents no order status endpoint, so it is used only once confirmed.
	Track bool
	// TrackPath is the order status GET; {order_id} is replaced by the
	// order's id. "" = DefaultTrackPath.
	TrackPath string
}

func (c Config) withDefaults() Config {
	if c.HTTP.BaseURL == "" {
		c.HTTP.BaseURL = DefaultBaseURL
	}
	if c.RoutingPrefix == "" {
		c.RoutingPrefix = DefaultRoutingPrefix
	}
	if c.RoutingSIPTrunk == "" {
		c.RoutingSIPTrunk = DefaultRoutingSIPTrunk
	}
	if c.TrackPath == "" {
		c.TrackPath = DefaultTrackPath
	}
	if c.PageSize <= 0 {
		c.PageSize = DefaultPageSize
	}
	return c
}
