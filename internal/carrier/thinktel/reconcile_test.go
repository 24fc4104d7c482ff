package thinktel

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/carriertest"
	"github.com/orderdrop/orderdrop/internal/sim"
)

const (
	statusOf177  = "GET " + root + "/v2/NumberPorts/Inbound/Numbers/4165550177/PortInStatus"
	statusOf178  = "GET " + root + "/v2/NumberPorts/Inbound/Numbers/4165550178/PortInStatus"
	dashOf177    = "GET " + root + "/v2/NumberPorts/Inbound/Dashboard/PortInInfo/OrdersByNumber/4165550177"
	dashOf178    = "GET " + root + "/v2/NumberPorts/Inbound/Dashboard/PortInInfo/OrdersByNumber/4165550178"
	statusOfPRT9 = "GET " + root + "/v2/NumberPorts/Inbound/Tickets/PRT-9/PortInStatus"
	emptyDash    = `{"Orders":[]}`
)

func TestReconcile(t *testing.T) {
	found := carriertest.JSON(200, `{"Status":"SUBMITTED","ValidationLSC":true,"TicketId":"PRT-9","NumbersToPort":[4165550178,4165550177]}`)
	tests := []struct {
		name      string
		reference string
		routes    map[string]carriertest.Route
		want      carrier.Finding
		wantErr   string
		wantCalls []string
	}{
		{"by ticket", "PRT-9", map[string]carriertest.Route{statusOfPRT9: found},
			carrier.Finding{Found: true, Reference: "PRT-9", Checked: "port-in status of ticket PRT-9: found, SUBMITTED"},
			"", []string{statusOfPRT9}},
		{"by number", "", map[string]carriertest.Route{statusOf177: found},
			carrier.Finding{Found: true, Reference: "PRT-9", Checked: "port-in status of 4165550177: ticket PRT-9, SUBMITTED"},
			"", []string{statusOf177}},
		{"by the second number", "", map[string]carriertest.Route{statusOf178: found, dashOf177: carriertest.JSON(200, emptyDash)},
			carrier.Finding{Found: true, Reference: "PRT-9", Checked: "port-in status of 4165550177: not found; port-in status of 4165550178: ticket PRT-9, SUBMITTED"},
			"", []string{statusOf177, statusOf178}},
		{"nothing anywhere", "PRT-404", map[string]carriertest.Route{dashOf177: carriertest.JSON(200, emptyDash), dashOf178: carriertest.JSON(200, emptyDash)},
			carrier.Finding{Checked: "port-in status of ticket PRT-404: not found; port-in status of 4165550177: not found; " +
				"port-in status of 4165550178: not found; port-in dashboard of 4165550177: not found; port-in dashboard of 4165550178: not found"},
			"", nil},
		{"an older port-in of other numbers", "", map[string]carriertest.Route{
			statusOf177: carriertest.JSON(200, `{"Status":"COMPLETED","TicketId":"PRT-1","NumbersToPort":[4165550177]}`),
			dashOf177:   carriertest.JSON(200, emptyDash), dashOf178: carriertest.JSON(200, emptyDash)},
			carrier.Finding{Unsure: true, Checked: "port-in status of 4165550177: ticket PRT-1, COMPLETED, for other numbers (4165550177); " +
				"port-in status of 4165550178: not found; port-in dashboard of 4165550177: not found; port-in dashboard of 4165550178: not found"},
			"", nil},
		{"a final port-in of the same numbers", "", map[string]carriertest.Route{
			statusOf177: carriertest.JSON(200, `{"Status":"REJECTED","TicketId":"PRT-1","NumbersToPort":[4165550177,4165550178]}`),
			statusOf178: carriertest.JSON(200, `{"Status":"REJECTED","TicketId":"PRT-1","NumbersToPort":[4165550177,4165550178]}`),
			dashOf177:   carriertest.JSON(200, emptyDash), dashOf178: carriertest.JSON(200, emptyDash)},
			carrier.Finding{Unsure: true, Checked: "port-in status of 4165550177: ticket PRT-1, REJECTED, already final: may be an earlier request for these numbers; " +
				"port-in status of 4165550178: ticket PRT-1, REJECTED, already final: may be an earlier request for these numbers; " +
				"port-in dashboard of 4165550177: not found; port-in dashboard of 4165550178: not found"},
			"", nil},
		{"only in the dashboard", "", map[string]carriertest.Route{
			dashOf177: carriertest.JSON(200, `{"Orders":[{"OrderID":12,"Requests":[{"RequestIdx":1,"NumberToPort":[{"TnRange":"4165550176-4165550178"}]}]}]}`),
			dashOf178: carriertest.JSON(200, emptyDash)},
			carrier.Finding{Unsure: true, Checked: "port-in status of 4165550177: not found; port-in status of 4165550178: not found; " +
				"port-in dashboard of 4165550177: order 12 request 1 (no ticket yet); port-in dashboard of 4165550178: not found"},
			"", nil},
		{"a lookup fails", "", map[string]carriertest.Route{
			statusOf177: carriertest.JSON(401, `{"ID":"a","Message":"authentication failed"}`),
			dashOf177:   carriertest.JSON(200, emptyDash), dashOf178: carriertest.JSON(200, emptyDash)},
			carrier.Finding{}, "port-in status of 4165550177: failed", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := carriertest.NewFake(t)
			for k, r := range tt.routes {
				f.Handle(k, r)
			}
			c := newClient(t, f.URL)
			got, err := c.Reconcile(context.Background(), map[string]string{"numbers": "4165550177,4165550178"}, tt.reference)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			if tt.wantCalls != nil {
				assert.Equal(t, tt.wantCalls, f.Keys())
			}
		})
	}
}

