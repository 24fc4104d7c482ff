package order

import (
	"strings"
	"testing"
)

func TestFrAddress(t *testing.T) {
	tests := []struct {
		name      string
		zip, city string
		want      string // substring of the problems; "" = valid
	}{
		{"commune", "29200", "Brest", ""},
		{"upper case, no accents", "69002", "LYON", ""},
		{"paris", "75002", "Paris", ""},
		{"paris 2e", "75002", "Paris 2e", ""},
		{"paris 02", "75002", "PARIS 02", ""},
		{"paris arrondissement", "75002", "Paris 2e Arrondissement", ""},
		{"paris 16 second postcode", "75116", "Paris", ""},
		{"marseille 1er", "13001", "Marseille 1er", ""},
		{"lyon arrondissement", "69002", "Lyon 2ème arrondissement", ""},
		{"former commune", "74940", "Annecy-le-Vieux", ""},
		{"current commune of a merged one", "74940", "Annecy", ""},
		{"st for saint", "01000", "St-Denis-lès-Bourg", ""},
		{"accents and hyphens dropped", "01000", "saint denis les bourg", ""},
		{"apostrophe", "84800", "L'Isle-sur-la-Sorgue", ""},
		{"cedex", "92927", "Paris La Défense Cedex", ""},
		{"cedex with number", "69433", "Lyon Cedex 03", ""},
		{"cedex in no department", "96100", "Quelque part CEDEX", "zip_code: 96100 is in no French department"},
		{"mismatch", "75002", "Lyon", "zip_code/city: 75002 is Paris, not Lyon (Lyon's postcodes are 69001–69009)"},
		{"mismatch unknown city", "29200", "Atlantis", "zip_code/city: 29200 is Brest, not Atlantis"},
		{"unknown postcode", "75099", "Paris", "zip_code: 75099 is not a French postcode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := edit(frGood(), map[string]string{"zip_code": tt.zip, "city": tt.city})
			got := messages(ValidateRow(FrPort, frHeader, cells(frHeader, row), opts()))
			check(t, got, tt.want)
			lrow := edit(l2Good(), map[string]string{"zip_code": tt.zip, "city": tt.city})
			got = messages(ValidateRow(L2, l2Header, cells(l2Header, lrow), opts()))
			check(t, got, tt.want)
		})
	}
}

func check(t *testing.T, got, want string) {
	t.Helper()
	if want == "" {
		if got != "" {
			t.Errorf("got problems %q, want none", got)
		}
		return
	}
	if !strings.Contains(got, want) {
		t.Errorf("got %q, want it to contain %q", got, want)
	}
}

func TestFrAddressSeverity(t *testing.T) {
	row := edit(frGood(), map[string]string{"zip_code": "75002", "city": "Lyon"})
	for _, tt := range []struct {
		sev          Severity
		orders       int
		wantInMessge string
	}{
		{SeverityWarning, 1, "warning: zip_code/city: 75002 is Paris, not Lyon"},
		{SeverityOff, 1, ""},
		{SeverityError, 0, "zip_code/city: 75002 is Paris, not Lyon"},
	} {
		o := opts()
		o.Checks = map[Check]Severity{CheckFrAddress: tt.sev}
		res := Parse(table(frHeader, row), FrPort, o)
		if got := len(res.Orders); got != tt.orders {
			t.Errorf("%s: got %d orders, want %d", tt.sev, got, tt.orders)
		}
		msg := res.Rows[0].Message()
		if tt.wantInMessge == "" && strings.Contains(msg, "zip_code/city") || !strings.Contains(msg, tt.wantInMessge) {
			t.Errorf("%s: got message %q, want %q", tt.sev, msg, tt.wantInMessge)
		}
	}
}

// BenchmarkFrAddress is the address check alone, data loaded.
func BenchmarkFrAddress(b *testing.B) {
	v := &validator{opts: opts()}
	c := &checker{}
	v.frAddress("69002", "Lyon 2e", c)
	b.ReportAllocs()
	for b.Loop() {
		v.frAddress("69002", "Lyon 2e", c)
		v.frAddress("01000", "Saint-Denis-lès-Bourg", c)
	}
	if len(c.problems) > 0 {
		b.Fatal(c.problems)
	}
}
