package sim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func postDID(t *testing.T, ts *httptest.Server, n int64) response {
	t.Helper()
	return call(t, ts, "POST", tt+"/v2/NumberPorts/Inbound/DIDs", didBody(n), thinktelAuth)
}

func TestFault429CarriesRetryAfter(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter time.Duration
		want       string
	}{
		{"rounded up", 1500 * time.Millisecond, "2"},
		{"zero means one second", 0, "1"},
		{"whole seconds", 3 * time.Second, "3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{Faults: Faults{Rate429: 1, RetryAfter: tc.retryAfter}})
			got := call(t, ts, "GET", "/netwo/api/v1/service", nil, nil) // before auth: no processing
			assert.Equal(t, http.StatusTooManyRequests, got.status)
			assert.Equal(t, tc.want, got.header.Get("Retry-After"))
			assert.NotEmpty(t, got.json(t)["message"], "Netwo error shape")
			assert.Empty(t, s.Orders())
		})
	}
}

func TestFault503BeforeProcessing(t *testing.T) {
	s, ts := newTestServer(t, Options{Faults: Faults{Rate503: 1}})
	got := postDID(t, ts, 4165550120)
	assert.Equal(t, http.StatusServiceUnavailable, got.status)
	assert.NotEmpty(t, got.json(t)["ID"], "Thinktel Exception shape")
	assert.Empty(t, s.Orders())
}

func TestFaultNextCountersPrecedence(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	s.SetFaults(Faults{Next429: 1, Next503: 1, Next500AfterCreate: 1})

	// Non-creating requests do not consume the counters.
	assert.Equal(t, http.StatusOK, call(t, ts, "GET", tt+"/SipTrunks", nil, thinktelAuth).status)

	var got []int
	for i := range 4 {
		got = append(got, postDID(t, ts, int64(4165550120+i)).status)
	}
	assert.Equal(t, []int{429, 503, 500, 200}, got)
	assert.Len(t, s.Orders(), 2, "500-after-create and the success both created an order")
	assert.Equal(t, Faults{}, s.Faults(), "counters consumed")
}

func TestFault500AfterCreateRecordsTheOrder(t *testing.T) {
	s, ts := newTestServer(t, Options{Faults: Faults{Next500AfterCreate: 1}})
	token := prizzToken(t, ts)
	got := call(t, ts, "POST", "/prizz/sicom/commande/l2", prizzL2Body(), bearer(token))
	assert.Equal(t, http.StatusInternalServerError, got.status)
	assert.Equal(t, "KO", got.json(t)["status"])
	require.Len(t, s.Orders(), 1)
	assert.Regexp(t, `^CMD-L2-\d{6}$`, s.Orders()[0].Reference)
}

func TestFaultDropAfterReadCreatesNothing(t *testing.T) {
	s, ts := newTestServer(t, Options{Faults: Faults{NextDropAfterRead: 1}})
	resp, err := send(ts, "POST", tt+"/v2/NumberPorts/Inbound/DIDs", didBody(4165550120), thinktelAuth)
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err, "the client sees the connection close")
	assert.True(t, errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET), "got %v", err)
	assert.Empty(t, s.Orders())
	assert.Equal(t, http.StatusOK, postDID(t, ts, 4165550120).status, "the next request goes through")
	assert.Len(t, s.Orders(), 1)
}

func TestFaultDropAfterReadOnNetwoCartIsNotApplied(t *testing.T) {
	s, ts := newTestServer(t, Options{Faults: Faults{RateDropAfterRead: 1}})
	cartID, lineID := createNetwoCart(t, ts) // POST /cart is not order-creating
	_, err := send(ts, "POST", "/netwo/api/v1/orders", netwoOrderBody(cartID, lineID), netwoAuth)
	require.Error(t, err)
	assert.Empty(t, s.Orders())
}

func TestFaultHangAfterCreateReleasedByClose(t *testing.T) {
	s, ts := newTestServer(t, Options{Faults: Faults{NextHangAfterCreate: 1}}) // Hang 0: until Close
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := send(ts, "POST", tt+"/v2/NumberPorts/Inbound/DIDs", didBody(4165550120), thinktelAuth)
		if err != nil {
			done <- result{err: err}
			return
		}
		resp.Body.Close()
		done <- result{status: resp.StatusCode}
	}()
	require.Eventually(t, func() bool { return len(s.Orders()) == 1 }, 2*time.Second, 5*time.Millisecond,
		"the order is created before the hang")
	select {
	case <-done:
		t.Fatal("answered before Close")
	case <-time.After(50 * time.Millisecond):
	}
	s.Close()
	select {
	case r := <-done:
		require.NoError(t, r.err)
		assert.Equal(t, http.StatusOK, r.status)
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not release the hung handler")
	}
}

func TestFaultHangForDuration(t *testing.T) {
	s, ts := newTestServer(t, Options{Faults: Faults{RateHangAfterCreate: 1, Hang: 80 * time.Millisecond}})
	start := time.Now()
	got := postDID(t, ts, 4165550120)
	assert.Equal(t, http.StatusOK, got.status)
	assert.GreaterOrEqual(t, time.Since(start), 80*time.Millisecond)
	assert.Len(t, s.Orders(), 1)
}

