package carrier

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCatalogueExplain(t *testing.T) {
	c := NewCatalogue(map[string]string{"idOptions": "option_ids", "PortForm.CustomerName": "customer_name", "CustomerName": "customer_name"},
		Reason{regexp.MustCompile(`(?i)does not belong to offer`), "choose option_ids of offer_id"})
	tests := []struct {
		words, want string
	}{
		{"idOptions[0]: option 43 does not belong to offer 2201",
			"option_ids: option 43 does not belong to offer 2201; what to do: choose option_ids of offer_id"},
		{"PortForm.CustomerName: required", "customer_name: required; what to do: " + UnknownHint},
		{"CustomerNameX stays", "CustomerNameX stays; what to do: " + UnknownHint},
	}
	for _, tt := range tests {
		got := c.Explain(tt.words)
		assert.Equal(t, tt.want, got, "Explain(%q)", tt.words)
	}
}

func TestCatalogueExplainedOnlyCarrierRejections(t *testing.T) {
	c := NewCatalogue(nil)
	tests := []struct {
		name string
		in   Result
		want string
	}{
		{"sent rejection", Result{Class: Rejected, Attempts: 1, Message: "nope"}, "nope; what to do: " + UnknownHint},
		{"refused before sending", Rejection("numbers: nothing to port"), "numbers: nothing to port"},
		{"accepted", Result{Class: Accepted, Attempts: 1, Message: "ok"}, "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, c.Explained(tt.in).Message)
		})
	}
}
