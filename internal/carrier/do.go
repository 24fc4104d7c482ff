package carrier

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"
)

// Do sends req, retrying only when the carrier surely did not process it
// (nothing written, 429, 503; and for Idempotent lookups also other 5xx and
// resets, never a timeout: a carrier that hangs would cost MaxAttempts
// timeouts per lookup), with exponential backoff and full jitter, honouring Retry-After,
// bounded by MaxAttempts and MaxRetryTime. It returns the 2xx Response, or an
// *Error whose Class says what happened:
//   - 401, 403 → AuthRefused (the credentials, not the order), never retried;
//   - other 4xx except 429 → Rejected, with the carrier's message;
//   - 429, 503, or a failure before the request was written → Retryable once the budget is spent;
//   - a timeout or reset after the request was written, another 5xx, a 3xx → InDoubt, never retried;
//   - for a lookup, a timeout or a body over MaxResponseBytes → Retryable, not retried within Do
//     (the same question would hang, or get the same answer, again).
func (h *HTTP) Do(ctx context.Context, req Request) (*Response, error) {
	body, err := encodeBody(req.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: encode body: %w", req.Op, err)
	}
	target := h.target(req.Path, req.Query)
	deadline := time.Now().Add(h.opts.MaxRetryTime)
	for attempt := 1; ; attempt++ {
		resp, cerr := h.attempt(ctx, req, target, body, attempt)
		if cerr == nil {
			resp.Attempts = attempt
			return resp, nil
		}
		cerr.Attempts = attempt
		if !cerr.retry || ctx.Err() != nil {
			return nil, cerr
		}
		if attempt >= h.opts.MaxAttempts {
			cerr.Message += fmt.Sprintf(" (gave up after %d attempts)", attempt)
			return nil, cerr
		}
		wait := h.backoff(attempt, cerr.retryAfter)
		if time.Now().Add(wait).After(deadline) {
			cerr.Message += fmt.Sprintf(" (gave up after %d attempts: retry time budget %s spent)", attempt, h.opts.MaxRetryTime)
			return nil, cerr
		}
		if d, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(d) {
			cerr.Message += fmt.Sprintf(" (gave up after %d attempts: context deadline)", attempt)
			return nil, cerr
		}
		if h.opts.OnRetry != nil {
			h.opts.OnRetry(req.Op, RetryCause(cerr))
		}
		h.log.LogAttrs(ctx, slog.LevelDebug, "carrier retry",
			slog.String("op", req.Op), slog.Int("attempt", attempt), slog.Duration("wait", wait),
			slog.String("reason", cerr.Message))
		if err := sleep(ctx, wait, req.Stop); err != nil {
			cerr.Message += fmt.Sprintf(" (gave up after %d attempts: %v)", attempt, err)
			return nil, cerr
		}
	}
}

// RetryCause names why a failed attempt is retried, for metrics: "http_429",
// "http_503", "http_5xx" (lookups), "not_sent" (refused or failed before the
// request was written) or "after_write" (a lookup was reset).
func RetryCause(e *Error) string {
	switch {
	case e.Status == http.StatusTooManyRequests:
		return "http_429"
	case e.Status == http.StatusServiceUnavailable:
		return "http_503"
	case e.Status >= 500:
		return "http_5xx"
	case e.Status == 0 && strings.HasPrefix(e.Message, "not sent"):
		return "not_sent"
	}
	return "after_write"
}

func encodeBody(body any) ([]byte, error) {
	switch b := body.(type) {
	case nil:
		return nil, nil
	case []byte:
		return b, nil
	case json.RawMessage:
		return b, nil
	}
	return json.Marshal(body)
}

