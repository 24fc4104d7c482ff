package batch_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
	"github.com/orderdrop/orderdrop/internal/track"
)

// trackOnce runs one tracking pass against the sandbox with the sandbox's
// own Thinktel client.
func (sb *sandbox) trackOnce(t *testing.T) {
	t.Helper()
	tc, ok := sb.opts.Carriers[order.CaPort].(track.Tracker)
	require.True(t, ok, "the Thinktel client tracks")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := track.Pass(ctx, track.Held(sb.l), track.Options{Trackers: map[string]track.Tracker{"thinktel": tc}})
	require.NoError(t, err)
}

// The carrier said no after accepting a port: the corrected row is sent
// again under the same order_ref (one more order at the carrier), the same
// row unchanged sends nothing and says what to correct, and the corrected
// one dropped again is already_submitted.
func TestSandboxResendAfterCarrierSaidNo(t *testing.T) {
	tests := []struct {
		name, stage, reason string
		wantUnchanged       string
		wantResent          string
	}{
		{"rejected after acceptance", sim.StageRejected, "customer name does not match the losing carrier's records",
			"unchanged since the carrier rejected it on", "sent again after the carrier rejected attempt 1 on"},
		{"cancelled", sim.StageCancelled, "",
			"unchanged since the carrier cancelled it on", "sent again after the carrier cancelled attempt 1 on"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sb := newSandbox(t, sandboxConfig{})
			orig := caSimRow("R-CA")
			s1 := sb.process(t, writeKindCSV(t, sb.dir, "a.csv", order.CaPort, orig))
			require.Equal(t, map[string]int{batch.Submitted: 1}, s1.Counts, "first file: %v", readReport(t, s1.Report))
			ticket := readReport(t, s1.Report)["R-CA"].reference
			_, ok, err := sb.sim.PushStage(ticket, tc.stage, "", tc.reason, "")
			require.NoError(t, err)
			require.True(t, ok)
			sb.trackOnce(t)
			require.Len(t, sb.sim.Orders(), 1)

			s2 := sb.process(t, writeKindCSV(t, sb.dir, "b.csv", order.CaPort, orig))
			got := readReport(t, s2.Report)["R-CA"]
			assert.Equal(t, batch.Rejected, got.status, "unchanged: got %q (%s), want rejected", got.status, got.message)
			assert.Contains(t, got.message, tc.wantUnchanged)
			if tc.reason != "" {
				assert.Contains(t, got.message, "correct customer_name as the rejection says")
			}
			assert.Len(t, sb.sim.Orders(), 1, "got %d orders, want nothing sent for an unchanged row", len(sb.sim.Orders()))

			fixed := orig.with("customer_name", "Harbourfront Physiotherapy Ltd.")
			s3 := sb.process(t, writeKindCSV(t, sb.dir, "c.csv", order.CaPort, fixed))
			got = readReport(t, s3.Report)["R-CA"]
			assert.Equal(t, batch.Submitted, got.status, "changed: got %q (%s), want submitted", got.status, got.message)
			assert.Contains(t, got.message, tc.wantResent)
			require.Len(t, sb.sim.Orders(), 2, "got %d orders, want the corrected one sent again", len(sb.sim.Orders()))
			assert.NotEqual(t, ticket, got.reference)

			o, err := sb.l.Get(orderKey(order.CaPort, "R-CA"))
			require.NoError(t, err)
			assert.Equal(t, 2, o.AttemptNo())
			require.Len(t, o.Attempts, 1)
			assert.Equal(t, ticket, o.Attempts[0].Reference)

			s4 := sb.process(t, writeKindCSV(t, sb.dir, "d.csv", order.CaPort, fixed))
			assert.Equal(t, map[string]int{batch.AlreadySubmitted: 1}, s4.Counts)
			assert.Len(t, sb.sim.Orders(), 2, "the corrected order dropped again sends nothing")
		})
	}
}

// An order still live at its carrier keeps conflict, and the message says
// to cancel it there first.
func TestSandboxConflictSaysHowToCancel(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	orig := caSimRow("L-CA")
	s1 := sb.process(t, writeKindCSV(t, sb.dir, "a.csv", order.CaPort, orig))
	require.Equal(t, map[string]int{batch.Submitted: 1}, s1.Counts)
	s2 := sb.process(t, writeKindCSV(t, sb.dir, "b.csv", order.CaPort, orig.with("customer_name", "Other Inc.")))
	got := readReport(t, s2.Report)["L-CA"]
	assert.Equal(t, batch.Conflict, got.status)
	assert.Contains(t, got.message, "cancel it at thinktel first")
	assert.Len(t, sb.sim.Orders(), 1)
}
