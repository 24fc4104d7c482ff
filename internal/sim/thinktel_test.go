package sim

import (
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tt = "/thinktel/rest.svc"

func portForm() map[string]any {
	return map[string]any{
		"CustomerName": "Harbourfront Physiotherapy Inc.", "CustomerAccountNumber": "BC-7730-4418",
		"CustomerStreetNumber": "390", "CustomerStreetName": "Queens Quay West", "CustomerUnit": "Suite 210",
		"CustomerCity": "Toronto", "CustomerProvince": "ON", "CustomerPostalCode": "M5V 3A6", "CustomerCountry": "CA",
		"EmailAddress": "admin@harbourfront.example", "CurrentProvider": 311, "RequestedPortDate": "2027-01-04",
		"FileLetterOfAuthorization": []any{map[string]any{
			"FileName": "loa.pdf", "ContentType": "application/pdf",
			"Base64Contents": base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 letter")),
		}},
	}
}

func didBody(numbers ...int64) map[string]any {
	dids := []any{}
	for _, n := range numbers {
		dids = append(dids, map[string]any{"Number": n, "Label": "Front desk"})
	}
	return map[string]any{"PilotNumber": 4165550100, "DIDs": dids, "PortForm": portForm()}
}

func TestThinktelAuth(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	tests := []struct {
		name string
		auth func(*http.Request)
	}{
		{"none", nil},
		{"wrong password", func(r *http.Request) { r.SetBasicAuth("sim-thinktel", "nope") }},
		{"wrong user", func(r *http.Request) { r.SetBasicAuth("x", "sim-thinktel-password") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, ts, "GET", tt+"/SipTrunks", nil, tc.auth)
			assert.Equal(t, http.StatusUnauthorized, got.status)
			m := got.json(t)
			assert.NotEmpty(t, m["ID"])
			assert.NotEmpty(t, m["Message"])
		})
	}
}

func TestThinktelReferenceLists(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	trunks := call(t, ts, "GET", tt+"/SipTrunks", nil, thinktelAuth)
	require.Equal(t, http.StatusOK, trunks.status)
	for _, pilot := range []string{"4165550100", "5145550100", "2065550100"} {
		assert.Contains(t, string(trunks.body), `"Number":`+pilot)
	}
	offerings := call(t, ts, "GET", tt+"/Products/TelephoneOfferings", nil, thinktelAuth)
	require.Equal(t, http.StatusOK, offerings.status)
	for typ := range 7 {
		assert.Contains(t, string(offerings.body), `"Type":`+itoa(typ+1))
	}
	assert.Contains(t, string(offerings.body), `"PotentialParentSubscriptions":[{`)
	providers := call(t, ts, "GET", tt+"/NumberPorts/Providers", nil, thinktelAuth)
	assert.Contains(t, string(providers.body), `{"ID":312,"Name":"Vidéotron"}`)
}

