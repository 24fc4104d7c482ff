package prizz

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// Client talks to Prizz's legacy API. It is safe for concurrent use; the
// bearer token is shared and renewed under a mutex.
type Client struct {
	cfg  Config
	http *carrier.HTTP
	now  func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

// New builds a Prizz client. No call is made until the first request.
func New(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if cfg.Email == "" || cfg.Password == "" {
		return nil, fmt.Errorf("prizz: email and password are required: %w", carrier.ErrMissingCredentials)
	}
	h, err := carrier.NewHTTP(cfg.HTTP)
	if err != nil {
		return nil, fmt.Errorf("prizz: %w", err)
	}
	return &Client{cfg: cfg, http: h, now: time.Now}, nil
}

// Close releases idle connections.
func (c *Client) Close() { c.http.Close() }

// bearer returns a valid token, authenticating when there is none, when it
// expires within a minute, or when stale is the current token (the carrier
// answered 401 to it). Concurrent callers share one renewal.
// Its retries end once stop is closed.
func (c *Client) bearer(ctx context.Context, stale string, stop <-chan struct{}) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.token != stale && c.now().Before(c.expires.Add(-renewEarly)) {
		return c.token, nil
	}
	tok, life, err := c.authenticate(ctx, stop)
	if err != nil {
		c.token = ""
		return "", err
	}
	c.token, c.expires = tok, c.now().Add(life)
	return tok, nil
}

// authenticate sends POST AuthPath {"email","mdp"}. Whatever fails, nothing
// was ordered: a refusal of the credentials (HTTP 401 or 403, or a legacy
// envelope saying so) is AuthRefused (fix the configuration; the next pass
// sends the order), anything else Retryable. Its retries end once stop is
// closed.
func (c *Client) authenticate(ctx context.Context, stop <-chan struct{}) (string, time.Duration, error) {
	body := map[string]string{"email": c.cfg.Email, "mdp": c.cfg.Password}
	resp, err := c.http.Do(ctx, carrier.Request{Op: "authenticate", Method: http.MethodPost, Path: c.cfg.AuthPath, Body: body, Idempotent: true, Stop: stop})
	if err != nil {
		var ce *carrier.Error
		if errors.As(err, &ce) {
			cp := *ce
			if cp.Class != carrier.AuthRefused {
				cp.Class = carrier.Retryable
			}
			cp.Message = "authenticate: " + ce.Message + " (nothing ordered)"
			cp.Err = err
			return "", 0, &cp
		}
		return "", 0, fmt.Errorf("authenticate: %w", err)
	}
	tok, ok := carrier.FindString(resp.Body, "accessToken", "token", "access_token")
	if !ok {
		if s, _ := carrier.FindString(resp.Body, "statusCode"); s == "401" || s == "403" {
			return "", 0, &carrier.Error{Class: carrier.AuthRefused, Status: resp.Status, Attempts: resp.Attempts,
				Message: fmt.Sprintf("authenticate: HTTP %d, envelope statusCode %s: %s (nothing ordered)", resp.Status, s, carrier.ExtractMessage(resp.Body))}
		}
		return "", 0, &carrier.Error{Class: carrier.Retryable, Status: resp.Status, Attempts: resp.Attempts,
			Message: fmt.Sprintf("authenticate: HTTP %d without accessToken (nothing ordered)", resp.Status)}
	}
	life := DefaultTokenLifetime
	if s, ok := carrier.FindString(resp.Body, "expiresIn", "expires_in"); ok {
		if secs, err := strconv.ParseFloat(s, 64); err == nil && secs > 0 {
			life = time.Duration(secs * float64(time.Second))
		}
	}
	return tok, life, nil
}

// do sends req with a bearer token; on 401 it renews the token once and
// sends the request once more (a 401 means nothing was processed). The
// authentication's retries end with req.Stop, like the request's.
func (c *Client) do(ctx context.Context, req carrier.Request) (*carrier.Response, error) {
	tok, err := c.bearer(ctx, "", req.Stop)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, req, tok)
	var ce *carrier.Error
	if !errors.As(err, &ce) || ce.Status != http.StatusUnauthorized {
		return resp, err
	}
	tok, err = c.bearer(ctx, tok, req.Stop)
	if err != nil {
		return nil, err
	}
	return c.send(ctx, req, tok)
}

func (c *Client) send(ctx context.Context, req carrier.Request, tok string) (*carrier.Response, error) {
	req.Header = http.Header{}
	req.Header.Set("Authorization", "Bearer "+tok)
	return c.http.Do(ctx, req)
}
