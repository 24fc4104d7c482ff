package status

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// status marks a stage that needs a person, and names the attempt of an
// order sent again.
func TestStageOfMarksWhatNeedsAPerson(t *testing.T) {
	tests := []struct {
		name string
		o    ledger.Order
		want string
	}{
		{"not tracked", ledger.Order{State: ledger.Submitted}, ""},
		{"scheduled", ledger.Order{State: ledger.Submitted, Track: &ledger.Tracking{Stage: ledger.StageScheduled, Date: "2026-12-01", Status: "CONFIRMED"}},
			"scheduled 2026-12-01 (CONFIRMED)"},
		{"terminated", ledger.Order{State: ledger.Submitted, Track: &ledger.Tracking{Stage: ledger.StageCancelled, Status: "terminated"}},
			"CANCELLED (terminated): see orderdrop attention"},
		{"unknown", ledger.Order{State: ledger.Submitted, Track: &ledger.Tracking{Stage: ledger.StageUnknown, Status: "SIDEWAYS"}},
			"UNKNOWN (SIDEWAYS): see orderdrop attention"},
		{"attempt 2", ledger.Order{State: ledger.Submitted, Attempts: []ledger.Attempt{{N: 1}}}, "attempt 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := StageOf(&tt.o)
			assert.Equal(t, tt.want, got, "got %q, want %q", got, tt.want)
		})
	}
}