func TestThinktelPortInAccepted(t *testing.T) {
	lineOrder := func(extra map[string]any) map[string]any {
		l := map[string]any{"Account": 100200, "Enabled": true, "Locale": 2, "SecondLocale": 9,
			"Number": map[string]any{"Number": 4165550140}}
		for k, v := range extra {
			l[k] = v
		}
		return l
	}
	withNumbers := func(m map[string]any, numbers ...int64) map[string]any {
		pf := portForm()
		pf["NumbersToPort"] = numbers
		m["PortForm"] = pf
		return m
	}
	tollFreeDID := didBody(8665550170)
	tollFreeDID["PilotNumber"] = 5145550100
	tests := []struct {
		path string
		body map[string]any
	}{
		{"/v2/NumberPorts/Inbound/DIDs", didBody(4165550120, 4165550121)},
		{"/v2/NumberPorts/Inbound/TollFree/DIDs", tollFreeDID},
		{"/NumberPorts/Inbound/GeneralProducts", withNumbers(map[string]any{"OfferingID": "TT-GENERAL"}, 4165550150)},
		{"/NumberPorts/Inbound/GeneralChildProducts", withNumbers(map[string]any{"OfferingID": "TT-GENERAL-CHILD", "ParentSubscriptionID": "SUB-4165550100"}, 4165550151)},
		{"/v2/NumberPorts/Inbound/ResidentialLines", map[string]any{"Lines": []any{lineOrder(map[string]any{"PlanID": "TT-RES-LINE"})}, "PortForm": portForm()}},
		{"/v2/NumberPorts/Inbound/BusinessLines", map[string]any{"Lines": []any{lineOrder(map[string]any{"PlanID": "TT-BUS-LINE", "BusinessGroupID": "BG-1"})}, "PortForm": portForm()}},
		{"/v2/NumberPorts/Inbound/PermanentCallForwards", map[string]any{"Forwards": []any{map[string]any{
			"Account": 100200, "CallForwardingNumber": 4165550199, "Enabled": true, "Number": map[string]any{"Number": 4165550160},
			"PCFProvisioningInstructions": "forward all", "PlanID": "TT-PCF"}}, "PortForm": portForm()}},
		{"/v2/NumberPorts/Inbound/TollFree/PermanentCallForwards", map[string]any{"Forwards": []any{map[string]any{
			"Account": 100200, "CallForwardingNumber": 4165550199, "Enabled": true, "Number": map[string]any{"Number": 8885550161},
			"PCFProvisioningInstructions": "forward all", "PlanID": "TT-PCF"}}, "PortForm": portForm()}},
		{"/NumberPorts/Inbound/BusinessPermanentCallForwards", map[string]any{"BusinessGroupSubscriptionID": "BG-SUB-1", "OfferingID": "TT-BUS-PCF",
			"ForwardingInstructions": []any{map[string]any{"TN": 4165550170, "ForwardingTN": 4165550199}}, "PortForm": portForm()}},
		{"/NumberPorts/Inbound/VirtualFaxes", withNumbers(map[string]any{"OfferingID": "TT-VFAX", "FaxEmail": "fax@harbourfront.example"}, 4165550180)},
	}
	s, ts := newTestServer(t, Options{})
	for i, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			got := call(t, ts, "POST", tt+tc.path, tc.body, thinktelAuth)
			require.Equal(t, http.StatusOK, got.status, "body: %s", got.body)
			m := got.json(t)
			assert.Equal(t, float64(1), m["Reply"])
			assert.Regexp(t, `^PI-\d{7}$`, m["TicketMask"])
			orders := s.Orders()
			require.Len(t, orders, i+1)
			assert.Equal(t, CarrierThinktel, orders[i].Carrier)
			assert.Equal(t, m["TicketMask"], orders[i].Reference)
			assert.Equal(t, tt+tc.path, orders[i].Path)
		})
	}

	got := call(t, ts, "GET", tt+"/v2/NumberPorts/Inbound/Numbers/4165550121/PortInStatus", nil, thinktelAuth)
	require.Equal(t, http.StatusOK, got.status)
	m := got.json(t)
	assert.Equal(t, "SUBMITTED", m["Status"])
	assert.Equal(t, true, m["ValidationLSC"])
	assert.Equal(t, s.Orders()[0].Reference, m["TicketId"])
	assert.Equal(t, []any{float64(4165550120), float64(4165550121)}, m["NumbersToPort"])
	assert.Equal(t, "20270104", m["PortDate"])

	byTicket := call(t, ts, "GET", tt+"/v2/NumberPorts/Inbound/Tickets/"+s.Orders()[0].Reference+"/PortInStatus", nil, thinktelAuth)
	assert.Equal(t, http.StatusOK, byTicket.status)

	missing := call(t, ts, "GET", tt+"/v2/NumberPorts/Inbound/Numbers/4165559999/PortInStatus", nil, thinktelAuth)
	assert.Equal(t, http.StatusNotFound, missing.status)
	assert.NotEmpty(t, missing.json(t)["ID"])
}

