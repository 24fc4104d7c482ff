package netwo

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

func TestReasonsCatalogue(t *testing.T) {
	tests := []struct {
		name, words, want string
	}{
		{"rio", "lines[0].attributes.rio_or_did.rio: RIO invalide pour ce numéro (incorrect)", "rio: RIO invalide pour ce numéro (incorrect); what to do: the RIO does not match"},
		{"siret", "lines[0].attributes.customer.company_number: must be a 14-digit SIRET", "customer.siret: must be a 14-digit SIRET; what to do: siret must be"},
		{"already ordered", "cart cart-1 has already been ordered", "what to do: Netwo already has this order"},
		{"unknown", "something else", "something else; what to do: " + carrier.UnknownHint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reasons.Explain(tt.words)
			assert.True(t, strings.Contains(got, tt.want), "got %q, want %q", got, tt.want)
		})
	}
}
