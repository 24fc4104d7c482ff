package batch_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
)

// Orders placed on a carrier's test platform do not make the same orders
// already_submitted in production: switching the environment sends them.
func TestSandboxEnvironmentTestThenProductionSendsAgain(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	in := writeKindCSV(t, sb.dir, "l2.csv", order.L2, l2SimRow("L2-A"), l2SimRow("L2-B").with("street_number", "4"))
	base := sb.url + sim.PrizzPrefix

	sb.opts.Places = map[order.Kind]batch.Place{order.L2: {Environment: "test", BaseURL: base}}
	s := sb.process(t, in)
	assert.Equal(t, map[string]int{batch.Submitted: 2}, s.Counts, "test: got %v, want 2 submitted", s.Counts)
	s = sb.process(t, in)
	assert.Equal(t, map[string]int{batch.AlreadySubmitted: 2}, s.Counts, "test again: got %v, want 2 already_submitted", s.Counts)
	require.Len(t, sb.sim.Orders(), 2)

	sb.opts.Places = map[order.Kind]batch.Place{order.L2: {Environment: ledger.Production, BaseURL: base}}
	s = sb.process(t, in)
	assert.Equal(t, map[string]int{batch.Submitted: 2}, s.Counts, "production: got %v, want 2 submitted", s.Counts)
	assert.Len(t, sb.sim.Orders(), 4, "got %d orders at the sandbox, want 2 more for production", len(sb.sim.Orders()))

	for key, want := range map[string]string{orderKey(order.L2, "L2-A") + "@test": "test", orderKey(order.L2, "L2-A"): ledger.Production} {
		o, err := sb.l.Get(key)
		require.NoError(t, err, key)
		assert.Equal(t, want, o.Env, "%s: got environment %q, want %q", key, o.Env, want)
		assert.Equal(t, base, o.BaseURL, "%s: got base URL %q, want %q", key, o.BaseURL, base)
	}
}

// Without Places (a caller that knows no environments) keys are those of
// production, as ever.
func TestSandboxNoPlacesIsProduction(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	in := writeKindCSV(t, sb.dir, "l2.csv", order.L2, l2SimRow("L2-A"))
	sb.process(t, in)
	o, err := sb.l.Get(orderKey(order.L2, "L2-A"))
	require.NoError(t, err)
	assert.Equal(t, ledger.Production, o.Environment())
}
