package thinktel

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/carriertest"
	"github.com/orderdrop/orderdrop/internal/order"
)

const (
	user     = "ucontrol-user"
	password = "uc-SECRET-pw"
	root     = "/rest.svc"
)

const offeringsJSON = `[
 {"OfferingID":"TT-GEN","ProductName":{"En":"General","Fr":"Général"},"Type":1},
 {"OfferingID":"TT-CHILD","ProductName":{"En":"Child","Fr":"Enfant"},"Type":2,"PotentialParentSubscriptions":[{"SubscriptionID":"SUB-1"}]},
 {"OfferingID":"TT-RES","ProductName":{"En":"Residential","Fr":"Résidentiel"},"Type":3},
 {"OfferingID":"TT-BUS","ProductName":{"En":"Business","Fr":"Affaires"},"Type":4},
 {"OfferingID":"TT-PCF","ProductName":{"En":"PCF","Fr":"RAP"},"Type":5},
 {"OfferingID":"TT-BPCF","ProductName":{"En":"Business PCF","Fr":"RAP affaires"},"Type":6},
 {"OfferingID":"TT-VFAX","ProductName":{"En":"Virtual fax","Fr":"Télécopie virtuelle"},"Type":7}
]`

var allPortPaths = []string{pathDIDs, pathTollFreeDIDs, pathGeneralProducts, pathGeneralChildProducts, pathResidentialLines,
	pathBusinessLines, pathPermanentCallForwards, pathTollFreePCFs, pathBusinessPCFs, pathVirtualFaxes}

func caOrder() *order.Order {
	return &order.Order{
		Kind: order.CaPort,
		Ref:  "CA-2001",
		CaPort: &order.CaPortOrder{
			PilotNumber: 6135550100,
			Numbers:     []int64{6135550101, 6135550102},
			Labels:      map[int64]string{6135550101: "Reception"},
			Form: order.PortForm{
				CustomerName: "Maple Dental Clinic", CustomerAccountNumber: "ACC-88812",
				CustomerStreetNumber: "150", CustomerStreetName: "Elgin Street", CustomerUnit: "400",
				CustomerCity: "Ottawa", CustomerProvince: "ON", CustomerPostalCode: "K2P 1L4", CustomerCountry: "CA",
				EmailAddress: "porting@maple.example", CurrentProvider: 17,
				NumbersToRemain:   []int64{6135550199},
				RequestedPortDate: "2026-04-15", RequestedPortTime: "10:00",
				SubmitterFirstName: "Alex", SubmitterLastName: "Tremblay", SubmitterPhoneNumber: 6135550150,
				Comments: "Keep 6135550199 with the losing carrier", CustomerReferenceNumber: "CA-2001",
			},
			LOA: &order.Attachment{FileName: "loa.pdf", ContentType: "application/pdf", Content: []byte("%PDF-1.4 test")},
		},
	}
}

// newService turns caOrder into a new-service order for offering id.
func newService(id string, mod func(*order.CaPortOrder)) *order.Order {
	o := caOrder()
	o.CaPort.PilotNumber = 0
	o.CaPort.OfferingID = id
	o.CaPort.Form.NumbersToRemain = nil
	mod(o.CaPort)
	return o
}

// tollFree turns o into a toll-free port (no NumbersToRemain).
func tollFree(o *order.Order) *order.Order {
	o.CaPort.TollFree = true
	o.CaPort.Numbers = []int64{8885550101, 8885550102}
	o.CaPort.Labels = map[int64]string{8885550101: "Sales"}
	o.CaPort.Form.NumbersToRemain = nil
	o.CaPort.Form.CurrentProvider = 0
	o.CaPort.Form.CurrentReseller = "Acme Resale"
	o.CaPort.LOA = nil
	return o
}

func newFakeThinktel(t *testing.T) *carriertest.Fake {
	f := carriertest.NewFake(t)
	f.Handle("GET "+root+"/Products/TelephoneOfferings", carriertest.JSON(200, offeringsJSON))
	for _, p := range allPortPaths {
		f.Handle("POST "+root+p, carriertest.JSON(200, `{"TicketMask":"PRT-000123","Reply":1,"Message":"Port request received"}`))
	}
	return f
}

