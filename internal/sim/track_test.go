package sim

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixedClock is a sandbox clock that only moves when the test says so.
func fixedClock() func() time.Time {
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	return func() time.Time { return t0 }
}

func TestThinktelStagesOverSimulatedTime(t *testing.T) {
	_, ts := newTestServer(t, Options{Now: fixedClock(), TrackStep: 24 * time.Hour})
	got := call(t, ts, "POST", tt+"/v2/NumberPorts/Inbound/DIDs", didBody(4165550120), thinktelAuth)
	require.Equal(t, http.StatusOK, got.status, "body: %s", got.body)
	ticket := got.json(t)["TicketMask"].(string)

	status := func() map[string]any {
		r := call(t, ts, "GET", tt+"/v2/NumberPorts/Inbound/Tickets/"+ticket+"/PortInStatus", nil, thinktelAuth)
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		return r.json(t)
	}
	advance := func(d string) {
		r := call(t, ts, "POST", "/_sim/clock", map[string]string{"advance": d}, nil)
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	}
	steps := []struct {
		advance    string
		wantStatus string
		wantDate   any
	}{
		{"0s", "SUBMITTED", "20270104"}, // the requested date, until confirmed
		{"23h", "SUBMITTED", "20270104"},
		{"1h", "CONFIRMED", "20261125"},
		{"24h", "COMPLETED", "20261125"},
	}
	for _, st := range steps {
		advance(st.advance)
		m := status()
		assert.Equal(t, st.wantStatus, m["Status"], "after +%s", st.advance)
		assert.Equal(t, st.wantDate, m["PortDate"], "after +%s", st.advance)
	}
	// The same port by number answers the same.
	r := call(t, ts, "GET", tt+"/v2/NumberPorts/Inbound/Numbers/4165550120/PortInStatus", nil, thinktelAuth)
	assert.Equal(t, "COMPLETED", r.json(t)["Status"])
}

func TestPushStage(t *testing.T) {
	_, ts := newTestServer(t, Options{Now: fixedClock(), TrackStep: -1})
	got := call(t, ts, "POST", tt+"/v2/NumberPorts/Inbound/DIDs", didBody(4165550120), thinktelAuth)
	require.Equal(t, http.StatusOK, got.status, "body: %s", got.body)
	ticket := got.json(t)["TicketMask"].(string)

	push := call(t, ts, "POST", "/_sim/track", map[string]string{"reference": ticket, "stage": "rejected", "reason": "wrong account number"}, nil)
	require.Equal(t, http.StatusOK, push.status, "body: %s", push.body)
	m := call(t, ts, "GET", tt+"/v2/NumberPorts/Inbound/Tickets/"+ticket+"/PortInStatus", nil, thinktelAuth).json(t)
	assert.Equal(t, "REJECTED", m["Status"])
	assert.Equal(t, "wrong account number", m["RejectSummary"])
	details := m["RejectDetails"].([]any)
	require.Len(t, details, 1)
	assert.Equal(t, "6P", details[0].(map[string]any)["RJCT CODE"], "keys with spaces, as Thinktel documents")

	tests := []struct {
		name string
		body map[string]string
		want int
	}{
		{"unknown reference", map[string]string{"reference": "PI-0", "stage": "completed"}, http.StatusNotFound},
		{"unknown stage", map[string]string{"reference": ticket, "stage": "lost"}, http.StatusBadRequest},
		{"bad date", map[string]string{"reference": ticket, "stage": "scheduled", "date": "01/12/2026"}, http.StatusBadRequest},
	}
	for _, tc := range tests {
		r := call(t, ts, "POST", "/_sim/track", tc.body, nil)
		assert.Equal(t, tc.want, r.status, "%s: %s", tc.name, r.body)
	}
	bad := call(t, ts, "POST", "/_sim/clock", map[string]string{"advance": "-1h"}, nil)
	assert.Equal(t, http.StatusBadRequest, bad.status)
}

func TestPrizzAndNetwoTracking(t *testing.T) {
	s, ts := newTestServer(t, Options{Now: fixedClock(), TrackStep: -1})
	token := prizzToken(t, ts)
	got := call(t, ts, "POST", "/prizz/sicom/commande/l2", prizzL2Body(), bearer(token))
	require.Equal(t, http.StatusOK, got.status, "body: %s", got.body)
	ref := at(got.json(t), "object")["ref"].(string)

	list := func(auth func(*http.Request)) map[string]any {
		r := call(t, ts, "GET", "/prizz/external-api/v2/service_contracts?search="+ref+"&items_per_page=10", nil, auth)
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		return r.json(t)
	}
	m := list(func(r *http.Request) { r.Header.Set("Authorization", "Token sim-prizz-token") })
	items := m["items"].([]any)
	require.Len(t, items, 1)
	assert.Equal(t, "new", items[0].(map[string]any)["status"])
	assert.Equal(t, ref, items[0].(map[string]any)["ref_service"])

	_, ok, err := s.PushStage(ref, StageScheduled, "2026-12-04", "", "")
	require.NoError(t, err)
	require.True(t, ok)
	c := list(bearer(token))["items"].([]any)[0].(map[string]any)
	assert.Equal(t, "staging", c["status"])
	assert.Equal(t, "2026-12-04", c["planned_activation_date"])

	legacy := call(t, ts, "GET", "/prizz/sicom/suivi/"+ref, nil, bearer(token)).json(t)
	assert.Equal(t, "Planifiée", at(legacy, "object")["statut"])

	denied := call(t, ts, "GET", "/prizz/external-api/v2/service_contracts", nil, func(r *http.Request) { r.Header.Set("Authorization", "Token nope") })
	assert.Equal(t, http.StatusUnauthorized, denied.status)

	// Netwo: the order created from a cart answers GET /orders/{id}.
	s.mu.Lock()
	s.tracks["ORDER-1"] = &simTrack{Carrier: CarrierNetwo, Reference: "ORDER-1", Created: s.clockLocked()}
	s.mu.Unlock()
	_, _, err = s.PushStage("ORDER-1", StageCompleted, "2026-11-30", "", "")
	require.NoError(t, err)
	n := call(t, ts, "GET", "/netwo/api/v1/orders/ORDER-1", nil, netwoAuth)
	require.Equal(t, http.StatusOK, n.status, "body: %s", n.body)
	assert.Equal(t, "completed", n.json(t)["state"])
	assert.True(t, strings.Contains(string(n.body), `"portability_date":"2026-11-30"`))
	assert.Equal(t, http.StatusNotFound, call(t, ts, "GET", "/netwo/api/v1/orders/nope", nil, netwoAuth).status)
}
