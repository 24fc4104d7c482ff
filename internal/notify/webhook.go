package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers of a webhook request.
const (
	// SignatureHeader holds "sha256=" and the hex HMAC-SHA256, keyed with the
	// webhook secret, of TIMESTAMP + "." + BODY.
	SignatureHeader = "X-Orderdrop-Signature"
	// TimestampHeader holds the Unix time of sending, in seconds; receivers
	// should refuse one too far from their clock (replays).
	TimestampHeader = "X-Orderdrop-Timestamp"
	// DigestHeader holds the digest ID (the same on every retry).
	DigestHeader = "X-Orderdrop-Digest"
)

// WebhookOptions configure the webhook channel.
type WebhookOptions struct {
	URL    string // required; https, or http to a loopback host
	Secret string // HMAC key; "" = unsigned (discouraged)
	// MaxAttempts per delivery, the first included. 0 = 3.
	MaxAttempts int
	// Backoff is the wait before attempt n+1 (n ≥ 1). nil = 1s·2^(n-1).
	Backoff func(n int) time.Duration
	// Timeout bounds each request (AttemptTimeout of the channel's budget).
	// 0 = 10s.
	Timeout time.Duration
	// Client sends the requests. nil = a client with Timeout.
	Client *http.Client
	// Now stamps the timestamp header. nil = time.Now.
	Now func() time.Time
}

// Webhook posts digests as JSON: a Slack/Teams-compatible "text" field
// (the digest as text) and "digest", the structured digest.
type Webhook struct{ opts WebhookOptions }

// WebhookBody is the JSON a webhook receives.
type WebhookBody struct {
	Text   string  `json:"text"`
	Digest *Digest `json:"digest"`
}

// NewWebhook checks opts and returns the webhook channel.
func NewWebhook(opts WebhookOptions) (*Webhook, error) {
	if err := checkURL(opts.URL); err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 3
	}
	if opts.Backoff == nil {
		opts.Backoff = func(n int) time.Duration { return time.Second << min(n-1, 5) }
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: opts.Timeout}
	}
	opts.Client = noRedirects(opts.Client)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Webhook{opts: opts}, nil
}

// Name implements Channel.
func (w *Webhook) Name() string { return "webhook" }

// Sign returns the signature header value of body sent at timestamp ts.
func Sign(secret string, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify reports whether sig is the signature of body sent at ts, in
// constant time. Receivers (and tests) use it.
func Verify(secret, ts string, body []byte, sig string) bool {
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(sig))
}

// errPermanent marks an answer a retry would not change (3xx, 4xx except
// 408/429).
var errPermanent = errors.New("refused by the receiver")

// Send implements Channel: POST with retries and backoff on network errors,
// 408, 429 and 5xx, until MaxAttempts or ctx ends.
func (w *Webhook) Send(ctx context.Context, d *Digest) error {
	body, err := json.Marshal(WebhookBody{Text: d.Text(), Digest: d})
	if err != nil {
		return fmt.Errorf("encode webhook body: %w", err)
	}
	var last error
	for n := 1; n <= w.opts.MaxAttempts; n++ {
		if n > 1 {
			t := time.NewTimer(w.opts.Backoff(n - 1))
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("webhook %s: %w (after %d attempts; last: %w)", redact(w.opts.URL), ctx.Err(), n-1, last)
			case <-t.C:
			}
		}
		last = w.post(ctx, d, body)
		if last == nil || errors.Is(last, errPermanent) {
			return last
		}
	}
	return fmt.Errorf("webhook %s: gave up after %d attempts: %w", redact(w.opts.URL), w.opts.MaxAttempts, last)
}

func (w *Webhook) post(ctx context.Context, d *Digest, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.opts.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook request: %w", err)
	}
	ts := strconv.FormatInt(w.opts.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(TimestampHeader, ts)
	req.Header.Set(DigestHeader, d.ID)
	if w.opts.Secret != "" {
		req.Header.Set(SignatureHeader, Sign(w.opts.Secret, ts, body))
	}
	resp, err := w.opts.Client.Do(req)
	if err != nil {
		return fmt.Errorf("post to %s: %w", redact(w.opts.URL), redactError(err))
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c >= 300 && c < 400:
		return fmt.Errorf("post to %s: %w: %w", redact(w.opts.URL), redirectError(resp), errPermanent)
	case c == http.StatusRequestTimeout || c == http.StatusTooManyRequests || c >= 500:
		return fmt.Errorf("post to %s: HTTP %d %s", redact(w.opts.URL), c, strings.TrimSpace(string(msg)))
	default:
		return fmt.Errorf("post to %s: HTTP %d %s: %w (check the URL and secret)", redact(w.opts.URL), c, strings.TrimSpace(string(msg)), errPermanent)
	}
}