func newClient(t *testing.T, baseURL string) *Client {
	t.Helper()
	c, err := New(Config{
		HTTP: carrier.HTTPOptions{BaseURL: baseURL + root, Timeout: 300 * time.Millisecond,
			MaxAttempts: 3, BaseBackoff: time.Millisecond},
		Username: user, Password: password,
	})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

func TestSubmitGoldenBodies(t *testing.T) {
	tests := []struct {
		name     string
		order    *order.Order
		wantPath string
		golden   string
	}{
		{"existing trunk DIDs", caOrder(), pathDIDs, "dids.golden.json"},
		{"existing trunk toll-free DIDs", tollFree(caOrder()), pathTollFreeDIDs, "tollfree_dids.golden.json"},
		{"type 1 GeneralProduct", newService("TT-GEN", func(*order.CaPortOrder) {}), pathGeneralProducts, "type1_general_product.golden.json"},
		{"type 2 GeneralChildProduct", newService("TT-CHILD", func(ca *order.CaPortOrder) { ca.ParentSubscriptionID = "SUB-1" }),
			pathGeneralChildProducts, "type2_general_child_product.golden.json"},
		{"type 3 ResidentialLine", newService("TT-RES", func(ca *order.CaPortOrder) {
			ca.Account, ca.PlanID, ca.Locale = 700123, "RES-BASIC", 5
		}), pathResidentialLines, "type3_residential_lines.golden.json"},
		{"type 4 BusinessLine", newService("TT-BUS", func(ca *order.CaPortOrder) {
			ca.Account, ca.PlanID, ca.Locale, ca.BusinessGroupID = 700123, "BUS-PRO", 2, "BG-77"
		}), pathBusinessLines, "type4_business_lines.golden.json"},
		{"type 5 PermanentCallForward", newService("TT-PCF", func(ca *order.CaPortOrder) {
			ca.Account, ca.PlanID, ca.ForwardingNumber, ca.PCFInstructions = 700123, "PCF-STD", 6135550188, "forward all calls"
		}), pathPermanentCallForwards, "type5_permanent_call_forwards.golden.json"},
		{"type 5 toll-free PermanentCallForward", tollFree(newService("TT-PCF", func(ca *order.CaPortOrder) {
			ca.Account, ca.PlanID, ca.ForwardingNumber, ca.PCFInstructions = 700123, "PCF-STD", 6135550188, "forward all calls"
		})), pathTollFreePCFs, "type5_tollfree_permanent_call_forwards.golden.json"},
		{"type 6 BusinessPermanentCallForward", newService("TT-BPCF", func(ca *order.CaPortOrder) {
			ca.BusinessGroupSubscriptionID, ca.ForwardingNumber = "BGS-5", 6135550188
		}), pathBusinessPCFs, "type6_business_permanent_call_forwards.golden.json"},
		{"type 7 VirtualFax", newService("TT-VFAX", func(ca *order.CaPortOrder) { ca.FaxEmail = "fax@maple.example" }),
			pathVirtualFaxes, "type7_virtual_fax.golden.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeThinktel(t)
			c := newClient(t, f.URL)

			got := c.Submit(context.Background(), tt.order, carrier.Submission{})

			assert.Equal(t, carrier.Result{Class: carrier.Accepted, Reference: "PRT-000123", Attempts: 1,
				Message: "Accepted: Port request received (ticket PRT-000123)"}, got)
			calls := f.Calls()
			last := calls[len(calls)-1]
			assert.Equal(t, "POST "+root+tt.wantPath, last.Method+" "+last.Path)
			assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+password)), last.Header.Get("Authorization"))
			assert.Equal(t, "application/json", last.Header.Get("Accept"))
			assert.Equal(t, "application/json", last.Header.Get("Content-Type"))
			carriertest.AssertGolden(t, "testdata/"+tt.golden, last.Body)
		})
	}
}

