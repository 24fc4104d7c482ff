package thinktel

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"sync"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// Client talks to Thinktel. One Client per run: it caches the offerings.
// It is safe for concurrent use.
type Client struct {
	cfg   Config
	http  *carrier.HTTP
	basic string // Authorization header value

	mu        sync.Mutex
	offerings map[string]Offering // nil until looked up
}

// New builds a Thinktel client.
func New(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if cfg.Username == "" || cfg.Password == "" {
		return nil, fmt.Errorf("thinktel: username and password are required: %w", carrier.ErrMissingCredentials)
	}
	h, err := carrier.NewHTTP(cfg.HTTP)
	if err != nil {
		return nil, fmt.Errorf("thinktel: %w", err)
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.Username+":"+cfg.Password))
	return &Client{cfg: cfg, http: h, basic: basic}, nil
}

// Close releases idle connections.
func (c *Client) Close() { c.http.Close() }

// do sends req with HTTP Basic credentials and JSON content negotiation.
func (c *Client) do(ctx context.Context, req carrier.Request) (*carrier.Response, error) {
	req.Header = http.Header{}
	req.Header.Set("Authorization", c.basic)
	req.Header.Set("Accept", "application/json")
	if req.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.http.Do(ctx, req)
}
