package netwo_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/netwo"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
)

func TestSubmitAgainstSandbox(t *testing.T) {
	creds := sim.DefaultCredentials()
	s := sim.New(sim.Options{Credentials: creds})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := netwo.New(netwo.Config{
		HTTP:   carrier.HTTPOptions{BaseURL: srv.URL + sim.NetwoPrefix, Timeout: 2 * time.Second, BaseBackoff: time.Millisecond},
		APIKey: creds.NetwoAPIKey, ActorSlug: creds.NetwoActorSlug,
	})
	require.NoError(t, err)
	defer c.Close()
	o := &order.Order{Kind: order.FrPort, Ref: "FR-SIM-1", FrPort: &order.FrPortOrder{
		IDN: "0261910210", DIDs: []string{"0261910210", "0261910211"},
		WantedDate: time.Now().AddDate(0, 0, 20).Truncate(time.Hour), Routing: "prefix", Prefix: "010203",
		CustomerName: "Societé Exemple", CompanyNumber: "73282932000074",
		Street: "35 rue des jeuneurs", ZipCode: "75002", City: "PARIS",
		ContactName: "Jeanne Martin", ContactEmail: "jeanne.martin@example.fr", ContactPhone: "+33601020304",
	}}
	var saved []carrier.Checkpoint
	save := func(_ context.Context, cp carrier.Checkpoint) error { saved = append(saved, cp); return nil }

	got := c.Submit(context.Background(), o, carrier.Submission{Save: save})

	require.Equal(t, carrier.Accepted, got.Class, got.Message)
	require.Len(t, saved, 1, "the cart is saved; its line is read again on a resume")
	orders := s.Orders()
	require.Len(t, orders, 1)
	assert.Equal(t, sim.CarrierNetwo, orders[0].Carrier)
	assert.Equal(t, got.Reference, orders[0].Reference)
}
