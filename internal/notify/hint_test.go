package notify

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// TestDigestShowsRejectionHint shows a rejected row's hint on its own line
// under the carrier's words, in the text and the HTML digest, and the
// attention list's action.
func TestDigestShowsRejectionHint(t *testing.T) {
	words := "Rejected: the losing carrier account number could not be validated"
	hint := "account_number must be the customer's account number at the losing carrier"
	d := Build(Pass{At: passAt, Files: []FileSummary{{File: "ports.csv", Counts: map[string]int{"rejected": 1}}},
		Rows: []Row{{File: "ports.csv", Row: 2, Status: "rejected", Message: words + "; " + carrier.HintPrefix + hint}},
		Attention: []AttentionItem{{What: "thinktel rejected the order after accepting it (REJECTED): RJCT CODE 6P",
			Key: "ca-port/ref:A", Action: "customer_name must be written exactly as on the losing carrier's bill; then drop it again"}},
	}, 0)

	text := d.Text()
	assert.Contains(t, text, "- ports.csv, row 2: rejected: "+words+"\n  "+carrier.HintPrefix+hint+"\n", "got:\n%s", text)
	assert.Contains(t, text, "customer_name must be written exactly as on the losing carrier's bill")
	html, err := d.HTML()
	require.NoError(t, err)
	assert.Contains(t, html, "<br><b>what to do:</b> "+strings.ReplaceAll(hint, "'", "&#39;"), "got:\n%s", html)
}
