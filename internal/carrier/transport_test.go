package carrier

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTripCounter wraps a transport, as metrics would.
type roundTripCounter struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (c *roundTripCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// TestInjectedTransportCarriesEveryAttempt: a transport given in the options
// sees each attempt, retries included.
func TestInjectedTransportCarriesEveryAttempt(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(srv.Close)
	rt := &roundTripCounter{next: http.DefaultTransport}
	opts := fastOptions(srv.URL)
	opts.Transport = rt
	h, err := NewHTTP(opts)
	require.NoError(t, err)
	t.Cleanup(h.Close)

	resp, err := h.Do(context.Background(), Request{Op: "create order", Method: http.MethodPost, Path: "/orders", Body: map[string]string{"a": "b"}})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, int32(2), rt.n.Load(), "attempts through the injected transport")
}

// TestKeepAlivePoolMatchesConcurrency: with the default transport, many
// requests at full concurrency open no more connections than the
// concurrency, because the idle pool keeps each of them.
func TestKeepAlivePoolMatchesConcurrency(t *testing.T) {
	const concurrency, requests = 8, 80
	var opened atomic.Int32
	// The handler answers only once all requests of a round are in, so that
	// every round has concurrency connections busy, then idle, at once.
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	arrived, round := 0, 0
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		my := round
		if arrived++; arrived == concurrency {
			arrived, round = 0, round+1
			cond.Broadcast()
		}
		for round == my {
			cond.Wait()
		}
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	opts := fastOptions(srv.URL)
	opts.Concurrency = concurrency
	h, err := NewHTTP(opts)
	require.NoError(t, err)
	t.Cleanup(h.Close)

	var wg sync.WaitGroup
	for w := range concurrency {
		wg.Go(func() {
			for i := w; i < requests; i += concurrency {
				_, err := h.Do(context.Background(), Request{Op: "lookup", Method: http.MethodGet, Path: "/x", Idempotent: true})
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, opened.Load(), int32(concurrency), "connections opened for %d requests", requests)
}