func TestThinktelPortInRejected(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	pf := func(b map[string]any) map[string]any { return at(b, "PortForm") }
	tests := []struct {
		name string
		path string
		body func() map[string]any
		want string
	}{
		{"PilotNumber as string", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any {
			b := didBody(4165550120)
			b["PilotNumber"] = "4165550100"
			return b
		}, "PilotNumber"},
		{"unknown trunk", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any {
			b := didBody(4165550120)
			b["PilotNumber"] = 4165550999
			return b
		}, "PilotNumber"},
		{"toll-free on regular endpoint", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any { return didBody(8005550100) }, "TollFree"},
		{"regular on toll-free endpoint", "/v2/NumberPorts/Inbound/TollFree/DIDs", func() map[string]any { return didBody(4165550120) }, "only toll-free"},
		{"mixed", "/v2/NumberPorts/Inbound/TollFree/DIDs", func() map[string]any { return didBody(8665550170, 4165550120) }, "cannot be mixed"},
		{"number 9 digits", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any { return didBody(416555012) }, "DIDs[0].Number"},
		{"offering type mismatch", "/NumberPorts/Inbound/GeneralProducts", func() map[string]any {
			b := map[string]any{"OfferingID": "TT-VFAX", "PortForm": portForm()}
			pf(b)["NumbersToPort"] = []any{4165550150}
			return b
		}, "Type 7"},
		{"unknown offering", "/NumberPorts/Inbound/VirtualFaxes", func() map[string]any {
			b := map[string]any{"OfferingID": "TT-NOPE", "FaxEmail": "f@x.example", "PortForm": portForm()}
			pf(b)["NumbersToPort"] = []any{4165550150}
			return b
		}, "unknown offering"},
		{"line plan of wrong type", "/v2/NumberPorts/Inbound/ResidentialLines", func() map[string]any {
			return map[string]any{"Lines": []any{map[string]any{"Account": 1, "Enabled": true, "Locale": 2, "SecondLocale": 9,
				"Number": map[string]any{"Number": 4165550140}, "PlanID": "TT-BUS-LINE"}}, "PortForm": portForm()}
		}, "Type 4"},
		{"missing CustomerPostalCode", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any {
			b := didBody(4165550120)
			delete(pf(b), "CustomerPostalCode")
			return b
		}, "PortForm.CustomerPostalCode"},
		{"country FR", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any {
			b := didBody(4165550120)
			pf(b)["CustomerCountry"] = "FR"
			return b
		}, "CustomerCountry"},
		{"provider and reseller", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any {
			b := didBody(4165550120)
			pf(b)["CurrentReseller"] = "Someone"
			return b
		}, "not both"},
		{"neither provider nor reseller", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any {
			b := didBody(4165550120)
			delete(pf(b), "CurrentProvider")
			return b
		}, "CurrentProvider"},
		{"unknown provider", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any {
			b := didBody(4165550120)
			pf(b)["CurrentProvider"] = 999
			return b
		}, "unknown provider"},
		{"LOA not base64", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any {
			b := didBody(4165550120)
			at(pf(b), "FileLetterOfAuthorization", 0)["Base64Contents"] = "%%%not base64"
			return b
		}, "Base64Contents"},
		{"LOA without name", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any {
			b := didBody(4165550120)
			delete(at(pf(b), "FileLetterOfAuthorization", 0), "FileName")
			return b
		}, "FileName"},
		{"no PortForm", "/v2/NumberPorts/Inbound/DIDs", func() map[string]any {
			b := didBody(4165550120)
			delete(b, "PortForm")
			return b
		}, "PortForm"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, ts, "POST", tt+tc.path, clone(t, tc.body()), thinktelAuth)
			assert.Equal(t, http.StatusBadRequest, got.status, "body: %s", got.body)
			m := got.json(t)
			assert.Regexp(t, `^[0-9a-f-]{36}$`, m["ID"])
			assert.Contains(t, m["Message"], tc.want)
		})
	}
	assert.Empty(t, s.Orders())
}

func TestThinktelBusinessReplies(t *testing.T) {
	tests := []struct {
		account    string
		wantReply  float64
		wantOrders int
		wantStatus string
	}{
		{"REJECT", 0, 0, ""},
		{"DEFER", 2, 1, "PENDING"},
		{"CONDITIONAL", 3, 1, "SUBMITTED"},
	}
	for _, tc := range tests {
		t.Run(tc.account, func(t *testing.T) {
			s, ts := newTestServer(t, Options{})
			b := didBody(4165550120)
			at(b, "PortForm")["CustomerAccountNumber"] = tc.account
			got := call(t, ts, "POST", tt+"/v2/NumberPorts/Inbound/DIDs", b, thinktelAuth)
			require.Equal(t, http.StatusOK, got.status)
			assert.Equal(t, tc.wantReply, got.json(t)["Reply"])
			assert.NotEmpty(t, got.json(t)["Message"])
			assert.Len(t, s.Orders(), tc.wantOrders)
			st := call(t, ts, "GET", tt+"/v2/NumberPorts/Inbound/Numbers/4165550120/PortInStatus", nil, thinktelAuth)
			if tc.wantStatus == "" {
				assert.Equal(t, http.StatusNotFound, st.status)
				assert.Empty(t, got.json(t)["TicketMask"])
				return
			}
			assert.Equal(t, tc.wantStatus, st.json(t)["Status"])
		})
	}
}
