package batch_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
)

// countingReconciler counts its lookups.
type countingReconciler struct {
	next batch.Reconciler
	n    int
}

func (c *countingReconciler) Reconcile(ctx context.Context, fields map[string]string, ref string) (carrier.Finding, error) {
	c.n++
	return c.next.Reconcile(ctx, fields, ref)
}

// An order in doubt is looked up at the base URL it was sent to, and not at
// all when its environment is no longer the configured one.
func TestRecoverLooksUpAtTheOrdersBaseURL(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	clock := withClock(t, sb)
	sent := sb.url + sim.ThinktelPrefix
	sb.opts.Places = map[order.Kind]batch.Place{order.CaPort: {Environment: ledger.Production, BaseURL: sent}}
	lostOrder(t, sb)
	tt := sb.opts.Carriers[order.CaPort].(batch.Reconciler)

	configured := &countingReconciler{next: tt}
	there := &countingReconciler{next: tt}
	var asked []string
	opts := batch.RecoverOptions{
		Reconcilers: map[string]batch.Reconciler{"thinktel": configured},
		Places:      map[string]batch.Place{"thinktel": {Environment: ledger.Production, BaseURL: "https://api.thinktel.example"}},
		ReconcilerAt: func(name, base string) (batch.Reconciler, error) {
			asked = append(asked, name+" "+base)
			return there, nil
		},
	}
	r := sb.recover(t, opts)
	assert.Equal(t, 1, r.Looked)
	assert.Equal(t, []string{"thinktel " + sent}, asked, "got lookups at %v, want at the base URL the order was sent to", asked)
	assert.Equal(t, 0, configured.n)
	assert.Equal(t, 1, there.n)

	opts.Places = map[string]batch.Place{"thinktel": {Environment: "test", BaseURL: sent}}
	clock.Add(time.Hour) // past recovery.lookup_every
	r = sb.recover(t, opts)
	assert.Equal(t, 0, r.Looked, "an order placed in production is not looked up on the test platform")
	assert.Equal(t, 1, r.Waiting)
	o, err := sb.l.Get(lostKey)
	require.NoError(t, err)
	assert.Equal(t, ledger.InDoubt, o.State)
}
