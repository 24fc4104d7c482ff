package order

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNeedsNamesTheReferenceDataOfEachCheck(t *testing.T) {
	tests := []struct {
		name string
		o    *Order
		want []RefData
	}{
		{"fr-port by prefix", &Order{FrPort: &FrPortOrder{Prefix: "010203"}}, []RefData{RefFrPrefixes}},
		{"fr-port by service id", &Order{FrPort: &FrPortOrder{PrefixServiceID: "svc"}}, []RefData{RefFrPrefixes}},
		{"ca-port onto a trunk", &Order{CaPort: &CaPortOrder{PilotNumber: 4165550100, Form: PortForm{CurrentProvider: 311}}},
			[]RefData{RefCaTrunks, RefCaProviders}},
		{"ca-port new service, reseller named", &Order{CaPort: &CaPortOrder{OfferingID: "TT-VFAX", Form: PortForm{CurrentReseller: "Distributel"}}},
			[]RefData{RefCaOfferings}},
		{"l2 with contacts and port", &Order{L2: &L2Order{GTRContactHO: 7101, PortRef: "PZ-1"}}, []RefData{RefL2Contacts, RefL2Ports}},
		{"l2 with follow contacts only", &Order{L2: &L2Order{FollowContactIDs: []int{7103}}}, []RefData{RefL2Contacts}},
		{"nothing to check", &Order{L2: &L2Order{}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.o.Needs())
		})
	}
}
