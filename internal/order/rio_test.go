package order

import (
	"strings"
	"testing"
)

// TestRIOKey checks the ARCEP key against vectors computed by hand.
//
// By hand, RIO F1C12345+ for 01 45 00 04 00: the string is
// "F1C12345+0145000400"; alphabet indexes F=5 1=27 C=2 1=27 2=28 3=29 4=30
// 5=31 +=36 0=26 1=27 4=30 5=31 0=26 0=26 0=26 4=30 0=26 0=26. Then
// a (sum mod 37) = 8, b (b=2b+p mod 37) = 27, c (c=4c+p mod 37) = 4:
// alphabet[8], alphabet[27], alphabet[4] = "I1E".
func TestRIOKey(t *testing.T) {
	tests := []struct{ head, number, want string }{
		{"F1C12345+", "0145000400", "I1E"},
		{"F1C12345+", "0145000499", "0RM"},
		{"01P123456", "0612345678", "36Q"},
		{"F0KAB12CD", "0261910210", "O33"},
		{"F3R000001", "0199003100", "K3D"},
	}
	for _, tt := range tests {
		if got := rioKey(tt.head, tt.number); got != tt.want {
			t.Errorf("rioKey(%q, %q): got %q, want %q", tt.head, tt.number, got, tt.want)
		}
	}
}

func TestFrPortRIO(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]string
		want    string // substring of the problems; "" = valid
	}{
		{"no rio", nil, ""},
		{"fixed rio with +", map[string]string{"idn": "0145000400", "numbers": "0145000400", "rio": "F1C12345+I1E"}, ""},
		{"fixed rio spaces, lower case", map[string]string{"idn": "0145000400", "numbers": "0145000400", "rio": "f1 c 12345+ i1e"}, ""},
		{"fixed rio, other operator", map[string]string{"rio": "F0KAB12CDO33"}, ""},
		{"mobile rio", map[string]string{"idn": "0612345678", "numbers": "0612345678", "rio": "01P12345636Q"}, ""},
		{"too short", map[string]string{"rio": "123"}, "rio: 123 is not a RIO"},
		{"mobile letter with fixed operator", map[string]string{"rio": "F0PAB12CDO33"}, "is not a RIO"},
		{"wrong key", map[string]string{"idn": "0145000300", "numbers": "0145000300", "rio": "F1C12345+I1E"},
			"rio: the check key does not match 01 45 00 03 00; check the RIO, or have the customer call 3179 from the line"},
		{"key of another number of the row", map[string]string{"idn": "0145000400", "numbers": "0145000400 0145000499", "rio": "F1C12345+0RM"},
			"rio: this RIO belongs to 01 45 00 04 99, not to the idn 01 45 00 04 00"},
	}
	header := frHeader
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := messages(ValidateRow(FrPort, header, cells(header, edit(frGood(), tt.changes)), opts()))
			if tt.want == "" {
				if got != "" {
					t.Errorf("got problems %q, want none", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestFrPortRIOWarning(t *testing.T) {
	header := frHeader
	o := opts()
	o.Checks = map[Check]Severity{CheckRIO: SeverityWarning}
	row := edit(frGood(), map[string]string{"idn": "0145000300", "numbers": "0145000300", "rio": "F1C12345+I1E"})
	res := Parse(table(header, row), FrPort, o)
	if got := len(res.Orders); got != 1 {
		t.Fatalf("got %d orders, want 1 (problems %v)", got, res.Rows[0].Problems)
	}
	if got, want := res.Rows[0].Message(), "warning: rio: the check key does not match 01 45 00 03 00"; !strings.Contains(got, want) {
		t.Errorf("got message %q, want it to contain %q", got, want)
	}
}