// attempt sends the request once and classifies what happened.
func (h *HTTP) attempt(ctx context.Context, req Request, target string, body []byte, n int) (*Response, *Error) {
	release, err := h.waitTurn(ctx)
	if err != nil {
		return nil, &Error{Class: Retryable, Message: "not sent: " + err.Error(), Err: err}
	}
	defer release()

	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			wrote.Store(true)
		}
	}}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), req.Method, target, rd)
	if err != nil {
		return nil, &Error{Class: Rejected, Message: "build request: " + err.Error(), Err: err}
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			hreq.Header.Add(k, v)
		}
	}
	hreq.Header.Set("User-Agent", h.opts.UserAgent)
	if hreq.Header.Get("Accept") == "" {
		hreq.Header.Set("Accept", "application/json")
	}
	if body != nil && hreq.Header.Get("Content-Type") == "" {
		hreq.Header.Set("Content-Type", "application/json")
	}
	h.logRequest(ctx, req, hreq, body, n)

	start := time.Now()
	resp, err := h.client.Do(hreq)
	if err != nil {
		return nil, h.transportError(ctx, req, err, wrote.Load(), start)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		// The carrier answered, so it received the request.
		return nil, h.afterWrite(req, fmt.Sprintf("HTTP %d, reading the body failed after %s: %v", resp.StatusCode, since(start), err), resp.StatusCode, err, !isTimeout(err))
	}
	h.logResponse(ctx, req, resp, data, start)
	if len(data) > MaxResponseBytes {
		return nil, h.afterWrite(req, fmt.Sprintf("HTTP %d with a body over %d bytes, not read", resp.StatusCode, MaxResponseBytes), resp.StatusCode, nil, false)
	}
	return classifyStatus(req, resp, data)
}

// transportError classifies a failure of client.Do: before the request was
// written it is Retryable; after, InDoubt (Retryable for lookups).
func (h *HTTP) transportError(ctx context.Context, req Request, err error, wrote bool, start time.Time) *Error {
	what := describeTransport(err)
	if !wrote {
		e := &Error{Class: Retryable, Message: "not sent: " + what, Err: err, retry: true, unreachable: unreachable(err)}
		if ctx.Err() != nil {
			e.retry, e.unreachable = false, ""
		}
		return e
	}
	return h.afterWrite(req, fmt.Sprintf("request sent, then %s after %s", what, since(start)), 0, err, !isTimeout(err))
}

// afterWrite is the class of a failure once the carrier had the request.
// A lookup (Idempotent) is Retryable, and retried within Do only when
// retry: never after a timeout or an oversized body.
func (h *HTTP) afterWrite(req Request, msg string, status int, err error, retry bool) *Error {
	if req.Idempotent {
		return &Error{Class: Retryable, Status: status, Message: msg, Err: err, retry: retry}
	}
	return &Error{Class: InDoubt, Status: status, Message: msg + "; the carrier may have processed it", Err: err}
}

// isTimeout reports whether err is a timeout (the client's, a deadline, or
// the transport's).
func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &te) && te.Timeout())
}

func describeTransport(err error) string {
	var ue interface{ Timeout() bool }
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout (context deadline)"
	case errors.As(err, &ue) && ue.Timeout():
		return "timeout: " + err.Error()
	}
	return err.Error()
}

// classifyStatus turns a complete response into a Response (2xx) or an Error.
func classifyStatus(req Request, resp *http.Response, data []byte) (*Response, *Error) {
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		return &Response{Status: code, Header: resp.Header, Body: data}, nil
	}
	// The carrier's message is only read for failures: extracting it from
	// every accepted answer cost more than the rest of the request.
	status := fmt.Sprintf("HTTP %d", code)
	if msg := ExtractMessage(data); msg != "" {
		status += ": " + msg
	}
	switch {
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		return nil, &Error{Class: Retryable, Status: code, Message: status, retry: true,
			retryAfter: ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return nil, &Error{Class: AuthRefused, Status: code, Message: status}
	case code >= 400 && code < 500:
		return nil, &Error{Class: Rejected, Status: code, Message: status}
	case code >= 500 && req.Idempotent:
		return nil, &Error{Class: Retryable, Status: code, Message: status, retry: true}
	case code >= 500:
		return nil, &Error{Class: InDoubt, Status: code, Message: status + "; the carrier may have processed it"}
	case req.Idempotent:
		return nil, &Error{Class: Rejected, Status: code, Message: status + " (unexpected; check the base URL)"}
	}
	where := resp.Header.Get("Location")
	return nil, &Error{Class: InDoubt, Status: code, Message: status + " (unexpected, Location " + where + "); the carrier may have processed it"}
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }
