package order

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFrPortRules(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]string
		want    string // substring of the message; "" = valid
	}{
		{"valid", nil, ""},
		{"siret luhn", map[string]string{"siret": "12345678901234"}, "siret: 12345678901234 fails its check digit"},
		{"siret 13 digits", map[string]string{"siret": "7788120050004"}, "siret: 7788120050004 has 13 digits; a SIRET has 14"},
		{"siret la poste", map[string]string{"siret": "35600000000048"}, ""},
		{"saturday", map[string]string{"wanted_date": "2026-12-26 10:00"}, "wanted_date: 2026-12-26 is a Saturday, not a French working day"},
		{"public holiday", map[string]string{"wanted_date": "25/12/2026 10:00"}, "wanted_date: 2026-12-25 is a French public holiday (Noël)"},
		{"08:00 allowed", map[string]string{"wanted_date": "2026-12-22 08:00"}, ""},
		{"07:59 refused", map[string]string{"wanted_date": "2026-12-22 07:59"}, "wanted_date: 07:59 is outside Paris working hours 08:00–12:00 / 14:00–17:00"},
		{"12:00 allowed", map[string]string{"wanted_date": "2026-12-22 12:00"}, ""},
		{"12:01 refused", map[string]string{"wanted_date": "2026-12-22 12:01"}, "12:01 is outside"},
		{"17:00 allowed", map[string]string{"wanted_date": "22/12/2026 17:00"}, ""},
		{"17:01 refused", map[string]string{"wanted_date": "22/12/2026 17:01"}, "17:01 is outside"},
		{"fewer than 6 working days", map[string]string{"wanted_date": "2026-11-30 10:00"}, "wanted_date: 2026-11-30 is only 5 French working days ahead; at least 6 are needed"},
		{"exactly 6 working days", map[string]string{"wanted_date": "2026-12-01 10:00"}, ""},
		{"more than 89 days", map[string]string{"wanted_date": "2027-02-22 10:00"}, "more than 89 days ahead"},
		{"89 days", map[string]string{"wanted_date": "2027-02-19 10:00"}, ""},
		{"excel serial", map[string]string{"wanted_date": "46380.4166666667"}, ""},
		{"utc text", map[string]string{"wanted_date": "2026-12-22T09:00:00Z"}, ""},
		{"date without time", map[string]string{"wanted_date": "2026-12-22"}, "wanted_date: 2026-12-22 has no time"},
		{"not a date", map[string]string{"wanted_date": "soon"}, "wanted_date: soon is not a date"},
		{"8-digit number", map[string]string{"numbers": "01990016"}, "numbers: 01990016 has 8 digits; a French number has 10"},
		{"range too long", map[string]string{"numbers": "0123400000-0123499999"}, "holds 100000 numbers; at most 10000"},
		{"zip letter O", map[string]string{"zip_code": "75O11"}, "zip_code: 75O11 is not a 5-digit postal code (letter O instead of zero?)"},
		{"zip short", map[string]string{"zip_code": "750"}, "zip_code: 750 is not a 5-digit postal code"},
		{"routing voip", map[string]string{"routing": "voip"}, "routing: voip is not a routing; use prefix or sip_trunk"},
		{"routing tolerant", map[string]string{"routing": " SIP Trunk "}, ""},
		{"prefix required", map[string]string{"prefix": ""}, "prefix: required when routing is prefix"},
		{"prefix service id instead", map[string]string{"prefix": "", "prefix_service_id": "svc-1"}, ""},
		{"email two at", map[string]string{"contact_email": "a@@b.example"}, "contact_email: a@@b.example is not a valid e-mail address"},
		{"email no dot", map[string]string{"contact_email": "a@localhost"}, "the domain needs a dot"},
		{"phone invalid", map[string]string{"contact_phone": "12"}, "contact_phone: 12 has 2 digits"},
		{"customer required", map[string]string{"customer_name": " "}, "customer_name: required"},
		{"bad rio", map[string]string{"rio": "123"}, "rio: 123 is not a RIO"},
	}
	header := append(frHeader, "prefix_service_id")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := messages(ValidateRow(FrPort, header, cells(header, edit(frGood(), tt.changes)), opts()))
			if tt.want == "" {
				assert.Empty(t, got, "got problems %q, want none", got)
				return
			}
			assert.Contains(t, got, tt.want, "got %q, want it to contain %q", got, tt.want)
		})
	}
}

func TestFrPortNormalises(t *testing.T) {
	row := edit(frGood(), map[string]string{"idn": "261910210", "numbers": "261910210-261910212; 0261910299", "prefix": "10203",
		"contact_phone": "+33 6 73 48 00 41", "zip_code": "3200", "city": "Vichy", "wanted_date": "22/12/2026 10:00"})
	res := Parse(table(frHeader, row), FrPort, opts())
	require.True(t, res.Rows[0].Valid(), "got %q", res.Rows[0].Message())
	f := res.Orders[0].FrPort
	assert.Equal(t, "0261910210", f.IDN)
	assert.Equal(t, []string{"0261910210", "0261910211", "0261910212", "0261910299"}, f.DIDs)
	assert.Equal(t, "010203", f.Prefix)
	assert.Equal(t, "+33673480041", f.ContactPhone)
	assert.Equal(t, "03200", f.ZipCode)
	assert.Equal(t, time.Date(2026, 12, 22, 9, 0, 0, 0, time.UTC), f.WantedDate.UTC())
	assert.Contains(t, res.Rows[0].Message(), "idn: 261910210 lost its leading zero, read as 0261910210")
	assert.Contains(t, res.Rows[0].Message(), "numbers: 261910210-261910212 lost its leading zeros")
	assert.Equal(t, "fr-port/idn:0261910210", res.Orders[0].Key)
}

func TestFrWindowOptions(t *testing.T) {
	o := opts()
	o.FrWindow = FrWindow{Disabled: true}
	got := ValidateRow(FrPort, frHeader, cells(frHeader, edit(frGood(), map[string]string{"wanted_date": "2026-12-26 07:00"})), o)
	assert.Empty(t, got, "disabled window: got %v", got)
	o.FrWindow = FrWindow{Hours: []HourRange{{"09:00", "10:00"}}, MinWorkingDays: 2, MaxDays: 10}
	got = ValidateRow(FrPort, frHeader, cells(frHeader, edit(frGood(), map[string]string{"wanted_date": "2026-11-26 10:30"})), o)
	assert.Equal(t, "wanted_date: 10:30 is outside Paris working hours 09:00–10:00", messages(got))
	assert.Error(t, FrWindow{Hours: []HourRange{{"9h", "10:00"}}}.Validate())
	assert.NoError(t, FrWindow{}.Validate())
}

func TestOnlinePrefix(t *testing.T) {
	o := opts()
	o.Reference = &Reference{Carrier: map[Kind]string{FrPort: "Netwo"}, FrPrefixes: map[string]string{"010203": "svc-a", "040506": "svc-b"}}
	got := ValidateRow(FrPort, frHeader, cells(frHeader, edit(frGood(), map[string]string{"prefix": "010299"})), o)
	assert.Equal(t, "prefix: 010299 is not one of your Netwo portability prefixes (010203, 040506)", messages(got))
	res := Parse(table(frHeader, frGood()), FrPort, o)
	require.Len(t, res.Orders, 1)
	assert.Equal(t, "svc-a", res.Orders[0].FrPort.PrefixServiceID)
}
