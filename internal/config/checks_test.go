package config

import (
	"strings"
	"testing"

	"github.com/orderdrop/orderdrop/internal/order"
)

func TestValidationChecks(t *testing.T) {
	tests := []struct {
		name, yml string
		want      map[order.Check]order.Severity
		wantErr   string
	}{
		{"none", "", map[order.Check]order.Severity{}, ""},
		{"set", "validation:\n  checks:\n    rio: warning\n    fr_number_block: error\n    fr_address: off\n",
			map[order.Check]order.Severity{order.CheckRIO: order.SeverityWarning, order.CheckFrNumberBlock: order.SeverityError, order.CheckFrAddress: order.SeverityOff}, ""},
		{"unknown check", "validation:\n  checks:\n    fr_adress: off\n", nil, "validation.checks.fr_adress: unknown check: did you mean fr_address?"},
		{"bad severity", "validation:\n  checks:\n    rio: maybe\n", nil, `validation.checks.rio: "maybe" is not a severity: use error, warning or off`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yml), "/x", env(nil))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := cfg.Checks()
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("check %s: got %q, want %q", k, got[k], v)
				}
			}
		})
	}
}
