package registry

import (
	"testing"

	"github.com/orderdrop/orderdrop/internal/order"
)

// TestCarrierOf: every kind has its carrier, as before the registry.
func TestCarrierOf(t *testing.T) {
	tests := []struct {
		kind order.Kind
		want string
	}{
		{order.FrPort, "netwo"},
		{order.CaPort, "thinktel"},
		{order.L2, "prizz"},
		{order.Kind("nope"), ""},
	}
	for _, tt := range tests {
		if got := CarrierOf(tt.kind); got != tt.want {
			t.Errorf("CarrierOf(%s) = %q, want %q", tt.kind, got, tt.want)
		}
	}
	for _, k := range order.Kinds {
		if CarrierOf(k) == "" {
			t.Errorf("kind %s has no carrier registered", k)
		}
	}
}

// TestCredentials: each carrier names the keys of its credentials.
func TestCredentials(t *testing.T) {
	for _, name := range Carriers.Names() {
		if c := Carriers.Lookup(name); len(c.Credentials) == 0 {
			t.Errorf("carrier %s registers no credentials", name)
		}
	}
}
