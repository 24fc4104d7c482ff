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

// CarrierOf names the carrier that receives orders of kind k ("" for none).
func CarrierOf(k order.Kind) string {
	return Carriers.Of(k)
}