func TestSubmitRejectsWithoutSending(t *testing.T) {
	tests := []struct {
		name  string
		order *order.Order
		want  string
	}{
		{"missing fax e-mail", newService("TT-VFAX", func(*order.CaPortOrder) {}),
			"fax_email: required for offering TT-VFAX (VirtualFax)"},
		{"missing parent subscription", newService("TT-CHILD", func(*order.CaPortOrder) {}),
			"parent_subscription_id: required for offering TT-CHILD (GeneralChildProduct)"},
		{"missing plan", newService("TT-RES", func(ca *order.CaPortOrder) { ca.Account = 1 }),
			"plan_id: required for offering TT-RES (ResidentialLine)"},
		{"missing business group", newService("TT-BUS", func(ca *order.CaPortOrder) { ca.Account, ca.PlanID = 1, "P" }),
			"business_group_id: required for offering TT-BUS (BusinessLine)"},
		{"missing forwarding number", newService("TT-BPCF", func(ca *order.CaPortOrder) { ca.BusinessGroupSubscriptionID = "B" }),
			"forwarding_number: required for offering TT-BPCF (BusinessPermanentCallForward)"},
		{"unknown offering", newService("TT-NOPE", func(*order.CaPortOrder) {}),
			"offering_id: TT-NOPE is not offered to this account (known: TT-BPCF, TT-BUS, TT-CHILD, TT-GEN, TT-PCF, TT-RES, TT-VFAX)"},
		{"toll-free onto a fax", tollFree(newService("TT-VFAX", func(ca *order.CaPortOrder) { ca.FaxEmail = "f@x.ca" })),
			"numbers: toll-free numbers port onto a SIP trunk (pilot_number) or a PermanentCallForward offering, not TT-VFAX (VirtualFax)"},
		{"provider and reseller", func() *order.Order { o := caOrder(); o.CaPort.Form.CurrentReseller = "R"; return o }(),
			"current_provider_id, current_reseller: give one, not both"},
		{"neither trunk nor offering", func() *order.Order { o := caOrder(); o.CaPort.PilotNumber = 0; return o }(),
			"pilot_number, offering_id: give one (an existing SIP trunk or a new service)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeThinktel(t)
			c := newClient(t, f.URL)

			got := c.Submit(context.Background(), tt.order, carrier.Submission{})

			assert.Equal(t, carrier.Rejected, got.Class)
			assert.Equal(t, tt.want, got.Message)
			for _, p := range allPortPaths {
				assert.Zero(t, f.Count("POST "+root+p), "nothing sent to %s", p)
			}
		})
	}
}

func TestSubmitOutcomes(t *testing.T) {
	tests := []struct {
		name        string
		answer      carriertest.Route
		wantClass   carrier.Class
		wantRef     string
		wantMessage string
		wantPosts   int
	}{
		{"deferred", carriertest.JSON(200, `{"TicketMask":"PRT-9","Reply":2,"Message":"LOA under review"}`),
			carrier.Accepted, "PRT-9", "Deferred: LOA under review (ticket PRT-9)", 1},
		{"conditional", carriertest.JSON(200, `{"TicketMask":"PRT-9","Reply":3,"Message":"date moved"}`),
			carrier.Accepted, "PRT-9", "Conditional: date moved (ticket PRT-9)", 1},
		{"business rejection", carriertest.JSON(200, `{"TicketMask":"","Reply":0,"Message":"Number not portable"}`),
			carrier.Rejected, "", "Rejected: Number not portable", 1},
		{"error reply", carriertest.JSON(200, `{"TicketMask":"PRT-10","Reply":4,"Message":"Invalid LOA"}`),
			carrier.Rejected, "", "Error: Invalid LOA (ticket PRT-10)", 1},
		{"400 exception", carriertest.JSON(400, `{"ID":"f81d4fae","Message":"CustomerPostalCode is invalid"}`),
			carrier.Rejected, "", "port-in /v2/NumberPorts/Inbound/DIDs: HTTP 400: postal_code is invalid (error ID f81d4fae)", 1},
		{"500", carriertest.JSON(500, `{"ID":"x","Message":"Object reference not set"}`),
			carrier.InDoubt, "", "HTTP 500: Object reference not set (error ID x); the carrier may have processed it", 1},
		{"timeout", carriertest.Hang(700 * time.Millisecond), carrier.InDoubt, "", "request sent, then timeout", 1},
		{"503 storm", carriertest.JSON(503, ``), carrier.Retryable, "", "HTTP 503 (gave up after 3 attempts)", 3},
		{"429 then accepted", carriertest.Sequence(carriertest.JSON(429, ``), carriertest.JSON(200, `{"TicketMask":"PRT-11","Reply":1}`)),
			carrier.Accepted, "PRT-11", "Accepted (ticket PRT-11)", 2},
		{"2xx without reply", carriertest.JSON(200, `{"TicketMask":"PRT-12"}`),
			carrier.InDoubt, "", `port-in: HTTP 200 without a TicketResponse: {"TicketMask":"PRT-12"}`, 1},
		{"accepted without ticket", carriertest.JSON(200, `{"Reply":1}`),
			carrier.InDoubt, "", `reply 1 without TicketMask: {"Reply":1}`, 1},
		{"unknown reply keeps the ticket for the lookups", carriertest.JSON(200, `{"TicketMask":"PRT-13","Reply":9}`),
			carrier.InDoubt, "PRT-13", "with unknown reply 9", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeThinktel(t)
			f.Handle("POST "+root+pathDIDs, tt.answer)
			c := newClient(t, f.URL)

			got := c.Submit(context.Background(), caOrder(), carrier.Submission{})

			assert.Equal(t, tt.wantClass, got.Class, got.Message)
			assert.Equal(t, tt.wantRef, got.Reference)
			assert.Contains(t, got.Message, tt.wantMessage)
			assert.NotContains(t, got.Message, password)
			assert.Equal(t, tt.wantPosts, f.Count("POST "+root+pathDIDs))
		})
	}
}

