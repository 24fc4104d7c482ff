package order

import (
	"strings"
	"testing"
)

func TestFrNumberBlock(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]string
		want    string // the warnings; "" = none
	}{
		{"allocated", map[string]string{"idn": "0105600010", "numbers": "0105600010-0105600019"}, ""},
		{"idn in no block", map[string]string{"idn": "0199003100", "numbers": "0199003100"},
			"warning: idn: 01 99 00 31 00 is in no block ARCEP had allocated by July 2025: check the number"},
		{"a number in no block", map[string]string{"idn": "0105600010", "numbers": "0105600010 0199003101"},
			"warning: numbers: 01 99 00 31 01 is in no block ARCEP had allocated by July 2025: check the number"},
		{"many numbers in no block", map[string]string{"numbers": "0199003100-0199003109"},
			"warning: numbers: 01 99 00 31 00, 01 99 00 31 01, 01 99 00 31 02 and 7 others are in no block ARCEP had allocated by July 2025: check the numbers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse(table(frHeader, edit(frGood(), tt.changes)), FrPort, opts())
			if got := len(res.Orders); got != 1 {
				t.Fatalf("got %d orders, want 1 (a warning does not stop the row): %q", got, res.Rows[0].Message())
			}
			got := strings.Join(res.Rows[0].WarningTexts(), "; ")
			if tt.want == "" {
				if got != "" {
					t.Errorf("got warnings %q, want none", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want it to contain %q", got, tt.want)
			}
		})
	}
	o := opts()
	o.Checks = map[Check]Severity{CheckFrNumberBlock: SeverityError}
	res := Parse(table(frHeader, edit(frGood(), map[string]string{"idn": "0199003100", "numbers": "0199003100"})), FrPort, o)
	if got := len(res.Orders); got != 0 {
		t.Errorf("as an error: got %d orders, want 0", got)
	}
}
