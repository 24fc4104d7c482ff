// Package registry lists orderdrop's carriers: one Register line per
// carrier package. Adding a carrier is writing its package (a
// Registration function, its clients) and adding its line here.
package registry

import (
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/netwo"
	"github.com/orderdrop/orderdrop/internal/carrier/prizz"
	"github.com/orderdrop/orderdrop/internal/carrier/thinktel"
	"github.com/orderdrop/orderdrop/internal/order"
)

// Carriers is every carrier orderdrop knows.
var Carriers = all()

func all() *carrier.Registry {
	r := carrier.NewRegistry()
	r.Register(netwo.Registration())
	r.Register(prizz.Registration())
	r.Register(thinktel.Registration())
	return r
}

// RefLabel is how messages name reference data d ("Thinktel's SIP trunks").
func RefLabel(d order.RefData) string {
	return Carriers.Label(d)
}

// Needs lists the reference data that o's online checks (or its carrier
// client) use; while one cannot be read, o is not sent.
func Needs(o *order.Order) []order.RefData {
	return Carriers.Needs(o)
}

// TitleOf is the carrier of kind k as people write it ("" for none).
func TitleOf(k order.Kind) string {
	if r := Carriers.Lookup(Carriers.Of(k)); r != nil {
		return r.Title
	}
	return ""
}

// CarrierOf names the carrier that receives orders of kind k ("" for none).
func CarrierOf(k order.Kind) string {
	return Carriers.Of(k)
}
