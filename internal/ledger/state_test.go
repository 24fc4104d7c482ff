package ledger

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allStates lists every state plus "" (an order the ledger has never seen).
var allStates = []State{"", Submitting, Submitted, Rejected, InDoubt, NotSubmitted, Retryable}

// putInState drives key into state s through the public API.
func putInState(t *testing.T, l *Ledger, key string, s State) {
	t.Helper()
	if s == "" {
		return
	}
	require.NoError(t, l.BeginSubmits([]Intent{intent(key, "fp1")}))
	switch s {
	case Submitting:
	case NotSubmitted:
		require.NoError(t, l.Resolve(key, Resolution{NotSubmitted: true, By: "alice", Why: "never sent"}))
	default:
		require.NoError(t, l.RecordOutcomes([]Outcome{{Key: key, State: s, Reference: "R-1"}}))
	}
	require.Equal(t, s, stateOfKey(t, l, key))
}

func TestTransitions(t *testing.T) {
	ops := []struct {
		name string
		do   func(l *Ledger, key string) error
		from []State // the states the operation is allowed from
		to   State
	}{
		{"begin", func(l *Ledger, k string) error { return l.BeginSubmits([]Intent{intent(k, "fp2")}) },
			[]State{"", NotSubmitted, Retryable, Rejected}, Submitting},
		{"outcome submitted", func(l *Ledger, k string) error {
			return l.RecordOutcomes([]Outcome{{Key: k, State: Submitted, Reference: "R-9"}})
		}, []State{Submitting}, Submitted},
		{"outcome rejected", func(l *Ledger, k string) error {
			return l.RecordOutcomes([]Outcome{{Key: k, State: Rejected, Message: "bad SIRET"}})
		}, []State{Submitting}, Rejected},
		{"outcome in_doubt", func(l *Ledger, k string) error {
			return l.RecordOutcomes([]Outcome{{Key: k, State: InDoubt, Message: "timeout"}})
		}, []State{Submitting}, InDoubt},
		{"outcome retryable", func(l *Ledger, k string) error {
			return l.RecordOutcomes([]Outcome{{Key: k, State: Retryable, Message: "503"}})
		}, []State{Submitting}, Retryable},
		{"checkpoint", func(l *Ledger, k string) error {
			return l.SaveCheckpoint(k, map[string]string{"cart_id": "C1"})
		}, []State{Submitting}, Submitting},
		{"mark in doubt", func(l *Ledger, k string) error { return l.MarkInDoubt([]string{k}, "crash") },
			[]State{Submitting}, InDoubt},
		{"resolve reference", func(l *Ledger, k string) error {
			return l.Resolve(k, Resolution{Reference: "R-7", By: "bob", Why: "seen in portal"})
		}, []State{Submitting, InDoubt}, Submitted},
		{"resolve not submitted", func(l *Ledger, k string) error {
			return l.Resolve(k, Resolution{NotSubmitted: true, By: "bob", Why: "not in portal"})
		}, []State{Submitting, InDoubt}, NotSubmitted},
	}
	for _, op := range ops {
		for _, from := range allStates {
			name := op.name + " from " + string(from)
			if from == "" {
				name = op.name + " from new"
			}
			t.Run(name, func(t *testing.T) {
				l, _ := openTest(t)
				putInState(t, l, "k", from)
				err := op.do(l, "k")
				got := stateOfKey(t, l, "k")
				stuck, serr := l.Stuck()
				require.NoError(t, serr)
				assert.Equal(t, got == Submitting, len(stuck) == 1, "Stuck lists exactly the submitting orders")
				if !contains(op.from, from) {
					if from == "" {
						assert.ErrorIs(t, err, ErrNotFound)
					} else {
						assert.ErrorIs(t, err, ErrState)
					}
					assert.ErrorContains(t, err, `"k"`)
					assert.Equal(t, from, got, "refused transition must not change the state")
					return
				}
				require.NoError(t, err)
				assert.Equal(t, op.to, got)
			})
		}
	}
}

func contains(states []State, s State) bool {
	for _, x := range states {
		if x == s {
			return true
		}
	}
	return false
}

func TestRecordOutcomesFields(t *testing.T) {
	l, c := openTest(t)
	require.NoError(t, l.BeginSubmits([]Intent{intent("a", "fp"), intent("b", "fp")}))
	c.Add(3e9)
	require.NoError(t, l.RecordOutcomes([]Outcome{
		{Key: "a", State: Submitted, Reference: "NW-1", Message: "ok", Attempts: 2},
		{Key: "b", State: Rejected, Message: "unknown prefix"},
	}))
	a, err := l.Get("a")
	require.NoError(t, err)
	assert.Equal(t, "NW-1", a.Reference)
	assert.True(t, c.Now().Equal(a.SubmittedAt), "got %v want %v", a.SubmittedAt, c.Now())
	require.Len(t, a.History, 2)
	assert.Equal(t, Event{At: a.History[1].At, State: Submitted, Reference: "NW-1", Message: "ok", By: "orderdrop", Attempts: 2}, a.History[1])
	assert.Equal(t, map[string]string{"idn": "0261910210", "fp": "fp"}, a.Fields)

	b, err := l.Get("b")
	require.NoError(t, err)
	assert.True(t, b.SubmittedAt.IsZero())
	assert.Equal(t, "unknown prefix", b.Message)
}