func TestReconcileNeedsANumber(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:1")
	_, err := c.Reconcile(context.Background(), map[string]string{}, "")
	assert.ErrorContains(t, err, "no number to look up")
}

// Against the sandbox: a port-in whose status lags is seen in the dashboard
// only (unsure); once its status shows, it is found with its ticket.
func TestReconcileAgainstSandbox(t *testing.T) {
	creds := sim.DefaultCredentials()
	s := sim.New(sim.Options{Credentials: creds, Faults: sim.Faults{ThinktelStatusLag: time.Hour}})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := New(Config{HTTP: carrier.HTTPOptions{BaseURL: srv.URL + sim.ThinktelPrefix, Timeout: 2 * time.Second, BaseBackoff: time.Millisecond},
		Username: creds.ThinktelUser, Password: creds.ThinktelPassword})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	ctx := context.Background()
	o := caOrder()
	o.CaPort.PilotNumber, o.CaPort.Numbers, o.CaPort.Labels = 4165550100, []int64{4165550177, 4165550178}, nil
	o.CaPort.Form.CurrentProvider = 311
	res := c.Submit(ctx, o, carrier.Submission{})
	require.Equal(t, carrier.Accepted, res.Class, res.Message)
	ours := map[string]string{"numbers": "4165550177,4165550178"}

	got, err := c.Reconcile(ctx, ours, "")
	require.NoError(t, err)
	assert.False(t, got.Found)
	assert.True(t, got.Unsure, got.Checked)
	assert.Contains(t, got.Checked, "port-in dashboard of 4165550177: order 5001 request 1 (no ticket yet)")

	got, err = c.Reconcile(ctx, map[string]string{"numbers": "4165550199"}, "")
	require.NoError(t, err)
	assert.Equal(t, carrier.Finding{Checked: "port-in status of 4165550199: not found; port-in dashboard of 4165550199: not found"}, got)

	s.SetFaults(sim.Faults{})
	got, err = c.Reconcile(ctx, ours, "")
	require.NoError(t, err)
	assert.True(t, got.Found, got.Checked)
	assert.Equal(t, res.Reference, got.Reference)
}
