package track

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// submitAt stores a submitted order "<carrier>/<ref>" placed in env at base.
func submitAt(t *testing.T, l *ledger.Ledger, carrierName, ref, env, base string) {
	t.Helper()
	k := carrierName + "/" + ref
	require.NoError(t, l.BeginSubmits([]ledger.Intent{{Key: k, Kind: "l2", Carrier: carrierName, Ref: ref, Fingerprint: "fp",
		BatchID: "b1", Environment: env, BaseURL: base}}))
	require.NoError(t, l.RecordOutcomes([]ledger.Outcome{{Key: k, State: ledger.Submitted, Reference: ref}}))
}

func TestPassAsksEachOrderAtItsBaseURL(t *testing.T) {
	l, _ := newLedger(t)
	submitAt(t, l, "prizz", "OLDURL", "", "https://a.example") // before a base_url change
	submitAt(t, l, "prizz", "NOURL", "", "")                   // recorded before base URLs were
	submitAt(t, l, "prizz", "HERE", "production", "https://b.example")
	submitAt(t, l, "prizz", "TEST", "test", "https://t.example") // another environment

	current := &fakeTracker{answers: map[string]carrier.Status{}, errs: map[string]error{}}
	old := &fakeTracker{answers: map[string]carrier.Status{}, errs: map[string]error{}}
	var at []string
	opts := Options{
		Trackers: map[string]Tracker{"prizz": current},
		Places:   map[string]Place{"prizz": {Environment: "production", BaseURL: "https://b.example"}},
		TrackerAt: func(name, base string) (Tracker, error) {
			at = append(at, name+" "+base)
			return old, nil
		},
	}
	s, err := Pass(context.Background(), Held(l), opts)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"NOURL", "HERE"}, current.asked, "got %v asked at the configured base URL", current.asked)
	assert.Equal(t, []string{"OLDURL"}, old.asked, "got %v asked at the old base URL, want the order sent there", old.asked)
	assert.Equal(t, []string{"prizz https://a.example"}, at)
	assert.Equal(t, 1, s.Elsewhere, "got %d orders of another environment, want 1", s.Elsewhere)
	assert.Contains(t, s.Line(), "1 placed on another environment, not followed")

	o, err := l.Get("prizz/TEST")
	require.NoError(t, err)
	require.NotNil(t, o.Track)
	assert.Contains(t, o.Track.Stopped, "placed on test, not followed")

	current.asked, old.asked = nil, nil
	s, err = Pass(context.Background(), Held(l), opts)
	require.NoError(t, err)
	assert.Equal(t, 0, s.Elsewhere, "an order of another environment is listed once")
	assert.NotContains(t, append(current.asked, old.asked...), "TEST")
}
