package ledger

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBeginSubmitsResendsAfterCarrierSaidNo(t *testing.T) {
	tests := []struct {
		name     string
		stage    Stage // the tracking answer after acceptance; "" = rejected at submission
		wantFrom State
	}{
		{"rejected at submission", "", Rejected},
		{"rejected after acceptance", StageRejected, Submitted},
		{"cancelled", StageCancelled, Submitted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, clk := openTest(t)
			require.NoError(t, l.BeginSubmits([]Intent{intent("a", "fp1")}))
			if tt.stage == "" {
				require.NoError(t, l.RecordOutcomes([]Outcome{{Key: "a", State: Rejected, Message: "customer_name mismatch"}}))
			} else {
				require.NoError(t, l.RecordOutcomes([]Outcome{{Key: "a", State: Submitted, Reference: "R1"}}))
				clk.Add(24 * time.Hour)
				_, err := l.RecordTracking([]TrackUpdate{{Key: "a", Stage: tt.stage, Status: "NO", Message: "customer_name mismatch"}})
				require.NoError(t, err)
			}
			o, err := l.Get("a")
			require.NoError(t, err)
			at, why, ok := o.TurnedDown()
			require.True(t, ok)
			assert.Equal(t, clk.Now().UTC(), at)
			assert.Contains(t, why, "customer_name mismatch")
			assert.Equal(t, 1, o.AttemptNo())

			clk.Add(time.Hour)
			require.NoError(t, l.BeginSubmits([]Intent{intent("a", "fp2")}))
			o, err = l.Get("a")
			require.NoError(t, err)
			assert.Equal(t, Submitting, o.State)
			assert.Equal(t, 2, o.AttemptNo(), "got attempt %d, want 2", o.AttemptNo())
			require.Len(t, o.Attempts, 1)
			got := o.Attempts[0]
			assert.Equal(t, 1, got.N)
			assert.Equal(t, "fp1", got.Fingerprint)
			assert.Equal(t, tt.wantFrom, got.State)
			assert.Contains(t, got.Message, "customer_name mismatch")
			assert.Equal(t, at, got.At)
			assert.Empty(t, o.Reference, "attempt 2 has no reference yet")
			assert.Nil(t, o.Track)
			assert.True(t, o.SubmittedAt.IsZero())

			// A crash now: attempt 2 is in flight and is never begun again.
			err = l.BeginSubmits([]Intent{intent("a", "fp2")})
			require.True(t, errors.Is(err, ErrState), "got %v, want ErrState", err)

			require.NoError(t, l.RecordOutcomes([]Outcome{{Key: "a", State: Submitted, Reference: "R2"}}))
			o, err = l.Get("a")
			require.NoError(t, err)
			assert.Equal(t, "R2", o.Reference)
			assert.Len(t, o.Attempts, 1)
			_, _, ok = o.TurnedDown()
			assert.False(t, ok)
		})
	}
}

func TestBeginSubmitsRefusesLiveOrder(t *testing.T) {
	for _, stage := range []Stage{"", StagePending, StageConfirmed, StageScheduled, StageOnHold, StageCompleted} {
		t.Run(string(stage), func(t *testing.T) {
			l, _ := openTest(t)
			submitted(t, l, "a")
			if stage != "" {
				_, err := l.RecordTracking([]TrackUpdate{{Key: "a", Stage: stage}})
				require.NoError(t, err)
			}
			err := l.BeginSubmits([]Intent{intent("a", "fp2")})
			assert.True(t, errors.Is(err, ErrState), "got %v, want ErrState", err)
		})
	}
}
