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

// redact returns a URL fit for a message: without user info or fragment,
// with every query value replaced by "…", and its path cut after the first
// segment ("/…"), or entirely when that segment itself looks like a token
// (a digit in it, or longer than 24 characters). Webhook and ping services
// keep their secret there: Slack /services/T/B/XXX, Discord
// /api/webhooks/ID/TOKEN, Teams /webhookb2/…, healthchecks.io /UUID.
// It is the one place URLs are redacted; redactError applies it to errors.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable URL)"
	}
	var b strings.Builder
	if u.Scheme != "" {
		b.WriteString(u.Scheme + "://")
	}
	b.WriteString(u.Host)
	if path := strings.TrimPrefix(u.EscapedPath(), "/"); path != "" {
		first, rest, more := strings.Cut(path, "/")
		switch {
		case strings.ContainsAny(first, "0123456789") || len(first) > 24:
			b.WriteString("/…")
		case more && rest != "":
			b.WriteString("/" + first + "/…")
		default:
			b.WriteString("/" + path)
		}
	} else if u.Path == "/" {
		b.WriteString("/")
	}
	if u.RawQuery != "" {
		var keys []string
		for _, kv := range strings.Split(u.RawQuery, "&") {
			k, _, _ := strings.Cut(kv, "=")
			keys = append(keys, k+"=…")
		}
		b.WriteString("?" + strings.Join(keys, "&"))
	}
	return b.String()
}

// redactError returns err with the URL of the *url.Error it holds, if any,
// redacted: net/http repeats the full URL, token included, in its errors.
// The *url.Error is changed in place; it is the one net/http made for this
// request.
func redactError(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		ue.URL = redact(ue.URL)
	}
	return err
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
		return fmt.Errorf("heartbeat %s: %w", redact(h.URL), redactError(err))
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
