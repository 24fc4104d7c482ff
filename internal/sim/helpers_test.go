package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// newTestServer starts the sandbox on a loopback httptest server.
func newTestServer(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	t.Cleanup(s.Close) // runs first: releases hung handlers so ts.Close does not wait
	return s, ts
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), "body: %s", r.body)
	return m
}

// call sends a request; body may be nil, a []byte/string (sent as is) or a
// value marshalled to JSON. auth decorates the request.
func call(t *testing.T, ts *httptest.Server, method, path string, body any, auth func(*http.Request)) response {
	t.Helper()
	resp, err := send(ts, method, path, body, auth)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func send(ts *httptest.Server, method, path string, body any, auth func(*http.Request)) (*http.Response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != nil {
		auth(req)
	}
	return ts.Client().Do(req)
}

// clone deep-copies a JSON-like map so tests can mutate a valid body.
func clone(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// at returns the nested object at the path of keys (array indexes as int).
func at(m any, path ...any) map[string]any {
	cur := m
	for _, p := range path {
		switch k := p.(type) {
		case string:
			cur = cur.(map[string]any)[k]
		case int:
			cur = cur.([]any)[k]
		}
	}
	return cur.(map[string]any)
}

func netwoAuth(r *http.Request) {
	c := DefaultCredentials()
	r.Header.Set("X-Api-Key", c.NetwoAPIKey)
	r.Header.Set("X-Actor-Slug", c.NetwoActorSlug)
}

func thinktelAuth(r *http.Request) {
	c := DefaultCredentials()
	r.SetBasicAuth(c.ThinktelUser, c.ThinktelPassword)
}

func bearer(token string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func itoa(n int) string { return strconv.Itoa(n) }
