package order

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCaPortRules(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "loa.pdf"), []byte("%PDF-1.4 test"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "fake.pdf"), []byte("hello"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "big.pdf"), make([]byte, 2048), 0o600))
	tests := []struct {
		name    string
		changes map[string]string
		want    string
	}{
		{"valid", nil, ""},
		{"formatted number", map[string]string{"numbers": "(206) 555-0160"}, ""},
		{"postal lower no space", map[string]string{"postal_code": "m5v3a6"}, ""},
		{"postal dutch", map[string]string{"postal_code": "1234 AB"}, "postal_code: 1234 AB is not a Canadian postal code (A1A 1A1)"},
		{"province french name", map[string]string{"province": "Québec", "postal_code": "H2V 1K5"}, ""},
		{"province unknown", map[string]string{"province": "Bavaria"}, "province: Bavaria is not a Canadian province or territory"},
		{"us zip", map[string]string{"country": "US", "province": "Washington", "postal_code": "98101-1234"}, ""},
		{"us zip lost its zero", map[string]string{"country": "US", "province": "WA", "postal_code": "9810"}, ""},
		{"country", map[string]string{"country": "FR"}, "country: FR is not CA or US"},
		{"pilot and offering", map[string]string{"offering_id": "OFF-1"}, "pilot_number: give pilot_number or offering_id, not both"},
		{"neither pilot nor offering", map[string]string{"pilot_number": ""}, "pilot_number: give pilot_number (existing SIP trunk) or offering_id"},
		{"provider and reseller", map[string]string{"current_reseller": "X"}, "current_provider_id: give current_provider_id or current_reseller, not both"},
		{"no provider", map[string]string{"current_provider_id": ""}, "current_provider_id: give current_provider_id or current_reseller"},
		{"mixed toll-free", map[string]string{"numbers": "8665550170, 4165550120"}, "numbers: toll-free (8665550170) and regular (4165550120) numbers can't share one request (this row)"},
		{"bad number", map[string]string{"numbers": "555-0160"}, "numbers: 555-0160 has 7 digits"},
		{"date serial", map[string]string{"requested_port_date": "46391", "requested_port_time": "9:30"}, ""},
		{"time without date", map[string]string{"requested_port_time": "09:30"}, "requested_port_time: allowed only with requested_port_date"},
		{"bad time", map[string]string{"requested_port_date": "2027-01-04", "requested_port_time": "25:00"}, "requested_port_time: 25:00 is not a time"},
		{"loa path", map[string]string{"loa_file": "../x.pdf"}, "loa_file: ../x.pdf must be a bare file name"},
		{"loa backslash", map[string]string{"loa_file": `a\x.pdf`}, "must be a bare file name"},
		{"loa missing", map[string]string{"loa_file": "nope.pdf"}, "loa_file: nope.pdf is not in the inbox"},
		{"loa not pdf", map[string]string{"loa_file": "fake.pdf"}, "loa_file: fake.pdf is named .pdf but is not a PDF file"},
		{"loa too big", map[string]string{"loa_file": "big.pdf"}, "loa_file: big.pdf is larger than the 1024-byte limit"},
		{"loa ok", map[string]string{"loa_file": "loa.pdf"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opts()
			o.AttachmentDir, o.MaxAttachment = dir, 1024
			got := messages(ValidateRow(CaPort, caHeader, cells(caHeader, edit(caGood(), tt.changes)), o))
			if tt.want == "" {
				assert.Empty(t, got, "got problems %q, want none", got)
				return
			}
			assert.Contains(t, got, tt.want, "got %q, want it to contain %q", got, tt.want)
		})
	}
}

func TestCaPortNoAttachmentDir(t *testing.T) {
	got := messages(ValidateRow(CaPort, caHeader, cells(caHeader, edit(caGood(), map[string]string{"loa_file": "loa.pdf"})), opts()))
	assert.Equal(t, "loa_file: loa.pdf can't be read: no attachment folder is set", got)
}

func TestCaPortGroupAgreesAfterNormalisation(t *testing.T) {
	a := edit(caGood(), map[string]string{"order_ref": "G1", "province": "Ontario", "postal_code": "m5v3a6", "numbers": "4165550120-4165550121", "label": "Desk"})
	b := edit(caGood(), map[string]string{"order_ref": "G1", "numbers": "416-555-0130", "label": "Fax"})
	res := Parse(table(caHeader, a, b), CaPort, opts())
	require.True(t, res.Rows[0].Valid(), res.Rows[0].Message())
	require.Len(t, res.Orders, 1)
	o := res.Orders[0]
	assert.Same(t, o, res.Rows[1].Order)
	assert.Equal(t, []int64{4165550120, 4165550121, 4165550130}, o.CaPort.Numbers)
	assert.Equal(t, map[int64]string{4165550120: "Desk", 4165550121: "Desk", 4165550130: "Fax"}, o.CaPort.Labels)
	assert.Equal(t, "ON", o.CaPort.Form.CustomerProvince)
	assert.Equal(t, "M5V 3A6", o.CaPort.Form.CustomerPostalCode)
	assert.Equal(t, []int{2, 3}, o.Rows)
	assert.Equal(t, "ca-port/ref:G1", o.Key)
}

func TestCaPortTollFreeGroup(t *testing.T) {
	a := edit(caGood(), map[string]string{"order_ref": "TF", "numbers": "8775550180"})
	b := edit(caGood(), map[string]string{"order_ref": "TF", "numbers": "5145550181"})
	res := Parse(table(caHeader, a, b), CaPort, opts())
	for _, r := range res.Rows {
		assert.False(t, r.Valid())
		assert.Contains(t, r.Message(), "numbers: toll-free (8775550180) and regular (5145550181) numbers can't share one request (order_ref TF)")
	}
	assert.Empty(t, res.Orders)
	alone := Parse(table(caHeader, edit(caGood(), map[string]string{"numbers": "866-555-0170"})), CaPort, opts())
	require.Len(t, alone.Orders, 1)
	assert.True(t, alone.Orders[0].CaPort.TollFree)
}

func TestCaPortOnline(t *testing.T) {
	o := opts()
	o.Reference = &Reference{Carrier: map[Kind]string{CaPort: "Thinktel"}, CaTrunks: map[int64]bool{4165550100: true}, CaProviders: map[int32]string{311: "Bell"},
		CaOfferings: map[string]int{"OFF-FAX": 7}}
	assert.Empty(t, ValidateRow(CaPort, caHeader, cells(caHeader, caGood()), o))
	got := messages(ValidateRow(CaPort, caHeader, cells(caHeader, edit(caGood(), map[string]string{"pilot_number": "5145550100", "current_provider_id": "999"})), o))
	assert.Contains(t, got, "pilot_number: 5145550100 is not one of your Thinktel SIP trunks")
	assert.Contains(t, got, "current_provider_id: 999 is not a Thinktel provider ID")
	got = messages(ValidateRow(CaPort, caHeader, cells(caHeader, edit(caGood(), map[string]string{"pilot_number": "", "offering_id": "OFF-FAX"})), o))
	assert.Equal(t, "fax_email: required for offering OFF-FAX (type 7)", got)
	got = messages(ValidateRow(CaPort, caHeader, cells(caHeader, edit(caGood(), map[string]string{"pilot_number": "", "offering_id": "OFF-X"})), o))
	assert.Equal(t, "offering_id: OFF-X is not one of the Thinktel telephone offerings", got)
}

// TestAttachmentPermissionDenied: an LOA orderdrop may not read says so
// and what to do. The error is injected (tests run as root here).
func TestAttachmentPermissionDenied(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "openat", Path: "loa.pdf", Err: syscall.EACCES}, "loa.pdf can't be read: permission denied — give orderdrop's user read access to it"},
		{&fs.PathError{Op: "read", Path: "loa.pdf", Err: syscall.EIO}, "loa.pdf can't be read: read loa.pdf: input/output error"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, attachmentError("loa.pdf", tt.err).Error())
	}
}
