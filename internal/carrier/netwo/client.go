package netwo

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// Client talks to Netwo. One Client per run: it caches the prefix lookup.
// It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *carrier.HTTP

	mu       sync.Mutex
	prefixes map[string]string // prefix_hosting resource → service_id; nil until looked up
}

// New builds a Netwo client.
func New(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if cfg.APIKey == "" || cfg.ActorSlug == "" {
		return nil, fmt.Errorf("netwo: api key and actor slug are required: %w", carrier.ErrMissingCredentials)
	}
	h, err := carrier.NewHTTP(cfg.HTTP)
	if err != nil {
		return nil, fmt.Errorf("netwo: %w", err)
	}
	return &Client{cfg: cfg, http: h}, nil
}

// Close releases idle connections.
func (c *Client) Close() { c.http.Close() }

// do sends req with Netwo's credentials.
func (c *Client) do(ctx context.Context, req carrier.Request) (*carrier.Response, error) {
	req.Header = http.Header{}
	req.Header.Set("X-Api-Key", c.cfg.APIKey)
	req.Header.Set("X-Actor-Slug", c.cfg.ActorSlug)
	return c.http.Do(ctx, req)
}
