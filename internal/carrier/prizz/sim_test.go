package prizz_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/prizz"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
)

func TestSubmitAgainstSandbox(t *testing.T) {
	creds := sim.DefaultCredentials()
	s := sim.New(sim.Options{Credentials: creds})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := prizz.New(prizz.Config{
		HTTP:  carrier.HTTPOptions{BaseURL: srv.URL + sim.PrizzPrefix, Timeout: 2 * time.Second, BaseBackoff: time.Millisecond},
		Email: creds.PrizzEmail, Password: creds.PrizzPassword,
	})
	require.NoError(t, err)
	defer c.Close()
	o := &order.Order{Kind: order.L2, Ref: "BX-L2-SIM", L2: &order.L2Order{
		ClientName: "Boulangerie Exemple", OfferID: 2201, OptionIDs: []int{41},
		GTRContactHO: 7101, GTRContactHNO: 7102,
		StreetNumber: "12", StreetType: "rue", StreetName: "de la Paix", ZipCode: "75002", City: "Paris",
		SiteContactName: "Paul Durand", SiteContactPhone: "+33612345678", SiteContactEmail: "paul@example.fr", SiteContactHours: "8h-17h",
		FollowContactIDs: []int{7103},
		PortRef:          "PZ-PAR-TH2-07", SiteVLANMode: order.VLANModeTagged, PortVLANMode: order.VLANModeUntagged,
		DeliveryInterface: "1000 Base LX", SiteVLAN: 120,
	}}

	got := c.Submit(context.Background(), o, carrier.Submission{})

	require.Equal(t, carrier.Accepted, got.Class, got.Message)
	orders := s.Orders()
	require.Len(t, orders, 1)
	assert.Equal(t, sim.CarrierPrizz, orders[0].Carrier)
	assert.Equal(t, got.Reference, orders[0].Reference)

	contacts, err := c.Contacts(context.Background())
	require.NoError(t, err)
	assert.Contains(t, contacts, 7101)
	ports, err := c.Ports(context.Background())
	require.NoError(t, err)
	assert.Contains(t, ports, "PZ-PAR-TH2-07")
}

// TestSandboxRejectionNamesColumnsAndHint shows the sandbox's refusal of an
// option of another offer read with the column (option_ids, not
// idOptions[0]), the carrier's words kept and the hint beside them.
func TestSandboxRejectionNamesColumnsAndHint(t *testing.T) {
	creds := sim.DefaultCredentials()
	srv := httptest.NewServer(sim.New(sim.Options{Credentials: creds}))
	t.Cleanup(srv.Close)
	c, err := prizz.New(prizz.Config{
		HTTP:  carrier.HTTPOptions{BaseURL: srv.URL + sim.PrizzPrefix, Timeout: 2 * time.Second, BaseBackoff: time.Millisecond},
		Email: creds.PrizzEmail, Password: creds.PrizzPassword,
	})
	require.NoError(t, err)
	defer c.Close()
	o := &order.Order{Kind: order.L2, Ref: "BX-L2-OPT", L2: &order.L2Order{
		ClientName: "Boulangerie Exemple", OfferID: 2201, OptionIDs: []int{9999},
		GTRContactHO: 7101, GTRContactHNO: 7102,
		StreetNumber: "12", StreetType: "rue", StreetName: "de la Paix", ZipCode: "75002", City: "Paris",
		SiteContactName: "Paul Durand", SiteContactPhone: "+33612345678", SiteContactEmail: "paul@example.fr",
		FollowContactIDs: []int{7103}, PortRef: "PZ-PAR-TH2-07", SiteVLANMode: order.VLANModeTagged, PortVLANMode: order.VLANModeUntagged,
		DeliveryInterface: "1000 Base LX", SiteVLAN: 120,
	}}

	got := c.Submit(context.Background(), o, carrier.Submission{})

	require.Equal(t, carrier.Rejected, got.Class, got.Message)
	assert.Contains(t, got.Message, "option_ids: option 9999 does not belong to offer 2201")
	assert.NotContains(t, got.Message, "idOptions")
	assert.Contains(t, got.Message, carrier.HintPrefix+"option_ids must be options of offer_id")
}