func TestFaultLatency(t *testing.T) {
	_, ts := newTestServer(t, Options{Faults: Faults{Latency: 60 * time.Millisecond, Jitter: 20 * time.Millisecond}})
	start := time.Now()
	assert.Equal(t, http.StatusOK, call(t, ts, "GET", tt+"/SipTrunks", nil, thinktelAuth).status)
	assert.GreaterOrEqual(t, time.Since(start), 60*time.Millisecond)
	start = time.Now()
	assert.Equal(t, http.StatusOK, call(t, ts, "GET", "/_sim/health", nil, nil).status)
	assert.Less(t, time.Since(start), 60*time.Millisecond, "control endpoints get no latency")
}

func TestReproducibleWithSeed(t *testing.T) {
	run := func(seed int64) (refs []string, statuses []int) {
		s, ts := newTestServer(t, Options{Seed: seed})
		for i := range 3 {
			postDID(t, ts, int64(4165550120+i))
		}
		token := prizzToken(t, ts)
		call(t, ts, "POST", "/prizz/sicom/commande/l2", prizzL2Body(), bearer(token))
		cartID, lineID := createNetwoCart(t, ts)
		call(t, ts, "POST", "/netwo/api/v1/orders", netwoOrderBody(cartID, lineID), netwoAuth)
		for _, o := range s.Orders() {
			refs = append(refs, o.Reference)
		}
		s.SetFaults(Faults{Rate503: 0.5})
		for range 20 {
			statuses = append(statuses, call(t, ts, "GET", tt+"/SipTrunks", nil, thinktelAuth).status)
		}
		return refs, statuses
	}
	refsA, statusesA := run(7)
	refsB, statusesB := run(7)
	refsC, statusesC := run(8)
	require.Len(t, refsA, 5)
	assert.Equal(t, refsA, refsB)
	assert.Equal(t, statusesA, statusesB)
	assert.NotEqual(t, refsA, refsC)
	assert.NotEqual(t, statusesA, statusesC)
	assert.Contains(t, statusesA, 503)
	assert.Contains(t, statusesA, 200)
}

func TestFaultsJSON(t *testing.T) {
	f := Faults{Latency: 250 * time.Millisecond, RetryAfter: 2 * time.Second, Rate429: 0.25, NextDropAfterRead: 3}
	b, err := json.Marshal(f)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "250ms", m["latency"])
	assert.Equal(t, "2s", m["retry_after"])
	assert.Equal(t, "0s", m["hang"])
	assert.Equal(t, 0.25, m["rate_429"])
	assert.Equal(t, float64(3), m["next_drop_after_read"])

	var back Faults
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, f, back)

	tests := []struct {
		in      string
		want    Faults
		wantErr bool
	}{
		{`{"latency":"1s","hang":"5s"}`, Faults{Latency: time.Second, Hang: 5 * time.Second}, false},
		{`{"jitter":150}`, Faults{Jitter: 150 * time.Millisecond}, false},
		{`{"rate_503":0.5,"next_429":2}`, Faults{Rate503: 0.5, Next429: 2}, false},
		{`{"latency":"soon"}`, Faults{}, true},
		{`{"rate_42":1}`, Faults{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var got Faults
			err := json.Unmarshal([]byte(tc.in), &got)
			if tc.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestFaultBrokenPathAnswers500(t *testing.T) {
	s, ts := newTestServer(t, Options{Faults: Faults{BrokenPaths: []string{tt + "/Products/TelephoneOfferings"}}})
	got := call(t, ts, "GET", tt+"/Products/TelephoneOfferings", nil, thinktelAuth)
	assert.Equal(t, http.StatusInternalServerError, got.status)
	assert.NotEmpty(t, got.json(t)["ID"], "Thinktel Exception shape")
	assert.Equal(t, http.StatusOK, call(t, ts, "GET", tt+"/SipTrunks", nil, thinktelAuth).status, "other paths answer")
	assert.Len(t, s.Faults().BrokenPaths, 1, "a broken path stays broken")
}

func TestFaultThinktelProductNameText(t *testing.T) {
	_, ts := newTestServer(t, Options{Faults: Faults{ThinktelProductNameText: true}})
	got := call(t, ts, "GET", tt+"/Products/TelephoneOfferings", nil, thinktelAuth)
	require.Equal(t, http.StatusOK, got.status)
	var offs []map[string]any
	require.NoError(t, json.Unmarshal(got.body, &offs))
	require.NotEmpty(t, offs)
	for _, o := range offs {
		assert.IsType(t, "", o["ProductName"], "%v", o)
		assert.NotEmpty(t, o["OfferingID"])
	}
}

func TestFaultsJSONReadsTheNewKeys(t *testing.T) {
	var f Faults
	require.NoError(t, json.Unmarshal([]byte(`{"broken_paths":["/prizz/sicom/contacts"],"thinktel_product_name_text":true}`), &f))
	assert.Equal(t, Faults{BrokenPaths: []string{"/prizz/sicom/contacts"}, ThinktelProductNameText: true}, f)
}
