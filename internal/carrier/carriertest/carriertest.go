// Package carriertest helps the carrier clients' tests: a recording fake
// carrier and golden comparison of JSON request bodies.
package carriertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Call is one request the fake carrier received.
type Call struct {
	Method string
	Path   string // URL path, without the query
	Query  map[string][]string
	Header http.Header
	Body   []byte
}

// Route answers one request; n counts the calls to this route so far (1-based).
type Route func(w http.ResponseWriter, r *http.Request, body []byte, n int)

// Fake is a recording carrier: routes keyed "METHOD /path" (path without
// the query string); an unknown route answers 404.
type Fake struct {
	*httptest.Server
	mu     sync.Mutex
	routes map[string]Route
	counts map[string]int
	calls  []Call
	open   map[net.Conn]bool // connections the clients hold open
}

// NewFake starts a loopback fake carrier, closed when the test ends.
func NewFake(t *testing.T) *Fake {
	t.Helper()
	f := &Fake{routes: map[string]Route{}, counts: map[string]int{}, open: map[net.Conn]bool{}}
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.Config.ConnState = f.track
	f.Start()
	t.Cleanup(f.Close)
	return f
}

// track keeps the set of open connections.
func (f *Fake) track(c net.Conn, s http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch s {
	case http.StateNew:
		f.open[c] = true
	case http.StateClosed, http.StateHijacked:
		delete(f.open, c)
	}
}

// OpenConns returns how many client connections are open now.
func (f *Fake) OpenConns() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.open)
}

// AssertAllClosed fails t unless every client connection is closed within
// a second (the server sees a close a little after the client makes it).
func (f *Fake) AssertAllClosed(t *testing.T, why string) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for f.OpenConns() > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	assert.Zero(t, f.OpenConns(), "got connections still open, want none: %s", why)
}

// Handle sets the route for "METHOD /path".
func (f *Fake) Handle(key string, r Route) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[key] = r
}

// Calls returns the requests received so far.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// Keys returns "METHOD /path" of every request received, in order.
func (f *Fake) Keys() []string {
	var keys []string
	for _, c := range f.Calls() {
		keys = append(keys, c.Method+" "+c.Path)
	}
	return keys
}

// Count returns how many requests "METHOD /path" received.
func (f *Fake) Count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[key]
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := r.Method + " " + r.URL.Path
	f.mu.Lock()
	f.calls = append(f.calls, Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
	f.counts[key]++
	n := f.counts[key]
	route, ok := f.routes[key]
	f.mu.Unlock()
	if !ok {
		JSON(http.StatusNotFound, `{"message":"no route `+key+`"}`)(w, r, body, n)
		return
	}
	route(w, r, body, n)
}

// JSON answers status with a JSON body.
func JSON(status int, body string) Route {
	return func(w http.ResponseWriter, _ *http.Request, _ []byte, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// Busy answers 503 asking to be called again in 30 s (Retry-After): a
// carrier that surely did not process the request.
func Busy() Route {
	return func(w http.ResponseWriter, _ *http.Request, _ []byte, _ int) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
	}
}

// Hang reads the request, then waits up to d (or until the client goes
// away) without answering: a timeout after the request was written.
func Hang(d time.Duration) Route {
	return func(_ http.ResponseWriter, r *http.Request, _ []byte, _ int) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
	}
}

// Sequence answers the n-th call with routes[n-1], repeating the last one.
func Sequence(routes ...Route) Route {
	return func(w http.ResponseWriter, r *http.Request, body []byte, n int) {
		routes[min(n, len(routes))-1](w, r, body, n)
	}
}

// AssertGolden compares a JSON body with the golden file at path, value by
// value (integers stay JSON numbers: 12 and "12" differ). Set
// ORDERDROP_UPDATE_GOLDEN=1 to rewrite the golden file.
func AssertGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if os.Getenv("ORDERDROP_UPDATE_GOLDEN") == "1" {
		var buf bytes.Buffer
		require.NoError(t, json.Indent(&buf, got, "", "  "))
		buf.WriteByte('\n')
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, Decode(t, want), Decode(t, got), "request body vs golden %s", path)
}

// Decode parses JSON keeping numbers exact (json.Number).
func Decode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&v), "JSON: %s", b)
	return v
}
