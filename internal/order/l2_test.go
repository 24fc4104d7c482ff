package order

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestL2Rules(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]string
		want    string
	}{
		{"valid", nil, ""},
		{"tolerant modes", map[string]string{"site_vlan_mode": "flux  TAGUÉ c-vlan", "site_vlan": "42", "port_vlan_mode": "TRANSPARENCE AUX CVLAN (QINQ)"}, ""},
		{"unknown mode", map[string]string{"site_vlan_mode": "Flux double tagué"}, `site_vlan_mode: Flux double tagué is not one of "Transparence aux CVLAN (QinQ)", "Flux tagué C-VLAN", "Flux non tagué"`},
		{"vlan on untagged side", map[string]string{"site_vlan": "77"}, `site_vlan: allowed only when site_vlan_mode is "Flux tagué C-VLAN"`},
		{"vlan 4095", map[string]string{"port_vlan_mode": VLANModeTagged, "port_vlan": "4095"}, "port_vlan: 4095 is outside 1–4094"},
		{"vlan 0", map[string]string{"port_vlan_mode": VLANModeTagged, "port_vlan": "0"}, "port_vlan: 0 is outside 1–4094"},
		{"vlan 12a", map[string]string{"site_vlan_mode": VLANModeTagged, "site_vlan": "12a"}, "site_vlan: 12a is not a VLAN number (1–4094)"},
		{"tagged needs vlan", map[string]string{"port_vlan_mode": VLANModeTagged}, `port_vlan: required when port_vlan_mode is "Flux tagué C-VLAN"`},
		{"option x", map[string]string{"option_ids": "41;x"}, "option_ids: x is not an id"},
		{"follow list", map[string]string{"follow_contact_ids": "7101;7103"}, ""},
		// Prizz refuses an order without idContacts: say so before sending.
		{"follow required", map[string]string{"follow_contact_ids": ""}, "follow_contact_ids: required"},
		{"follow only separators", map[string]string{"follow_contact_ids": " ; , "}, "follow_contact_ids: required"},
		{"offer required", map[string]string{"offer_id": ""}, "offer_id: required"},
		{"offer text", map[string]string{"offer_id": "abc"}, "offer_id: abc is not an id"},
		{"port_ref required", map[string]string{"port_ref": ""}, "port_ref: required"},
		{"other interface", map[string]string{"delivery_interface": "10G Base LR"}, ""},
		{"bad email", map[string]string{"site_contact_email": "nope"}, "site_contact_email: nope is not a valid e-mail address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := messages(ValidateRow(L2, l2Header, cells(l2Header, edit(l2Good(), tt.changes)), opts()))
			if tt.want == "" {
				assert.Empty(t, got, "got problems %q, want none", got)
				return
			}
			assert.Contains(t, got, tt.want, "got %q, want it to contain %q", got, tt.want)
		})
	}
}

func TestL2Normalises(t *testing.T) {
	row := edit(l2Good(), map[string]string{"site_vlan_mode": "flux tague c-vlan", "site_vlan": "42", "delivery_interface": "1000 base sx", "option_ids": "42, 41"})
	res := Parse(table(l2Header, row), L2, opts())
	require.True(t, res.Rows[0].Valid(), res.Rows[0].Message())
	l := res.Orders[0].L2
	assert.Equal(t, VLANModeTagged, l.SiteVLANMode)
	assert.Equal(t, 42, l.SiteVLAN)
	assert.Equal(t, "1000 Base SX", l.DeliveryInterface)
	assert.Equal(t, []int{41, 42}, l.OptionIDs)
	assert.Equal(t, "l2/site:27 avenue jean jaures 33600 pessac|offer:2201|port:PZ-1", res.Orders[0].Key)
}

func TestL2Online(t *testing.T) {
	o := opts()
	o.Reference = &Reference{Carrier: map[Kind]string{L2: "Prizz"}, L2Offers: map[int][]int{2201: {41}}, L2Contacts: map[int]bool{7101: true}, L2Ports: map[string]bool{"PZ-1": true}}
	got := messages(ValidateRow(L2, l2Header, cells(l2Header, edit(l2Good(), map[string]string{"order_contact_id": "7109"})), o))
	assert.Contains(t, got, "option_ids: 42 is not an option of offer 2201 (allowed: 41)")
	assert.Contains(t, got, "gtr_contact_hno: 7102 is not one of your Prizz operator contacts")
	assert.Contains(t, got, "order_contact_id: 7109 is not one of your Prizz operator contacts")
	got = messages(ValidateRow(L2, l2Header, cells(l2Header, edit(l2Good(), map[string]string{"port_ref": "PZ-9", "offer_id": "9"})), o))
	assert.Contains(t, got, "port_ref: PZ-9 is not one of your Prizz delivery ports (PZ-1)")
	assert.Contains(t, got, "offer_id: 9 is not one of your Prizz offers")
}

func FuzzValidateL2Row(f *testing.F) {
	f.Add("2201", "41,42", "7101", "Flux tagué C-VLAN", "42", "33600")
	f.Add("", "x", "", "flux double", "4095", "75O11")
	f.Add("2200+1", ";;,", "-1", "TRANSPARENCE AUX CVLAN (QINQ)", "12a", "")
	f.Fuzz(func(t *testing.T, offer, options, contact, mode, vlan, zip string) {
		row := edit(l2Good(), map[string]string{"offer_id": offer, "option_ids": options, "gtr_contact_ho": contact,
			"site_vlan_mode": mode, "site_vlan": vlan, "zip_code": zip, "site_contact_phone": vlan + contact})
		ps := ValidateRow(L2, l2Header, cells(l2Header, row), opts())
		for _, p := range ps {
			if p.Why == "" {
				t.Fatalf("empty reason on %q", p.Column)
			}
		}
	})
}

// TestL2OptionsCheck covers CheckL2Options: options of another offer are an
// error by default, a warning or nothing as configured, and nothing is
// checked when Prizz's reference data has no offer list (it publishes none).
func TestL2OptionsCheck(t *testing.T) {
	offers := map[int][]int{2201: {41, 42}, 2202: {51}}
	tests := []struct {
		name    string
		offers  map[int][]int
		sev     Severity
		options string
		valid   bool
		want    string
	}{
		{"options of the offer", offers, "", "41,42", true, ""},
		{"no option", offers, "", "", true, ""},
		{"option of another offer", offers, "", "41,51", false, "option_ids: 51 is not an option of offer 2201 (allowed: 41,42): choose options of offer_id"},
		{"as a warning", offers, SeverityWarning, "51", true, "warning: option_ids: 51 is not an option of offer 2201"},
		{"off", offers, SeverityOff, "51", true, ""},
		{"no offer list", nil, "", "51", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opts()
			o.Reference = &Reference{Carrier: map[Kind]string{L2: "Prizz"}, L2Offers: tt.offers}
			if tt.sev != "" {
				o.Checks = map[Check]Severity{CheckL2Options: tt.sev}
			}
			row := Parse(table(l2Header, edit(l2Good(), map[string]string{"option_ids": tt.options})), L2, o).Rows[0]
			got := row.Message()
			assert.Equal(t, tt.valid, row.Valid(), "got valid %v (%s), want %v", row.Valid(), got, tt.valid)
			if tt.want == "" {
				assert.Empty(t, got)
			} else {
				assert.Contains(t, got, tt.want)
			}
		})
	}
}
