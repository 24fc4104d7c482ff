package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orderdrop/orderdrop/internal/order"
)

func TestNeedsNamesTheReferenceDataOfEachCheck(t *testing.T) {
	tests := []struct {
		name string
		o    *order.Order
		want []order.RefData
	}{
		{"fr-port by prefix", &order.Order{FrPort: &order.FrPortOrder{Prefix: "010203"}}, []order.RefData{order.RefFrPrefixes}},
		{"fr-port by service id", &order.Order{FrPort: &order.FrPortOrder{PrefixServiceID: "svc"}}, []order.RefData{order.RefFrPrefixes}},
		{"ca-port onto a trunk", &order.Order{CaPort: &order.CaPortOrder{PilotNumber: 4165550100, Form: order.PortForm{CurrentProvider: 311}}},
			[]order.RefData{order.RefCaTrunks, order.RefCaProviders}},
		{"ca-port new service, reseller named", &order.Order{CaPort: &order.CaPortOrder{OfferingID: "TT-VFAX", Form: order.PortForm{CurrentReseller: "Distributel"}}},
			[]order.RefData{order.RefCaOfferings}},
		{"l2 with contacts and port", &order.Order{L2: &order.L2Order{GTRContactHO: 7101, PortRef: "PZ-1"}}, []order.RefData{order.RefL2Contacts, order.RefL2Ports}},
		{"l2 with follow contacts only", &order.Order{L2: &order.L2Order{FollowContactIDs: []int{7103}}}, []order.RefData{order.RefL2Contacts}},
		{"nothing to check", &order.Order{L2: &order.L2Order{}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Needs(tt.o))
		})
	}
}

// TestRefLabel: messages name each list of reference data as before the
// carriers gave the labels ("could not read Thinktel's SIP trunks").
func TestRefLabel(t *testing.T) {
	tests := []struct {
		d    order.RefData
		want string
	}{
		{order.RefFrPrefixes, "Netwo's portability prefixes"},
		{order.RefCaTrunks, "Thinktel's SIP trunks"},
		{order.RefCaOfferings, "Thinktel's telephone offerings"},
		{order.RefCaProviders, "Thinktel's losing-carrier list"},
		{order.RefL2Contacts, "Prizz's operator contacts"},
		{order.RefL2Ports, "Prizz's delivery ports"},
		{order.RefData("nope"), "nope"},
	}
	for _, tt := range tests {
		if got := RefLabel(tt.d); got != tt.want {
			t.Errorf("RefLabel(%s): got %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestTitles: messages name each carrier as before its registration gave
// the name ("Thinktel SIP trunks").
func TestTitles(t *testing.T) {
	want := map[string]string{"netwo": "Netwo", "prizz": "Prizz", "thinktel": "Thinktel"}
	for _, reg := range Carriers.Registrations() {
		if got := reg.Title; got != want[reg.Name] {
			t.Errorf("%s: got Title %q, want %q", reg.Name, got, want[reg.Name])
		}
	}
}
