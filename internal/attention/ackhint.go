package attention

import (
	"context"
	"fmt"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// AckHint says, for an order on the attention list that resolve cannot
// settle (a rejection, a cancellation), how it leaves the list; "" when
// it is not on it.
func AckHint(ctx context.Context, l *ledger.Ledger, key string) string {
	items, err := Collect(ctx, Sources{Ledger: l})
	if err != nil {
		return ""
	}
	for _, it := range items {
		if it.Key == key {
			return fmt.Sprintf("; it is on the attention list as %s: correct the row and drop it again (it is sent again under the same order_ref), "+
				"or take it off the list: orderdrop attention ack %s --note WHY", it.Kind, it.ID)
		}
	}
	return ""
}
