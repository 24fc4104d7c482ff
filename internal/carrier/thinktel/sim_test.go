package thinktel_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/thinktel"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
)

func TestSubmitAgainstSandbox(t *testing.T) {
	creds := sim.DefaultCredentials()
	s := sim.New(sim.Options{Credentials: creds})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := thinktel.New(thinktel.Config{
		HTTP:     carrier.HTTPOptions{BaseURL: srv.URL + sim.ThinktelPrefix, Timeout: 2 * time.Second, BaseBackoff: time.Millisecond},
		Username: creds.ThinktelUser, Password: creds.ThinktelPassword,
	})
	require.NoError(t, err)
	defer c.Close()
	form := order.PortForm{
		CustomerName: "Maple Dental Clinic", CustomerAccountNumber: "ACC-88812",
		CustomerStreetNumber: "150", CustomerStreetName: "King Street West",
		CustomerCity: "Toronto", CustomerProvince: "ON", CustomerPostalCode: "M5H 1J9", CustomerCountry: "CA",
		EmailAddress: "porting@maple.example", CurrentProvider: 311, CustomerReferenceNumber: "CA-SIM-1",
	}
	ctx := context.Background()

	dids := &order.Order{Kind: order.CaPort, Ref: "CA-SIM-1", CaPort: &order.CaPortOrder{
		PilotNumber: 4165550100, Numbers: []int64{4165550111, 4165550112}, Form: form,
	}}
	got := c.Submit(ctx, dids, carrier.Submission{})
	require.Equal(t, carrier.Accepted, got.Class, got.Message)

	fax := &order.Order{Kind: order.CaPort, Ref: "CA-SIM-2", CaPort: &order.CaPortOrder{
		OfferingID: "TT-VFAX", Numbers: []int64{4165550113}, Form: form, FaxEmail: "fax@maple.example",
	}}
	got2 := c.Submit(ctx, fax, carrier.Submission{})
	require.Equal(t, carrier.Accepted, got2.Class, got2.Message)

	orders := s.Orders()
	require.Len(t, orders, 2)
	assert.Equal(t, got.Reference, orders[0].Reference)
	assert.Equal(t, got2.Reference, orders[1].Reference)

	trunks, err := c.SipTrunks(ctx)
	require.NoError(t, err)
	assert.Contains(t, trunks, int64(4165550100))
	st, err := c.PortInStatus(ctx, 4165550111)
	require.NoError(t, err)
	assert.NotEmpty(t, st.Status)
}
