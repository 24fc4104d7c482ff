package carrier

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier/carriertest"
)

// fastOptions are tiny bounds so the tests run in milliseconds.
func fastOptions(baseURL string) HTTPOptions {
	return HTTPOptions{
		BaseURL:      baseURL,
		Timeout:      300 * time.Millisecond,
		MaxAttempts:  3,
		MaxRetryTime: 5 * time.Second,
		BaseBackoff:  time.Millisecond,
	}
}

// counting wraps a handler and counts the requests it receives.
type counting struct {
	n   atomic.Int32
	h   http.HandlerFunc
	url string // the test server's
}

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.h(w, r)
}

func newServer(t *testing.T, h http.HandlerFunc) (*counting, *HTTP) {
	t.Helper()
	c := &counting{h: h}
	srv := httptest.NewServer(c)
	c.url = srv.URL
	t.Cleanup(srv.Close)
	client, err := NewHTTP(fastOptions(srv.URL + "/api/v1"))
	require.NoError(t, err)
	t.Cleanup(client.Close)
	return c, client
}

func reply(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func TestNewHTTPBaseURL(t *testing.T) {
	tests := []struct {
		url     string
		wantErr error
	}{
		{"https://api.netwo.io/api/v1", nil},
		{"https://api.thinktel.ca/rest.svc/", nil},
		{"http://127.0.0.1:8080/netwo/api/v1", nil},
		{"http://127.9.9.9:8080", nil},
		{"http://localhost:9000/prizz", nil},
		{"http://[::1]:9000/prizz", nil},
		{"http://api.netwo.io/api/v1", ErrInsecureURL},
		{"http://10.0.0.1/api", ErrInsecureURL},
		{"ftp://example.com", ErrBadBaseURL},
		{"api.netwo.io", ErrBadBaseURL},
		{"https://user:pw@api.netwo.io", ErrBadBaseURL},
		{"", ErrBadBaseURL},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := NewHTTP(HTTPOptions{BaseURL: tt.url})
			if tt.wantErr == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.wantErr)
			assert.NotContains(t, err.Error(), "pw@", "credentials in a URL never reach an error")
		})
	}
}

func TestDoClassifies(t *testing.T) {
	tests := []struct {
		name         string
		handler      http.HandlerFunc
		idempotent   bool
		wantClass    Class // Accepted = no error
		wantRequests int32
		wantMessage  string
	}{
		{"200", reply(200, `{"cart_id":"c1"}`), false, Accepted, 1, ""},
		{"400 Thinktel exception", reply(400, `{"ID":"e-42","Message":"CustomerName is required"}`), false,
			Rejected, 1, "HTTP 400: CustomerName is required (error ID e-42)"},
		{"404 Prizz envelope", reply(404, `{"statusCode":404,"status":"KO","object":"idOffre 12 inconnu"}`), false,
			Rejected, 1, "HTTP 404: idOffre 12 inconnu"},
		{"422 Netwo field errors", reply(422, `{"message":"Validation failed","errors":{"idn":["is invalid"]}}`), false,
			Rejected, 1, "HTTP 422: Validation failed: idn: is invalid"},
		{"401", reply(401, `{"error":"invalid api key"}`), false, AuthRefused, 1, "HTTP 401: invalid api key"},
		{"403", reply(403, `{"message":"actor not allowed"}`), false, AuthRefused, 1, "HTTP 403: actor not allowed"},
		{"401 on a lookup", reply(401, ``), true, AuthRefused, 1, "HTTP 401"},
		{"503 storm", reply(503, `busy`), false, Retryable, 3, "HTTP 503: busy (gave up after 3 attempts)"},
		{"429 storm", reply(429, ``), false, Retryable, 3, "HTTP 429"},
		{"500 after sending", reply(500, `{"message":"boom"}`), false, InDoubt, 1, "HTTP 500: boom; the carrier may have processed it"},
		{"502 after sending", reply(502, `<html>bad gateway</html>`), false, InDoubt, 1, "HTTP 502; the carrier may"},
		{"500 on a lookup is retried", reply(500, `{}`), true, Retryable, 3, "HTTP 500"},
		{"302 is never followed", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}, false, InDoubt, 1, "HTTP 302"},
		{"timeout after the body was read", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-time.After(700 * time.Millisecond):
			case <-r.Context().Done():
			}
		}, false, InDoubt, 1, "request sent, then timeout"},
		{"reset after the body was read", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0)
				}
				_ = conn.Close()
			}
		}, false, InDoubt, 1, "request sent, then"},
		{"timeout on a lookup is not retried", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(700 * time.Millisecond):
			case <-r.Context().Done():
			}
		}, true, Retryable, 1, "timeout"},
		{"a lookup's body too large is not retried", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			_, _ = w.Write(bytes.Repeat([]byte(" "), MaxResponseBytes+1))
		}, true, Retryable, 1, "HTTP 200 with a body over 8388608 bytes"},
		{"a 500 with a body too large is not retried", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			_, _ = w.Write(bytes.Repeat([]byte(" "), MaxResponseBytes+1))
		}, true, Retryable, 1, "HTTP 500 with a body over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client := newServer(t, tt.handler)
			if strings.Contains(tt.wantMessage, "body over") {
				// 8 MiB must arrive before the timeout, on a loaded
				// machine under the race detector too: the test is about
				// the size, not the clock.
				opts := fastOptions(srv.url + "/api/v1")
				opts.Timeout = 30 * time.Second
				var err error
				client, err = NewHTTP(opts)
				require.NoError(t, err)
				t.Cleanup(client.Close)
			}
			method := http.MethodPost
			if tt.idempotent {
				method = http.MethodGet
			}
			resp, err := client.Do(context.Background(), Request{Op: "test", Method: method, Path: "/cart",
				Body: map[string]any{"a": 1}, Idempotent: tt.idempotent})
			assert.Equal(t, tt.wantRequests, srv.n.Load(), "requests received")
			if tt.wantClass == Accepted {
				require.NoError(t, err)
				assert.Equal(t, 200, resp.Status)
				assert.Equal(t, 1, resp.Attempts)
				return
			}
			require.Error(t, err)
			got := ResultOf("", err)
			assert.Equal(t, tt.wantClass, got.Class, got.Message)
			assert.Contains(t, got.Message, tt.wantMessage)
			assert.Equal(t, int(tt.wantRequests), got.Attempts)
		})
	}
}

