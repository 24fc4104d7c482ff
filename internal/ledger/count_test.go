package ledger

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCountStates(t *testing.T) {
	l, _ := openTest(t)
	got, err := l.CountStates()
	require.NoError(t, err)
	assert.Empty(t, got)

	require.NoError(t, l.BeginSubmits([]Intent{intent("a", "1"), intent("b", "1"), intent("c", "1"), intent("d", "1")}))
	require.NoError(t, l.RecordOutcomes([]Outcome{{Key: "a", State: Submitted, Reference: "R1"}, {Key: "b", State: InDoubt}, {Key: "c", State: InDoubt}}))
	got, err = l.CountStates()
	require.NoError(t, err)
	assert.Equal(t, map[State]int{Submitted: 1, InDoubt: 2, Submitting: 1}, got)
}
