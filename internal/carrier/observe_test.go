package carrier

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTripFunc counts the attempts that go through the wrapped transport.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestObserverHooksSeeAttemptsAndRetryCauses(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			_, _ = w.Write([]byte(`{"ok":true}`))
		}
	}))
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	var causes []string
	var attempts atomic.Int32
	opts := fastOptions(srv.URL)
	opts.WrapTransport = func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			attempts.Add(1)
			return next.RoundTrip(r)
		})
	}
	opts.OnRetry = func(op, cause string) {
		mu.Lock()
		defer mu.Unlock()
		causes = append(causes, op+" "+cause)
	}
	h, err := NewHTTP(opts)
	require.NoError(t, err)
	t.Cleanup(h.Close)
	_, err = h.Do(context.Background(), Request{Op: "create order", Method: http.MethodPost, Path: "/orders", Body: map[string]int{"a": 1}})
	require.NoError(t, err)
	assert.Equal(t, int32(3), attempts.Load())
	assert.Equal(t, []string{"create order http_429", "create order http_503"}, causes)
}

func TestRetryCause(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Status: 429}, "http_429"},
		{&Error{Status: 503}, "http_503"},
		{&Error{Status: 502}, "http_5xx"},
		{&Error{Message: "not sent: connection refused"}, "not_sent"},
		{&Error{Message: "request sent, then timeout"}, "after_write"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, RetryCause(tt.err), tt.err.Message)
	}
}