func TestSubmitConnectionRefusedIsRetryable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c := newClient(t, "http://"+addr)

	got := c.Submit(context.Background(), caOrder(), carrier.Submission{})

	assert.Equal(t, carrier.Retryable, got.Class, got.Message)
	assert.Equal(t, 3, got.Attempts)
}

func TestOfferingsAreCachedPerClient(t *testing.T) {
	f := newFakeThinktel(t)
	c := newClient(t, f.URL)
	for _, id := range []string{"TT-GEN", "TT-VFAX"} {
		o := newService(id, func(ca *order.CaPortOrder) { ca.FaxEmail = "fax@maple.example" })
		require.Equal(t, carrier.Accepted, c.Submit(context.Background(), o, carrier.Submission{}).Class)
	}
	assert.Equal(t, 1, f.Count("GET "+root+"/Products/TelephoneOfferings"))
	offs, err := c.Offerings(context.Background())
	require.NoError(t, err)
	assert.Equal(t, Offering{OfferingID: "TT-VFAX", ProductName: LocalizedString{En: "Virtual fax", Fr: "Télécopie virtuelle"}, Type: 7}, offs["TT-VFAX"])
}

func TestSubmitUsesAKnownOfferingTypeWithoutLookup(t *testing.T) {
	f := newFakeThinktel(t)
	c := newClient(t, f.URL)
	o := newService("TT-VFAX", func(ca *order.CaPortOrder) { ca.OfferingType, ca.FaxEmail = TypeVirtualFax, "fax@maple.example" })

	got := c.Submit(context.Background(), o, carrier.Submission{})

	assert.Equal(t, carrier.Accepted, got.Class, got.Message)
	assert.Equal(t, []string{"POST " + root + pathVirtualFaxes}, f.Keys())
	carriertest.AssertGolden(t, "testdata/type7_virtual_fax.golden.json", f.Calls()[0].Body)
}

func TestLookups(t *testing.T) {
	f := newFakeThinktel(t)
	f.Handle("GET "+root+"/SipTrunks", carriertest.JSON(200,
		`[{"Account":700123,"Enabled":true,"Locale":2,"Number":6135550100,"PlanID":"SIP","SecondLocale":9},{"Number":4165550100}]`))
	f.Handle("GET "+root+"/NumberPorts/Providers", carriertest.JSON(200, `[{"ID":17,"Name":"Bell Canada"},{"ID":22,"Name":"Rogers"}]`))
	f.Handle("GET "+root+"/v2/NumberPorts/Inbound/Numbers/6135550101/PortInStatus", carriertest.JSON(200,
		`{"Status":"REJECTED","ValidationLSC":true,"TicketId":"PRT-000123","NumbersToPort":[6135550101],"PortDate":"20260415",
		  "RejectReason":"Account number mismatch","RejectDetails":[{"RJCT CODE":"6P","RJCT REMARKS":"AN mismatch"}]}`))
	c := newClient(t, f.URL)
	ctx := context.Background()

	pilots, err := c.SipTrunks(ctx)
	require.NoError(t, err)
	assert.Equal(t, []int64{6135550100, 4165550100}, pilots)

	providers, err := c.Providers(ctx)
	require.NoError(t, err)
	assert.Equal(t, []Provider{{ID: 17, Name: "Bell Canada"}, {ID: 22, Name: "Rogers"}}, providers)

	st, err := c.PortInStatus(ctx, 6135550101)
	require.NoError(t, err)
	assert.Equal(t, "REJECTED", st.Status)
	assert.Equal(t, "PRT-000123", st.TicketID)
	assert.Equal(t, "6P", st.RejectDetails[0]["RJCT CODE"])

	_, err = c.TicketPortInStatus(ctx, "PRT-404")
	assert.ErrorIs(t, err, carrier.ErrRejected, "404 on a lookup")
}

