package batch_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
)

// TestSandboxRejectionHintInReport shows a rejected row's report message:
// the carrier's words, then what to do from the carrier's catalogue, with
// the sheet's column names.
func TestSandboxRejectionHintInReport(t *testing.T) {
	tests := []struct {
		name  string
		kind  order.Kind
		r     row
		words string
		hint  string
	}{
		{"thinktel account number", order.CaPort, caSimRow("CA-REJ").with("account_number", sim.AccountNumberReject),
			"Rejected: the losing carrier account number could not be validated",
			"account_number must be the customer's account number at the losing carrier"},
		{"prizz option of another offer", order.L2, l2SimRow("L2-REJ").with("option_ids", "9999"),
			"option_ids: option 9999 does not belong to offer 2201", "option_ids must be options of offer_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := newSandbox(t, sandboxConfig{})
			s := sb.process(t, writeKindCSV(t, sb.dir, "rej.csv", tt.kind, tt.r))
			got := readReport(t, s.Report)[tt.r["order_ref"]]
			assert.Equal(t, batch.Rejected, got.status, "got %q (%s)", got.status, got.message)
			assert.Contains(t, got.message, tt.words)
			assert.Contains(t, got.message, carrier.HintPrefix+tt.hint)
			assert.NotContains(t, got.message, "idOptions")
		})
	}
}

// TestSandboxRedropTimesInLocation shows "submitted on" in the report's time
// zone, as submitted_at is, not in UTC.
func TestSandboxRedropTimesInLocation(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	paris := mustParis()
	sb.opts.Location = paris
	in := writeKindCSV(t, sb.dir, "ca.csv", order.CaPort, caSimRow("CA-TZ"))
	sb.process(t, in)
	got := readReport(t, sb.process(t, in).Report)["CA-TZ"]
	assert.Equal(t, batch.AlreadySubmitted, got.status, got.message)
	zone, _ := time.Now().In(paris).Zone()
	assert.Contains(t, got.message, " "+zone+" (batch ", "got %q, want the time in Europe/Paris", got.message)
	assert.NotContains(t, got.message, "UTC")
}
