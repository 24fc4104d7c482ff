package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func waitHeld(t *testing.T, s *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.HeldCreates() != n {
		if time.Now().After(deadline) {
			t.Fatalf("held requests: got %d, want %d", s.HeldCreates(), n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// A held port-in is invisible to every lookup until released, and created
// even though its client has gone away: the carrier was still creating it.
func TestFaultDelayCreateHoldsUntilReleased(t *testing.T) {
	s, ts := newTestServer(t, Options{Faults: Faults{NextDelayCreate: 1}})
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "POST", ts.URL+tt+"/v2/NumberPorts/Inbound/DIDs", jsonReader(t, didBody(4165550177)))
	require.NoError(t, err)
	thinktelAuth(req)
	gone := make(chan error, 1)
	go func() {
		resp, err := ts.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		gone <- err
	}()
	waitHeld(t, s, 1)
	cancel() // the client dies
	require.Error(t, <-gone)

	assert.Empty(t, s.Orders())
	lookups := []string{
		tt + "/v2/NumberPorts/Inbound/Numbers/4165550177/PortInStatus",
	}
	for _, p := range lookups {
		assert.Equal(t, http.StatusNotFound, call(t, ts, "GET", p, nil, thinktelAuth).status, p)
	}
	dash := call(t, ts, "GET", tt+"/v2/NumberPorts/Inbound/Dashboard/PortInInfo/OrdersByNumber/4165550177", nil, thinktelAuth)
	assert.Equal(t, http.StatusOK, dash.status)
	assert.Empty(t, dash.json(t)["Orders"])

	// The control endpoint shows it held, then lets it through.
	assert.EqualValues(t, 1, call(t, ts, "GET", "/_sim/held", nil, nil).json(t)["held"])
	assert.EqualValues(t, 1, call(t, ts, "POST", "/_sim/release", nil, nil).json(t)["released"])
	assert.Zero(t, s.HeldCreates())
	require.Len(t, s.Orders(), 1)
	st := call(t, ts, "GET", tt+"/v2/NumberPorts/Inbound/Numbers/4165550177/PortInStatus", nil, thinktelAuth)
	assert.Equal(t, http.StatusOK, st.status)
	assert.Equal(t, s.Orders()[0].Reference, st.json(t)["TicketId"])
	assert.Equal(t, Faults{}, s.Faults(), "counter consumed")
}

func TestFaultDelayCreateAnswersAfterTheDelay(t *testing.T) {
	s, ts := newTestServer(t, Options{Faults: Faults{RateDelayCreate: 1, CreateDelay: 20 * time.Millisecond}})
	got := postDID(t, ts, 4165550120)
	assert.Equal(t, http.StatusOK, got.status)
	require.Len(t, s.Orders(), 1)
	assert.Equal(t, s.Orders()[0].Reference, got.json(t)["TicketMask"])
}

// The dashboard lists port-ins by order and by number, in the API's shape;
// with a status lag it shows a port-in that PortInStatus does not find yet.
func TestThinktelDashboard(t *testing.T) {
	s, ts := newTestServer(t, Options{Faults: Faults{ThinktelStatusLag: time.Hour}})
	require.Equal(t, http.StatusOK, call(t, ts, "POST", tt+"/v2/NumberPorts/Inbound/DIDs", didBody(4165550177, 4165550178), thinktelAuth).status)
	ticket := s.Orders()[0].Reference

	for _, p := range []string{"/Numbers/4165550177/PortInStatus", "/Tickets/" + ticket + "/PortInStatus"} {
		assert.Equal(t, http.StatusNotFound, call(t, ts, "GET", tt+"/v2/NumberPorts/Inbound"+p, nil, thinktelAuth).status, p)
	}
	base := tt + "/v2/NumberPorts/Inbound/Dashboard/PortInInfo"
	all := call(t, ts, "GET", base, nil, thinktelAuth)
	require.Equal(t, http.StatusOK, all.status)
	order := at(all.json(t), "Orders", 0)
	id := int(order["OrderID"].(float64))
	req := at(order, "Requests", 0)
	assert.EqualValues(t, 1, req["RequestIdx"])
	assert.Equal(t, "4165550178", at(req, "NumberToPort", 1)["TnRange"])
	assert.Len(t, req["HappyFoxTicket"], 8)
	assert.NotContains(t, string(all.body), ticket, "the dashboard carries no ticket")

	tests := []struct {
		path   string
		status int
		orders int
	}{
		{"/OrdersByNumber/4165550178", 200, 1},
		{"/OrdersByNumber/4165550199", 200, 0},
		{"/Orders/" + itoa(id), 200, 1},
		{"/Orders/" + itoa(id) + "/1", 200, 1},
		{"/Orders/" + itoa(id) + "/2", 404, 0},
		{"/Orders/999", 404, 0},
	}
	for _, tc := range tests {
		got := call(t, ts, "GET", base+tc.path, nil, thinktelAuth)
		if assert.Equal(t, tc.status, got.status, tc.path) && tc.status == 200 {
			assert.Len(t, got.json(t)["Orders"], tc.orders, tc.path)
		}
	}
	assert.Equal(t, http.StatusUnauthorized, call(t, ts, "GET", base, nil, nil).status)
}

func jsonReader(t *testing.T, v any) *bytes.Reader {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return bytes.NewReader(b)
}
