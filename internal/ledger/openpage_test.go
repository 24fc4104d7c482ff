package ledger

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Walking the open orders a few keys a read gives every open order once,
// in key order, whatever the step.
func TestOpenAfterWalksTheOpenOrdersInSteps(t *testing.T) {
	l, _ := openTest(t)
	for _, s := range allStates[1:] {
		putInState(t, l, "k-"+string(s), s)
	}
	for _, k := range []string{"a-1", "a-2", "a-3", "z-1"} {
		putInState(t, l, k, Submitted)
	}
	want := openKeys(t, l)
	require.NotEmpty(t, want)
	for _, step := range []int{1, 2, 3, 100} {
		var got []string
		after := ""
		for range 100 {
			orders, next, err := l.OpenAfter(after, step)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(orders), step, "got %d orders in a step of %d", len(orders), step)
			for _, o := range orders {
				got = append(got, o.Key)
			}
			if next == "" {
				break
			}
			after = next
		}
		assert.Equal(t, want, got, "step %d", step)
	}
}
