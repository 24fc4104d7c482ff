package carriers

import (
	"context"
	"testing"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/order"
)

// TestReferenceNamesEveryCarrier: the reference data handed to the online
// checks names the carrier of every kind, for their messages ("not one of
// your Thinktel SIP trunks"), even of a carrier not configured.
func TestReferenceNamesEveryCarrier(t *testing.T) {
	cs := &Set{clients: map[string]carrier.Client{}}
	ref, _ := cs.ReferenceEach(context.Background(), batch.NewStops())
	want := map[order.Kind]string{order.FrPort: "Netwo", order.CaPort: "Thinktel", order.L2: "Prizz"}
	for k, w := range want {
		if got := ref.Carrier[k]; got != w {
			t.Errorf("%s: got carrier %q, want %q", k, got, w)
		}
	}
}
