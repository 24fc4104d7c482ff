package thinktel

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/carriertest"
)

// TestReasonsCatalogue checks that each common cause of a Canadian port-in
// rejection gets its hint, that the carrier's words are kept, and that an
// unknown reason says it is unknown.
func TestReasonsCatalogue(t *testing.T) {
	tests := []struct {
		name, words, hint string
	}{
		{"name", "RJCT CODE 6P, RJCT REMARKS NAME MISMATCH, FLD ABBR NAME", "customer_name must be written exactly as on the losing carrier's bill"},
		{"account number", "Rejected: the losing carrier account number could not be validated", "account_number must be the customer's account number at the losing carrier"},
		{"account field", "RJCT CODE 1A, FLD ABBR AN", "account_number must be"},
		{"address", "RJCT REMARKS ADDRESS MISMATCH, FLD ABBR SA", "the address must match the losing carrier's records"},
		{"service address", "service address given, billing address required", "billing address on its bill, not the address where the line is installed"},
		{"billing number", "RJCT REMARKS BTN PORTING WITHOUT NEW BTN", "billing number (BTN) would leave without a new one"},
		{"pending disconnect", "RJCT REMARKS PENDING DISCONNECT ON ACCOUNT", "disconnect or another order pending"},
		{"LOA missing", "Error: Invalid LOA", "letter of authorisation is missing, unsigned or not signed"},
		{"LOA unauthorised", "signer not authorized on account", "letter of authorisation"},
		{"not portable", "Rejected: Number not portable", "Thinktel can't take this number"},
		{"unknown", "RJCT CODE ZZ", carrier.UnknownHint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reasons.Explain(tt.words)
			assert.True(t, strings.HasPrefix(got, tt.words+"; "+carrier.HintPrefix), "got %q, want the carrier's words %q kept first", got, tt.words)
			assert.Contains(t, got, tt.hint, "got %q, want hint %q", got, tt.hint)
		})
	}
}

// TestSubmitRejectionCarriesHint shows the hint on a rejected port-in, and
// none on an accepted one, which no longer reads "Accepted: Accepted".
func TestSubmitRejectionCarriesHint(t *testing.T) {
	tests := []struct {
		name, answer, want string
	}{
		{"rejected", `{"TicketMask":"","Reply":0,"Message":"Rejected: the losing carrier account number could not be validated"}`,
			"Rejected: the losing carrier account number could not be validated; what to do: account_number must be"},
		{"accepted", `{"TicketMask":"PRT-1","Reply":1,"Message":"Accepted"}`, "Accepted (ticket PRT-1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeThinktel(t)
			f.Handle("POST "+root+pathDIDs, carriertest.JSON(200, tt.answer))
			got := newClient(t, f.URL).Submit(context.Background(), caOrder(), carrier.Submission{})
			assert.True(t, strings.HasPrefix(got.Message, tt.want), "got %q, want %q", got.Message, tt.want)
			assert.NotContains(t, got.Message, "Accepted: Accepted")
		})
	}
}
