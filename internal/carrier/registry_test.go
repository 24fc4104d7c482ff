package carrier

import (
	"testing"

	"github.com/orderdrop/orderdrop/internal/order"
)

func TestRegistryPanicsOnAKindRegisteredTwice(t *testing.T) {
	r := NewRegistry()
	r.Register(Registration{Name: "a", Kinds: []order.Kind{order.L2}})
	defer func() {
		if recover() == nil {
			t.Error("a second carrier for l2 was accepted")
		}
	}()
	r.Register(Registration{Name: "b", Kinds: []order.Kind{order.L2}})
}