func TestDoHonoursRetryAfter(t *testing.T) {
	var calls atomic.Int32
	srv, client := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	})
	start := time.Now()
	resp, err := client.Do(context.Background(), Request{Op: "test", Method: http.MethodPost, Path: "/orders", Body: []byte(`{}`)})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), time.Second, "waited as Retry-After asked")
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, int32(2), srv.n.Load())
}

func TestDoRetryAfterBeyondBudgetGivesUp(t *testing.T) {
	c := &counting{h: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
	}}
	srv := httptest.NewServer(c)
	defer srv.Close()
	opts := fastOptions(srv.URL)
	opts.MaxRetryTime = 200 * time.Millisecond
	client, err := NewHTTP(opts)
	require.NoError(t, err)

	start := time.Now()
	_, err = client.Do(context.Background(), Request{Op: "test", Method: http.MethodPost, Path: "/x"})
	assert.Less(t, time.Since(start), time.Second, "never waits beyond MaxRetryTime")
	assert.Equal(t, Retryable, ClassOf(err))
	assert.ErrorIs(t, err, ErrRetryable)
	assert.Contains(t, err.Error(), "retry time budget")
	assert.Equal(t, int32(1), c.n.Load())
}

func TestDoConnectionRefusedIsRetryable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	client, err := NewHTTP(fastOptions("http://" + addr))
	require.NoError(t, err)
	_, err = client.Do(context.Background(), Request{Op: "test", Method: http.MethodPost, Path: "/orders", Body: []byte(`{}`)})
	got := ResultOf("create order", err)
	assert.Equal(t, Retryable, got.Class)
	assert.Equal(t, 3, got.Attempts, "retried up to MaxAttempts")
	assert.Contains(t, got.Message, "create order: not sent")
	assert.Equal(t, "connection refused", got.Unreachable, "the carrier could not be reached at all")
}

