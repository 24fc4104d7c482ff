package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/sim"
)

// A cancellation (Prizz "terminated" with its reason) and an unknown
// carrier status are never green: track exits 1 and says so, and attention
// lists them.
func TestE2ETrackCancelledAndUnknownNeedAPerson(t *testing.T) {
	e := newE2E(t, "")
	e.dropFile(filepath.Join(samplesDir, "l2-orders.xlsx"))
	e.dropFile(filepath.Join(samplesDir, "ca-port-orders.xlsx"))
	e.dropFile(filepath.Join(samplesDir, "loa-lakeshore-dental.pdf"))
	e.run(generatedOn(t))
	code, out, _ := e.track()
	require.Equal(t, ExitOK, code, out)

	tt, pz := e.refs(sim.CarrierThinktel), e.refs(sim.CarrierPrizz)
	require.NotEmpty(t, pz)
	require.NotEmpty(t, tt)
	e.push(pz[0], sim.StageCancelled, "", "Adresse introuvable")
	_, ok, err := e.sim.PushStage(tt[0], sim.StagePending, "", "", "SIDEWAYS")
	require.NoError(t, err)
	require.True(t, ok)

	code, out, _ = e.track()
	assert.Equal(t, ExitAttention, code, "a cancellation needs a person: %s", out)
	assert.Contains(t, out, "Adresse introuvable")
	assert.Contains(t, out, "unknown status SIDEWAYS: needs a look")

	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	var text bytes.Buffer
	code, err = runAttention(context.Background(), cfg, attentionOptions{}, &text)
	require.NoError(t, err)
	assert.Equal(t, ExitAttention, code)
	assert.Contains(t, text.String(), "cancelled_at_carrier")
	assert.Contains(t, text.String(), "Adresse introuvable")
	assert.Contains(t, text.String(), "unknown_status")
}
