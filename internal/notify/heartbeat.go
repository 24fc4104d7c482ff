package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// ErrBadURL is returned when a webhook or heartbeat URL is not absolute
// https (plain http is allowed to a loopback host only).
var ErrBadURL = errors.New("URL must be https://… (plain http only to a loopback host)")

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: %q", ErrBadURL, redact(raw))
	}
	if u.Scheme == "https" || (u.Scheme == "http" && carrier.IsLoopback(u.Hostname())) {
		return nil
	}
	return fmt.Errorf("%w: %q", ErrBadURL, redact(raw))
}

// redact drops the query string and user info from a URL for messages:
// ping services and webhooks often carry their token there.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	s := u.String()
	// Slack-style webhook URLs hold the secret in the path.
	if i := strings.Index(s, "/services/"); i >= 0 {
		s = s[:i] + "/services/…"
	}
	return s
}

// ErrRedirect is returned when a webhook or heartbeat URL answers with a
// redirect: it is not followed, since the digest, its signature or the
// ping's token would go to a host nobody configured.
var ErrRedirect = errors.New("redirect not followed")

// noRedirects returns a copy of c that hands a redirect back instead of
// following it.
func noRedirects(c *http.Client) *http.Client {
	cc := *c
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cc
}

// redirectError says where a 3xx answer pointed (redacted) and what to do.
func redirectError(resp *http.Response) error {
	loc := "no Location"
	if u, err := resp.Location(); err == nil {
		loc = redact(u.String())
	}
	return fmt.Errorf("HTTP %d redirected to %s: %w: set the URL to the final address", resp.StatusCode, loc, ErrRedirect)
}

// Heartbeat pings a dead-man's switch URL after every successful pass.
type Heartbeat struct {
	URL    string       // https, or http to a loopback host
	Method string       // GET or POST; "" = GET
	Client *http.Client // nil = a client with a 10s timeout
}

// NewHeartbeat checks the URL and method.
func NewHeartbeat(rawURL, method string) (*Heartbeat, error) {
	if err := checkURL(rawURL); err != nil {
		return nil, fmt.Errorf("heartbeat: %w", err)
	}
	method = strings.ToUpper(method)
	if method == "" {
		method = http.MethodGet
	}
	if method != http.MethodGet && method != http.MethodPost {
		return nil, fmt.Errorf("heartbeat method %q: use GET or POST", method)
	}
	return &Heartbeat{URL: rawURL, Method: method, Client: &http.Client{Timeout: 10 * time.Second}}, nil
}

// Ping sends one request; any 2xx is success.
func (h *Heartbeat) Ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, h.Method, h.URL, nil)
	if err != nil {
		return fmt.Errorf("heartbeat request: %w", err)
	}
	c := h.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := noRedirects(c).Do(req)
	if err != nil {
		return fmt.Errorf("heartbeat %s: %w", redact(h.URL), err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return fmt.Errorf("heartbeat %s: %w", redact(h.URL), redirectError(resp))
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return fmt.Errorf("heartbeat %s: HTTP %d", redact(h.URL), resp.StatusCode)
	}
	return nil
}