func TestUnreachableOnlyWhenNothingReachedTheCarrier(t *testing.T) {
	_, client := newServer(t, reply(503, `busy`))
	_, err := client.Do(context.Background(), Request{Op: "test", Method: http.MethodGet, Path: "/x", Idempotent: true})
	got := ResultOf("", err)
	assert.Equal(t, Retryable, got.Class)
	assert.Empty(t, got.Unreachable, "a carrier answering 503 was reached")
	_, ok := UnreachableReason(err)
	assert.False(t, ok)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = client.Do(ctx, Request{Op: "test", Method: http.MethodPost, Path: "/orders"})
	_, ok = UnreachableReason(err)
	assert.False(t, ok, "a cancelled call says nothing about the carrier")
}

func TestLookupFailedIsNeverARejection(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Class
	}{
		{"unreadable answer", errors.New("unreadable answer"), Retryable},
		{"404 on the lookup", &Error{Class: Rejected, Status: 404, Message: "HTTP 404"}, Retryable},
		{"credentials refused", &Error{Class: AuthRefused, Status: 401, Message: "HTTP 401"}, AuthRefused},
		{"unreachable", &Error{Class: Retryable, Message: "not sent: refused", unreachable: "connection refused"}, Retryable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LookupFailed("look up offerings", tt.err)
			assert.Equal(t, tt.want, got.Class, got.Message)
			assert.Contains(t, got.Message, "look up offerings")
		})
	}
	assert.Equal(t, "connection refused", LookupFailed("x", tests[3].err).Unreachable)
}

