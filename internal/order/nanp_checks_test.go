package order

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCaPortDomainChecks covers the North-American checks: postal code and
// province, area codes, number region and port dates, valid, invalid and
// warning cases.
func TestCaPortDomainChecks(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]string
		want    string // a problem the row must have; "" for none
		warn    string // a warning the row must have; "" for none
	}{
		{"valid Toronto", nil, "", ""},
		{"postal of another province", map[string]string{"province": "QC"}, "postal_code/province: M5V 3A6 is in Ontario (M), not QC", ""},
		{"postal Quebec H", map[string]string{"province": "QC", "postal_code": "H2V 1K5", "numbers": "5145550120"}, "", ""},
		{"postal X shared NT", map[string]string{"province": "NT", "postal_code": "X1A 2P7", "numbers": "8675550120"}, "", ""},
		{"postal X shared NU", map[string]string{"province": "Nunavut", "postal_code": "X0A 0H0", "numbers": "8675550120"}, "", ""},
		{"postal X not ON", map[string]string{"postal_code": "X0A 0H0"}, "postal_code/province: X0A 0H0 is in the Northwest Territories or Nunavut (X), not ON", ""},
		{"postal with D", map[string]string{"postal_code": "M5D 3A6"}, "postal_code: M5D 3A6 is not a Canadian postal code", ""},
		{"postal starting W", map[string]string{"postal_code": "W5V 3A6"}, "postal_code: W5V 3A6 is not a Canadian postal code", ""},
		{"zip with CA", map[string]string{"postal_code": "98101"}, "postal_code: 98101 is a US ZIP code: with country CA give a Canadian postal code (A1A 1A1), or set country US and a US state", ""},
		{"canadian postal with US", map[string]string{"country": "US", "province": "WA", "postal_code": "M5V 3A6", "numbers": "2065550160", "pilot_number": "2065550100"}, "postal_code: M5V 3A6 is a Canadian postal code: with country US give a ZIP code, or set country CA and a province", ""},
		{"us number with US", map[string]string{"country": "US", "province": "WA", "postal_code": "98101", "numbers": "2065550160", "pilot_number": "2065550100"}, "", ""},
		{"us number with CA", map[string]string{"numbers": "2065550160"}, "", "numbers: 2065550160 is a US number, and country is CA"},
		{"puerto rico with US", map[string]string{"country": "US", "province": "PR", "postal_code": "00901", "numbers": "7875550120", "pilot_number": "2065550100"}, "", ""},
		{"jamaica with CA", map[string]string{"numbers": "8765550120"}, "", "numbers: 8765550120 is a number of JM, not CA"},
		{"toll-free any country", map[string]string{"numbers": "8665550170", "country": "US", "province": "WA", "postal_code": "98101"}, "", ""},
		{"NPA N11", map[string]string{"numbers": "4115550120"}, "numbers: 4115550120: area code 411 is a service code (N11), not an area code", ""},
		{"NPA 37X", map[string]string{"numbers": "3725550120"}, "numbers: 3725550120: area code 372 is reserved (37X), not in service", ""},
		{"NPA 96X", map[string]string{"numbers": "9605550120"}, "area code 960 is reserved (96X)", ""},
		{"NPA N9X", map[string]string{"numbers": "2905550120"}, "area code 290 is reserved for the expansion of the plan (N9X)", ""},
		{"NPA starts with 1", map[string]string{"numbers": "1165550120"}, "area code", ""},
		{"NPA premium 900", map[string]string{"numbers": "9005550120"}, "numbers: 9005550120: area code 900 is for premium-rate services, not a line that can be ported", "numbers: 9005550120 is a US number, and country is CA"},
		{"NPA non-geographic 600", map[string]string{"numbers": "6005550120"}, "numbers: 6005550120: area code 600 is non-geographic (Canadian special services), not a line that can be ported", ""},
		{"pilot NPA N11", map[string]string{"pilot_number": "2115550100"}, "pilot_number: 2115550100: area code 211 is a service code (N11)", ""},
		{"port date working day", map[string]string{"requested_port_date": "2027-01-04"}, "", ""},
		{"port date Christmas", map[string]string{"requested_port_date": "2026-12-25"}, "requested_port_date: 2026-12-25 is Christmas Day, a statutory holiday in ON: choose a working day", ""},
		{"port date Saturday with time", map[string]string{"requested_port_date": "2026-12-05 10:00"}, "requested_port_date: 2026-12-05 is a Saturday", ""},
		{"port date Saturday future", map[string]string{"requested_port_date": "2027-01-09"}, "requested_port_date: 2027-01-09 is a Saturday: choose a working day (Monday to Friday)", ""},
		{"port date Sunday serial", map[string]string{"requested_port_date": "46397"}, "requested_port_date: 2027-01-10 is a Sunday", ""},
		{"port date Family Day ON", map[string]string{"requested_port_date": "2027-02-15"}, "requested_port_date: 2027-02-15 is Family Day, a statutory holiday in ON", ""},
		{"port date Family Day not in QC", map[string]string{"requested_port_date": "2027-02-15", "province": "QC", "postal_code": "H2V 1K5", "numbers": "5145550120"}, "", ""},
		{"port date St-Jean QC", map[string]string{"requested_port_date": "2027-06-24", "province": "QC", "postal_code": "H2V 1K5", "numbers": "5145550120"}, "requested_port_date: 2027-06-24 is Saint-Jean-Baptiste Day, a statutory holiday in QC", ""},
		{"port date St-Jean ON working", map[string]string{"requested_port_date": "2027-06-24"}, "", ""},
		{"port date Boxing Day observed", map[string]string{"requested_port_date": "2027-12-28"}, "requested_port_date: 2027-12-28 is Boxing Day (observed), a statutory holiday in ON", ""},
		{"port date US federal", map[string]string{"country": "US", "province": "WA", "postal_code": "98101", "numbers": "2065550160", "pilot_number": "2065550100", "requested_port_date": "2027-01-18"}, "requested_port_date: 2027-01-18 is Martin Luther King Jr. Day, a US federal holiday: choose a working day", ""},
		{"port date Canada Day in US", map[string]string{"country": "US", "province": "WA", "postal_code": "98101", "numbers": "2065550160", "pilot_number": "2065550100", "requested_port_date": "2027-07-01"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse(table(caHeader, edit(caGood(), tt.changes)), CaPort, opts())
			row := res.Rows[0]
			got, warns := messages(row.Problems), messages(row.Warnings)
			if tt.want == "" {
				assert.Empty(t, got, "got problems %q, want none", got)
			} else {
				assert.Contains(t, got, tt.want, "got %q, want it to contain %q", got, tt.want)
			}
			if tt.warn == "" {
				assert.Empty(t, warns, "got warnings %q, want none", warns)
			} else {
				assert.Contains(t, warns, tt.warn, "got warnings %q, want %q", warns, tt.warn)
			}
		})
	}
}

