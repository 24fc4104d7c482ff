package web

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// TestRejectionHintShownApart shows a rejected row's hint (from the
// carrier's catalogue) apart from the carrier's words, on the batch page
// and on the order's page.
func TestRejectionHintShownApart(t *testing.T) {
	f := newFake()
	words := "Rejected: the losing carrier account number could not be validated"
	hint := "account_number must be the customer's account number at the losing carrier"
	msg := words + "; " + carrier.HintPrefix + hint
	d := f.details["20261123T130405-0001"]
	d.Rows = append(d.Rows, Row{Num: 6, Ref: "CA-R", Status: "rejected", Message: msg, OrderKey: "l2/ref:L2-A"})
	f.orders["l2/ref:L2-A"].Message = msg
	esc := strings.ReplaceAll(hint, "'", "&#39;")
	for _, page := range []string{"/batches/20261123T130405-0001", "/order?key=l2/ref:L2-A"} {
		t.Run(page, func(t *testing.T) {
			_, body := get(t, New(Options{Source: f}), page)
			assert.Contains(t, body, words+`<p class="action">What to do: `+esc+`</p>`, "got:\n%s", body)
			assert.NotContains(t, body, "; "+carrier.HintPrefix)
		})
	}
}
