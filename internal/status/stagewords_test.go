package status

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/pass"
)

// TestStageWordsNotRepeated shows a carrier status that only repeats the
// stage is not shown twice ("accepted (ACCEPTED)", "Accepted: Accepted"),
// while a status that says more is kept.
func TestStageWordsNotRepeated(t *testing.T) {
	tests := []struct {
		name                  string
		tr                    ledger.Tracking
		wantStage, wantChange string
	}{
		{"repeats", ledger.Tracking{Stage: ledger.StageRejected, Status: "REJECTED", Message: "address unknown"},
			"REJECTED: see orderdrop attention", "rejected: address unknown"},
		{"says more", ledger.Tracking{Stage: ledger.StageScheduled, Date: "2026-12-01", Status: "CONFIRMEDwDATECHANGE"},
			"scheduled 2026-12-01 (CONFIRMEDwDATECHANGE)", "scheduled 2026-12-01 (CONFIRMEDwDATECHANGE)"},
		{"status equals message", ledger.Tracking{Stage: ledger.StagePending, Status: "Accepted", Message: "Accepted"},
			"pending (Accepted)", "pending (Accepted)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := tt.tr
			o := &ledger.Order{Track: &tr}
			assert.Equal(t, tt.wantStage, StageOf(o))
			ev := ledger.TrackEvent{Stage: tr.Stage, Date: tr.Date, Status: tr.Status, Message: tr.Message}
			assert.Equal(t, tt.wantChange, pass.DescribeChange(ledger.TrackEvent{}, ev))
		})
	}
}