// TestCaPortChecksSeverity shows each North-American check follows its
// configured severity: off stops it, warning keeps the row valid.
func TestCaPortChecksSeverity(t *testing.T) {
	tests := []struct {
		check   Check
		sev     Severity
		changes map[string]string
		valid   bool
		warning string
	}{
		{CheckCaPostal, SeverityOff, map[string]string{"province": "QC"}, true, ""},
		{CheckCaPostal, SeverityWarning, map[string]string{"province": "QC"}, true, "postal_code/province: M5V 3A6 is in Ontario (M)"},
		{CheckPortDate, SeverityOff, map[string]string{"requested_port_date": "2026-12-25"}, true, ""},
		{CheckPortDate, SeverityWarning, map[string]string{"requested_port_date": "2026-12-25"}, true, "Christmas Day"},
		{CheckNANPA, SeverityWarning, map[string]string{"numbers": "9005550120"}, true, "area code 900"},
		{CheckNumberRegion, SeverityError, map[string]string{"numbers": "2065550160"}, false, ""},
		{CheckNumberRegion, SeverityOff, map[string]string{"numbers": "2065550160"}, true, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.check)+"="+string(tt.sev), func(t *testing.T) {
			o := opts()
			o.Checks = map[Check]Severity{tt.check: tt.sev}
			row := Parse(table(caHeader, edit(caGood(), tt.changes)), CaPort, o).Rows[0]
			assert.Equal(t, tt.valid, row.Valid(), "got valid %v (%s), want %v", row.Valid(), row.Message(), tt.valid)
			warns := messages(row.Warnings)
			if tt.warning == "" {
				assert.Empty(t, warns)
			} else {
				assert.True(t, strings.Contains(warns, tt.warning), "got warnings %q, want %q", warns, tt.warning)
			}
		})
	}
}
