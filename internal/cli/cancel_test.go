package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/attention"
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

// attention ack takes an item off the list, recording who and why;
// attention --all shows it with its note.
func TestE2EAttentionAck(t *testing.T) {
	e := newE2E(t, "")
	e.dropFile(filepath.Join(samplesDir, "l2-orders.xlsx"))
	e.run(generatedOn(t))
	_, out, _ := e.track()
	pz := e.refs(sim.CarrierPrizz)
	require.NotEmpty(t, pz, out)
	e.push(pz[0], sim.StageCancelled, "", "Adresse introuvable")
	e.track()

	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	var js bytes.Buffer
	code, err := runAttention(context.Background(), cfg, attentionOptions{json: true}, &js)
	require.NoError(t, err)
	require.Equal(t, ExitAttention, code, js.String())
	var items []attention.Item
	require.NoError(t, json.Unmarshal(js.Bytes(), &items))
	var id, key string
	for _, it := range items {
		if it.Kind == attention.CancelledAtCarrier {
			id, key = it.ID, it.Key
		}
	}
	require.NotEmpty(t, id, "the cancellation is listed with an id: %s", js.String())
	var text bytes.Buffer
	_, err = runAttention(context.Background(), cfg, attentionOptions{}, &text)
	require.NoError(t, err)
	assert.Contains(t, text.String(), "id "+id)

	// resolve does not clear it, but says what does.
	var w bytes.Buffer
	err = runResolve(cfg, key, resolveOptions{reference: "X", by: "bob"}, &w)
	assert.ErrorContains(t, err, "orderdrop attention ack "+id)
	err = runAttentionAck(context.Background(), cfg, "deadbeef", ackOptions{note: "x", by: "bob"}, &w)
	assert.ErrorContains(t, err, "no attention item deadbeef")
	err = runAttentionAck(context.Background(), cfg, id, ackOptions{by: "bob"}, &w)
	assert.ErrorContains(t, err, "--note")
	require.NoError(t, runAttentionAck(context.Background(), cfg, id, ackOptions{note: "the customer moved; order dropped", by: "bob"}, &w))
	assert.Contains(t, w.String(), "acknowledged")

	js.Reset()
	_, err = runAttention(context.Background(), cfg, attentionOptions{json: true}, &js)
	require.NoError(t, err)
	items = nil
	require.NoError(t, json.Unmarshal(js.Bytes(), &items))
	for _, it := range items {
		assert.NotEqual(t, id, it.ID, "the acknowledged item left the list")
	}

	text.Reset()
	_, err = runAttention(context.Background(), cfg, attentionOptions{all: true}, &text)
	require.NoError(t, err)
	assert.Contains(t, text.String(), "id "+id)
	assert.Contains(t, text.String(), "acknowledged by bob")
	assert.Contains(t, text.String(), "the customer moved; order dropped")
}