func TestSubmitCredentialsRefusedIsAuthRefused(t *testing.T) {
	f := newFakeThinktel(t)
	f.Handle("POST "+root+pathDIDs, carriertest.JSON(401, `{"ID":"e-1","Message":"authentication failed"}`))
	c := newClient(t, f.URL)

	got := c.Submit(context.Background(), caOrder(), carrier.Submission{})

	assert.Equal(t, carrier.AuthRefused, got.Class, "a refused password is no row problem: %s", got.Message)
	assert.Equal(t, 1, f.Count("POST "+root+pathDIDs), "never retried")
}

// A failed offerings lookup happens before anything is sent: the row is
// not rejected (nothing is wrong with it), it is sent again later.
func TestSubmitOfferingsLookupFailureIsNotARejection(t *testing.T) {
	tests := []struct {
		name   string
		answer carriertest.Route
		want   carrier.Class
	}{
		{"unreadable answer", carriertest.JSON(200, `{"not":"a list"}`), carrier.Retryable},
		{"404", carriertest.JSON(404, `{"ID":"x","Message":"no such resource"}`), carrier.Retryable},
		{"500 storm", carriertest.JSON(500, `{}`), carrier.Retryable},
		{"credentials refused", carriertest.JSON(401, `{}`), carrier.AuthRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeThinktel(t)
			f.Handle("GET "+root+"/Products/TelephoneOfferings", tt.answer)
			c := newClient(t, f.URL)

			got := c.Submit(context.Background(), newService("TT-GEN", func(*order.CaPortOrder) {}), carrier.Submission{})

			assert.Equal(t, tt.want, got.Class, got.Message)
			assert.Contains(t, got.Message, "look up offerings")
			assert.Zero(t, f.Count("POST "+root+pathGeneralProducts), "nothing sent")
		})
	}
}

func TestOfferingsReadProductNameInEitherShape(t *testing.T) {
	f := newFakeThinktel(t)
	f.Handle("GET "+root+"/Products/TelephoneOfferings", carriertest.JSON(200, `[
	 {"OfferingID":"TT-GEN","ProductName":"General","Type":1},
	 {"OfferingID":"TT-VFAX","ProductName":{"En":"Virtual fax","Fr":"Télécopie virtuelle"},"Type":7},
	 {"OfferingID":"TT-NULL","ProductName":null,"Type":3},
	 {"OfferingID":"TT-NONE","Type":4}]`))
	c := newClient(t, f.URL)

	offs, err := c.Offerings(context.Background())

	require.NoError(t, err)
	assert.Equal(t, map[string]Offering{
		"TT-GEN":  {OfferingID: "TT-GEN", ProductName: LocalizedString{En: "General"}, Type: 1},
		"TT-VFAX": {OfferingID: "TT-VFAX", ProductName: LocalizedString{En: "Virtual fax", Fr: "Télécopie virtuelle"}, Type: 7},
		"TT-NULL": {OfferingID: "TT-NULL", Type: 3},
		"TT-NONE": {OfferingID: "TT-NONE", Type: 4},
	}, offs)
}

func TestLocalizedStringRefusesOtherShapes(t *testing.T) {
	for _, in := range []string{`42`, `["a"]`, `{"En":1}`} {
		var s LocalizedString
		assert.Error(t, json.Unmarshal([]byte(in), &s), in)
	}
}