func TestDoCancelledContextIsNotSent(t *testing.T) {
	srv, client := newServer(t, reply(200, `{}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := client.Do(ctx, Request{Op: "test", Method: http.MethodPost, Path: "/orders"})
	assert.Equal(t, Retryable, ClassOf(err))
	assert.Equal(t, int32(0), srv.n.Load())
}

func TestDoBoundsConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	c := &counting{h: func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
	}}
	srv := httptest.NewServer(c)
	defer srv.Close()
	opts := fastOptions(srv.URL)
	opts.Concurrency = 2
	client, err := NewHTTP(opts)
	require.NoError(t, err)

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := client.Do(context.Background(), Request{Op: "test", Method: http.MethodGet, Path: "/x", Idempotent: true})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, int32(8), c.n.Load())
	assert.LessOrEqual(t, peak.Load(), int32(2))
}

func TestDoRateLimits(t *testing.T) {
	c := &counting{h: reply(200, `{}`)}
	srv := httptest.NewServer(c)
	defer srv.Close()
	opts := fastOptions(srv.URL)
	opts.RatePerSecond = 20 // one every 50ms, burst 1
	client, err := NewHTTP(opts)
	require.NoError(t, err)
	start := time.Now()
	for range 4 {
		_, err := client.Do(context.Background(), Request{Op: "test", Method: http.MethodGet, Path: "/x"})
		require.NoError(t, err)
	}
	assert.GreaterOrEqual(t, time.Since(start), 140*time.Millisecond)
}

func TestBackoffIsBoundedAndHonoursRetryAfter(t *testing.T) {
	h := &HTTP{opts: withDefaults(HTTPOptions{BaseBackoff: 100 * time.Millisecond})}
	h.jitter = func(n int64) int64 { return n - 1 } // the top of the jitter range
	tests := []struct {
		attempt    int
		retryAfter time.Duration
		want       time.Duration
	}{
		{1, 0, 100 * time.Millisecond},
		{2, 0, 200 * time.Millisecond},
		{4, 0, 800 * time.Millisecond},
		{20, 0, MaxBackoff},
		{1, 3 * time.Second, 3 * time.Second},
		{4, 100 * time.Millisecond, 800 * time.Millisecond},
	}
	for _, tt := range tests {
		got := h.backoff(tt.attempt, tt.retryAfter)
		assert.Equal(t, tt.want, got, "attempt %d retryAfter %s", tt.attempt, tt.retryAfter)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"1", time.Second},
		{" 120 ", 2 * time.Minute},
		{"0", 0},
		{"-5", 0},
		{"soon", 0},
		{"Mon, 02 Mar 2026 10:00:30 GMT", 30 * time.Second},
		{"Mon, 02 Mar 2026 09:00:00 GMT", 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ParseRetryAfter(tt.in, now), "Retry-After %q", tt.in)
	}
}

func TestDoLogsWithoutSecrets(t *testing.T) {
	_, client := newServer(t, reply(200, `{"accessToken":"tok-SECRET-9","contact":{"email":"jane@example.com"}}`))
	var buf bytes.Buffer
	client.log = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))

	body := map[string]any{
		"email": "ops@orderdrop.example", "mdp": "hunter2-PW",
		"contactSite": map[string]any{"nom": "Jean Dupont", "telephone": "0612345678"},
		"PortForm": map[string]any{
			"CustomerName": "Acme Inc", "EmailAddress": "it@acme.example", "SubmitterPhoneNumber": 4165550100,
			"FileLetterOfAuthorization": []any{map[string]any{"FileName": "loa.pdf", "Base64Contents": "JVBERi0xLjQ="}},
		},
		"commentaire": "call bob@site.example",
		"idOffre":     12,
	}
	hdr := http.Header{}
	hdr.Set("X-Api-Key", "key-SECRET-1")
	hdr.Set("Authorization", "Bearer tok-SECRET-2")
	_, err := client.Do(context.Background(), Request{Op: "test", Method: http.MethodPost, Path: "/auth", Body: body, Header: hdr})
	require.NoError(t, err)

	logged := buf.String()
	for _, secret := range []string{"key-SECRET-1", "tok-SECRET-2", "hunter2-PW", "tok-SECRET-9", "ops@orderdrop.example",
		"jane@example.com", "Jean Dupont", "0612345678", "it@acme.example", "Acme Inc", "4165550100", "JVBERi0xLjQ=",
		"bob@site.example"} {
		assert.NotContains(t, logged, secret)
	}
	assert.Contains(t, logged, "<8 bytes>", "attachment size logged instead of its contents")
	assert.Contains(t, logged, `idOffre`, "non-personal fields still logged")
	assert.Contains(t, logged, "carrier request")
	assert.Contains(t, logged, "carrier response")
}

func TestTargetJoinsPaths(t *testing.T) {
	client, err := NewHTTP(HTTPOptions{BaseURL: "https://api.netwo.io/api/v1/"})
	require.NoError(t, err)
	got := client.target("/service", map[string][]string{"product_category[]": {"prefix_hosting"}, "limit": {"1000"}})
	assert.Equal(t, "https://api.netwo.io/api/v1/service?limit=1000&product_category%5B%5D=prefix_hosting", got)
	assert.True(t, strings.HasPrefix(client.target("cart/1/lines", nil), "https://api.netwo.io/api/v1/cart/1/lines"))
}

func TestDoStopsRetryingWhenStopping(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	h, err := NewHTTP(HTTPOptions{BaseURL: srv.URL, MaxAttempts: 5, MaxRetryTime: time.Minute})
	require.NoError(t, err)
	stop := make(chan struct{})
	time.AfterFunc(50*time.Millisecond, func() { close(stop) })
	start := time.Now()
	_, err = h.Do(context.Background(), Request{Op: "order", Method: http.MethodPost, Path: "/orders", Body: map[string]int{"a": 1}, Stop: stop})
	assert.Less(t, time.Since(start), 5*time.Second, "a stop must cut the 30 s Retry-After wait short")
	assert.Equal(t, Retryable, ClassOf(err), "got %v, want Retryable: the order surely was not processed", err)
	assert.EqualValues(t, 1, hits.Load(), "no retry may be sent once stopping")
	assert.Contains(t, err.Error(), "stopping")
}

// opaqueTransport wraps a transport without forwarding CloseIdleConnections,
// as a metrics or tracing middleware may.
type opaqueTransport struct{ next http.RoundTripper }

func (o opaqueTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return o.next.RoundTrip(r)
}

// TestCloseReleasesConnectionsUnderAWrapper: Close closes the idle
// connections of the transport even under a WrapTransport that hides them.
func TestCloseReleasesConnectionsUnderAWrapper(t *testing.T) {
	f := carriertest.NewFake(t)
	f.Handle("GET /x", carriertest.JSON(200, `{}`))
	h, err := NewHTTP(HTTPOptions{BaseURL: f.URL, WrapTransport: func(rt http.RoundTripper) http.RoundTripper { return opaqueTransport{rt} }})
	require.NoError(t, err)
	_, err = h.Do(context.Background(), Request{Op: "x", Method: http.MethodGet, Path: "/x", Idempotent: true})
	require.NoError(t, err)
	require.Positive(t, f.OpenConns(), "got no connection kept alive, want one: the test proves nothing")
	h.Close()
	f.AssertAllClosed(t, "the client was closed")
}
