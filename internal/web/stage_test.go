package web

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// An order its carrier cancelled or rejected after accepting it is never
// shown green: the batch row, the order page and the open orders carry
// the stage's colour.
func TestStagesAreColoured(t *testing.T) {
	f := newFake()
	id := f.batches[0].ID
	f.details[id].Rows[0].Stage = "cancelled"
	o := f.orders["l2/ref:L2-A"]
	o.Stage = "cancelled"
	f.open = []OpenOrder{{Key: "l2/ref:L2-B", Kind: "l2", Carrier: "prizz", Stage: "unknown", StageName: "unknown", Submitted: time.Now()}}
	h := New(Options{Source: f})

	_, body := get(t, h, "/batches/"+id)
	assert.Contains(t, body, `class="st st-submitted st-stage-cancelled"`, "the batch row")
	assert.Contains(t, body, `cancelled at the carrier`)
	_, body = get(t, h, "/order?key=l2/ref:L2-A")
	assert.Contains(t, body, `st-stage-cancelled`, "the order page")
	_, body = get(t, h, "/open")
	assert.Contains(t, body, `st-stage-unknown`, "the open orders")
}

// An order sent again after its carrier said no shows its earlier
// attempts, each with its reference and the carrier's reason.
func TestOrderPageShowsEarlierAttempts(t *testing.T) {
	f := newFake()
	o := f.orders["l2/ref:L2-A"]
	o.Attempts = []Attempt{{N: 1, Reference: "PZ-099", Outcome: "cancelled", Reason: "Adresse introuvable", At: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}}
	h := New(Options{Source: f})
	_, body := get(t, h, "/order?key=l2/ref:L2-A")
	assert.Contains(t, body, `id="attempts"`)
	assert.Contains(t, body, "PZ-099")
	assert.Contains(t, body, "Adresse introuvable")
	assert.Contains(t, body, "attempt 2", "the current attempt is named")
}

// The attention page shows each item's id, for orderdrop attention ack.
func TestAttentionPageShowsIDs(t *testing.T) {
	f := newFake()
	f.attention = []AttentionItem{{ID: "3f9a2c1b", What: "cancelled_at_carrier", Detail: "l2.xlsx: prizz cancelled the order", Action: "correct it"}}
	_, body := get(t, New(Options{Source: f}), "/attention")
	assert.Contains(t, body, "3f9a2c1b")
	assert.Contains(t, body, "orderdrop attention ack 3f9a2c1b")
}
