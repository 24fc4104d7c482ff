package sim

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestControlHealth(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	got := call(t, ts, "GET", "/_sim/health", nil, nil)
	assert.Equal(t, http.StatusOK, got.status)
	assert.Equal(t, "ok", string(got.body))
}

func TestControlFaults(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	got := call(t, ts, "PUT", "/_sim/faults", `{"latency":"5ms","rate_503":0.1,"retry_after":"2s","next_429":1}`, nil)
	require.Equal(t, http.StatusOK, got.status, "body: %s", got.body)
	want := Faults{Latency: 5 * time.Millisecond, Rate503: 0.1, RetryAfter: 2 * time.Second, Next429: 1}
	assert.Equal(t, want, s.Faults())

	got = call(t, ts, "GET", "/_sim/faults", nil, nil)
	var read Faults
	require.NoError(t, json.Unmarshal(got.body, &read))
	assert.Equal(t, want, read)
	assert.Contains(t, string(got.body), `"latency":"5ms"`)

	for _, bad := range []string{`{"rate_503":1.5}`, `{"latency":"-1s"}`, `{"bogus":1}`, `not json`} {
		got = call(t, ts, "POST", "/_sim/faults", bad, nil)
		assert.Equal(t, http.StatusBadRequest, got.status, bad)
	}
	assert.Equal(t, want, s.Faults(), "rejected updates change nothing")

	got = call(t, ts, "POST", "/_sim/faults", `{}`, nil)
	assert.Equal(t, http.StatusOK, got.status)
	assert.Equal(t, Faults{}, s.Faults())
}

func TestControlOrdersAndReset(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	got := call(t, ts, "GET", "/_sim/orders", nil, nil)
	assert.Equal(t, "[]\n", string(got.body))

	require.Equal(t, http.StatusOK, postDID(t, ts, 4165550120).status)
	token := prizzToken(t, ts)
	cartID, _ := createNetwoCart(t, ts)

	got = call(t, ts, "GET", "/_sim/orders", nil, nil)
	var orders []Order
	require.NoError(t, json.Unmarshal(got.body, &orders))
	require.Len(t, orders, 1)
	assert.Equal(t, CarrierThinktel, orders[0].Carrier)
	assert.Equal(t, float64(4165550100), decodeObject(t, orders[0].Body)["PilotNumber"])

	got = call(t, ts, "POST", "/_sim/reset", nil, nil)
	assert.Equal(t, http.StatusNoContent, got.status)
	assert.Empty(t, s.Orders())
	assert.Equal(t, http.StatusUnauthorized, call(t, ts, "GET", "/prizz/sicom/contacts", nil, bearer(token)).status, "tokens cleared")
	assert.Equal(t, http.StatusNotFound, call(t, ts, "GET", "/netwo/api/v1/cart/"+cartID+"/lines", nil, netwoAuth).status, "carts cleared")
	assert.Equal(t, http.StatusNotFound,
		call(t, ts, "GET", tt+"/v2/NumberPorts/Inbound/Numbers/4165550120/PortInStatus", nil, thinktelAuth).status, "ports cleared")
	assert.Equal(t, http.StatusOK, call(t, ts, "GET", tt+"/SipTrunks", nil, thinktelAuth).status, "reference data kept")
}

func decodeObject(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}
