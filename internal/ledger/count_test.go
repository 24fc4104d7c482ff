package ledger

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCountInDoubt(t *testing.T) {
	l, _ := openTest(t)
	got, err := l.CountInDoubt()
	require.NoError(t, err)
	assert.Zero(t, got)

	require.NoError(t, l.BeginSubmits([]Intent{intent("a", "1"), intent("b", "1"), intent("c", "1"), intent("d", "1")}))
	require.NoError(t, l.RecordOutcomes([]Outcome{{Key: "a", State: Submitted, Reference: "R1"}, {Key: "b", State: InDoubt}, {Key: "c", State: InDoubt}}))
	got, err = l.CountInDoubt()
	require.NoError(t, err)
	assert.Equal(t, 2, got, "b and c; a is submitted, d still submitting")

	require.NoError(t, l.Resolve("b", Resolution{Reference: "R2", By: "test"}))
	got, err = l.CountInDoubt()
	require.NoError(t, err)
	assert.Equal(t, 1, got)
}