func TestRecordOutcomesKeepsGoodOnes(t *testing.T) {
	l, _ := openTest(t)
	require.NoError(t, l.BeginSubmits([]Intent{intent("a", "fp")}))
	err := l.RecordOutcomes([]Outcome{
		{Key: "a", State: Submitted, Reference: "NW-1"},
		{Key: "ghost", State: Submitted, Reference: "NW-2"},
		{Key: "a2", State: "weird"},
	})
	assert.ErrorIs(t, err, ErrNotFound)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, `"ghost"`)
	assert.Equal(t, Submitted, stateOfKey(t, l, "a"), "an allowed outcome is kept even when a neighbour is refused")
}

func TestBeginSubmitsAtomic(t *testing.T) {
	tests := []struct {
		name  string
		group []Intent
		want  error
	}{
		{"one key already submitted", []Intent{intent("new1", "f"), intent("done", "f"), intent("new2", "f")}, ErrState},
		{"duplicate key in group", []Intent{intent("new1", "f"), intent("new1", "f")}, ErrState},
		{"missing fingerprint", []Intent{intent("new1", "f"), intent("new2", "")}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := openTest(t)
			putInState(t, l, "done", Submitted)
			err := l.BeginSubmits(tt.group)
			require.ErrorIs(t, err, tt.want)
			got, err := l.Lookup([]string{"new1", "new2"})
			require.NoError(t, err)
			assert.Empty(t, got, "nothing of the group may be written")
			stuck, err := l.Stuck()
			require.NoError(t, err)
			assert.Empty(t, stuck)
		})
	}
}

func TestBeginSubmitsAgain(t *testing.T) {
	tests := []struct {
		name, fp       string
		wantCheckpoint map[string]string
	}{
		{"same fingerprint keeps checkpoint", "fp1", map[string]string{"cart_id": "C1"}},
		{"new fingerprint drops checkpoint", "fp2", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := openTest(t)
			require.NoError(t, l.BeginSubmits([]Intent{intent("k", "fp1")}))
			require.NoError(t, l.SaveCheckpoint("k", map[string]string{"cart_id": "C1"}))
			require.NoError(t, l.RecordOutcomes([]Outcome{{Key: "k", State: Retryable, Message: "503"}}))
			require.NoError(t, l.BeginSubmits([]Intent{intent("k", tt.fp)}))
			got, err := l.Get("k")
			require.NoError(t, err)
			assert.Equal(t, Submitting, got.State)
			assert.Equal(t, tt.fp, got.Fingerprint)
			assert.Equal(t, tt.wantCheckpoint, got.Checkpoint)
			assert.Empty(t, got.Message)
			require.Len(t, got.History, 3)
		})
	}
}

func TestResolveHistory(t *testing.T) {
	l, c := openTest(t)
	require.NoError(t, l.BeginSubmits([]Intent{intent("k", "fp")}))
	require.NoError(t, l.MarkInDoubt([]string{"k"}, "found submitting after a crash"))
	c.Add(3600e9)
	require.NoError(t, l.Resolve("k", Resolution{Reference: "NW-42", By: "alice", Why: "seen in Netwo portal"}))
	got, err := l.Get("k")
	require.NoError(t, err)
	assert.Equal(t, Submitted, got.State)
	assert.Equal(t, "NW-42", got.Reference)
	assert.True(t, c.Now().Equal(got.SubmittedAt))
	require.Len(t, got.History, 3)
	assert.Equal(t, InDoubt, got.History[1].State)
	assert.Equal(t, "found submitting after a crash", got.History[1].Message)
	last := got.History[2]
	assert.Equal(t, "alice", last.By)
	assert.Equal(t, "seen in Netwo portal", last.Message)
	assert.Equal(t, "NW-42", last.Reference)
	assert.True(t, c.Now().Equal(last.At))
}

func TestResolveInvalid(t *testing.T) {
	tests := []struct {
		name string
		r    Resolution
	}{
		{"neither", Resolution{By: "a"}},
		{"both", Resolution{Reference: "R", NotSubmitted: true, By: "a"}},
		{"no by", Resolution{Reference: "R"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := openTest(t)
			putInState(t, l, "k", InDoubt)
			assert.ErrorIs(t, l.Resolve("k", tt.r), ErrInvalid)
			assert.Equal(t, InDoubt, stateOfKey(t, l, "k"))
		})
	}
}

func TestGetUnknown(t *testing.T) {
	l, _ := openTest(t)
	_, err := l.Get("nope")
	assert.ErrorIs(t, err, ErrNotFound)
}
