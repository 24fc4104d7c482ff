package carrier

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

func TestStageOf(t *testing.T) {
	tests := []struct {
		word string
		want ledger.Stage
	}{
		{"", ledger.StagePending},
		{"created", ledger.StagePending},
		{"in_progress", ledger.StagePending},
		{"En cours", ledger.StagePending},
		{"confirmed", ledger.StageConfirmed},
		{"PORTABILITY_CONFIRMED", ledger.StageConfirmed},
		{"Validée", ledger.StageConfirmed},
		{"scheduled", ledger.StageScheduled},
		{"Planifiée", ledger.StageScheduled},
		{"completed", ledger.StageCompleted},
		{"ported", ledger.StageCompleted},
		{"Mise en service", ledger.StageCompleted},
		{"Livrée", ledger.StageCompleted},
		{"rejected", ledger.StageRejected},
		{"Refusée", ledger.StageRejected},
		{"failed", ledger.StageRejected},
		{"cancelled", ledger.StageCancelled},
		{"canceled", ledger.StageCancelled},
		{"Annulée", ledger.StageCancelled},
		{"on_hold", ledger.StageOnHold},
		{"invalid", ledger.StageRejected},
		{"inactive", ledger.StageCancelled},
		{"Bloquée", ledger.StageOnHold},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			assert.Equal(t, tt.want, StageOf(tt.word), "StageOf(%q)", tt.word)
		})
	}
}

func TestISODate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"20261201", "2026-12-01"},
		{"2026-12-01", "2026-12-01"},
		{"2026-12-01T10:00:00+01:00", "2026-12-01"},
		{"01/12/2026", "2026-12-01"},
		{"", ""},
		{"soon", ""},
		{"2026121", ""},
		{"99999999", ""},
		{"2026-13-01", ""},
		{"2026-02-30", ""},
		{"31/02/2026", ""},
		{"00000000", ""},
		{"18991230", ""},
		{"9999-12-31T00:00:00Z", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ISODate(tt.in), "ISODate(%q)", tt.in)
	}
}

func TestReadDate(t *testing.T) {
	tests := []struct{ in, wantDate, wantNote string }{
		{"20261201", "2026-12-01", ""},
		{"", "", ""},
		{"  ", "", ""},
		{"99999999", "", `unreadable date "99999999"`},
		{"soon", "", `unreadable date "soon"`},
	}
	for _, tt := range tests {
		gotDate, gotNote := ReadDate(tt.in)
		assert.Equal(t, tt.wantDate, gotDate, "ReadDate(%q)", tt.in)
		assert.Equal(t, tt.wantNote, gotNote, "ReadDate(%q)", tt.in)
	}
}

func TestWithDate(t *testing.T) {
	assert.Equal(t, ledger.StageScheduled, WithDate(ledger.StageConfirmed, "2026-12-01"))
	assert.Equal(t, ledger.StageConfirmed, WithDate(ledger.StageConfirmed, ""))
	assert.Equal(t, ledger.StageCompleted, WithDate(ledger.StageCompleted, "2026-12-01"))
}
