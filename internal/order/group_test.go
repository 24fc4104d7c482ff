package order

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

func TestHeaderAliases(t *testing.T) {
	tests := []struct {
		kind   Kind
		header string
		want   string
	}{
		{FrPort, "Zip Code", "zip_code"}, {FrPort, "ZIP-CODE", "zip_code"}, {FrPort, "code postal", "zip_code"},
		{FrPort, "Numéros", "numbers"}, {FrPort, "Date souhaitée", "wanted_date"}, {FrPort, "Ville", "city"},
		{FrPort, "raison sociale", "customer_name"}, {FrPort, "Téléphone contact", "contact_phone"}, {FrPort, "Courriel", "contact_email"},
		{FrPort, "Order Ref", "order_ref"}, {L2, "Client name", "client_name"}, {L2, "PORT-VLAN-MODE", "port_vlan_mode"},
		{L2, "Option IDs", "option_ids"}, {CaPort, "Province/State", "province"}, {CaPort, "code postal", "postal_code"}, {FrPort, "suivi_interne", ""},
	}
	for _, tt := range tests {
		got := CanonicalHeader(tt.kind, []string{tt.header})[0]
		assert.Equal(t, tt.want, got, "%s %q: got %q, want %q", tt.kind, tt.header, got, tt.want)
	}
	assert.Equal(t, []string{"city", ""}, CanonicalHeader(FrPort, []string{"city", "Ville"}), "a repeated column is unknown")
}

func TestDetectKind(t *testing.T) {
	k, err := DetectKind(" FR Port ", nil)
	require.NoError(t, err)
	assert.Equal(t, FrPort, k)
	k, err = DetectKind("Feuil1", l2Header)
	require.NoError(t, err)
	assert.Equal(t, L2, k)
	k, err = DetectKind("", caHeader)
	require.NoError(t, err)
	assert.Equal(t, CaPort, k)
	_, err = DetectKind("Sheet1", []string{"idn", "numbers", "siret", "customer_name", "street", "zip_code", "city", "contact_name", "contact_email", "contact_phone"})
	require.Error(t, err)
	assert.Equal(t, "cannot tell the order kind from the header: the closest is fr-port, which lacks the columns wanted_date, routing (or name the sheet fr-port)", err.Error())
	_, err = DetectKind("x", append(append([]string{}, frHeader...), l2Header...))
	assert.ErrorContains(t, err, "several order kinds (fr-port, l2)")
}

func TestGroupDisagreement(t *testing.T) {
	a := edit(frGood(), map[string]string{"order_ref": "G", "numbers": "0261910210"})
	b := edit(frGood(), map[string]string{"order_ref": "G", "numbers": "0261910211", "city": "BREST"})
	c := edit(frGood(), map[string]string{"idn": "0261910300", "numbers": "0261910300"})
	res := Parse(table(frHeader, a, b, c), FrPort, noBlockOpts())
	for _, r := range res.Rows[:2] {
		assert.False(t, r.Valid())
		assert.Equal(t, `city: rows of order G disagree (row 2 "Brest", row 3 "BREST"); rows sharing an order_ref must give the same value`, r.Message())
	}
	assert.True(t, res.Rows[2].Valid())
	require.Len(t, res.Orders, 1)
	assert.Equal(t, []int{4}, res.Orders[0].Rows)
}

func TestGroupMergesAndInvalidRowSpoilsGroup(t *testing.T) {
	a := edit(frGood(), map[string]string{"order_ref": "G"})
	b := edit(frGood(), map[string]string{"order_ref": "G", "numbers": "0261910211"})
	res := Parse(table(frHeader, a, b), FrPort, opts())
	require.Len(t, res.Orders, 1)
	assert.Equal(t, []string{"0261910210", "0261910211"}, res.Orders[0].FrPort.DIDs)
	assert.Same(t, res.Rows[0].Order, res.Rows[1].Order)

	bad := edit(b, map[string]string{"siret": "1"})
	res = Parse(table(frHeader, a, bad), FrPort, noBlockOpts())
	assert.Empty(t, res.Orders)
	assert.Equal(t, "order_ref: row 3 of order G is invalid, so this order can't be sent", res.Rows[0].Message())
}

func TestDuplicateKey(t *testing.T) {
	res := Parse(table(frHeader, frGood(), edit(frGood(), map[string]string{"city": "BREST"})), FrPort, noBlockOpts())
	assert.True(t, res.Rows[0].Valid())
	assert.Equal(t, "idn: same as row 2", res.Rows[1].Message(), "the duplicate says which row it repeats, in plain words")
	assert.Len(t, res.Orders, 1)
}

func TestReaderProblemsAndUnknownColumns(t *testing.T) {
	header := append(append([]string{}, l2Header...), "suivi")
	tbl := table(header, l2Good())
	tbl.Records[0].Problems = map[int]string{2: "formula =2200+1 has no saved value"}
	tbl.Records[0].Cells[2] = ""
	res := Parse(tbl, L2, opts())
	assert.Equal(t, "offer_id: formula =2200+1 has no saved value", res.Rows[0].Message())
	assert.Equal(t, "", res.Columns[len(header)-1])
}

func TestFingerprintAndDiff(t *testing.T) {
	a := Parse(table(caHeader, edit(caGood(), map[string]string{"province": "Ontario", "postal_code": "m5v3a6"})), CaPort, opts()).Orders[0]
	b := Parse(table(caHeader, caGood()), CaPort, opts()).Orders[0]
	assert.Equal(t, a.Fingerprint, b.Fingerprint, "same content, different spelling")
	assert.Equal(t, "ca-port/numbers:4165550120", a.Key)
	c := Parse(table(caHeader, edit(caGood(), map[string]string{"city": "Ottawa", "email": "b@h.example"})), CaPort, opts()).Orders[0]
	assert.NotEqual(t, a.Fingerprint, c.Fingerprint)
	assert.Equal(t, []string{"city", "email"}, Diff(a.Fields(), c.Fields()))
	assert.Equal(t, []string{"x", "y"}, Diff(map[string]string{"x": "1"}, map[string]string{"y": ""}))
	assert.Len(t, Fingerprint(nil), 64)
}

func TestUnknownKind(t *testing.T) {
	res := Parse(&sheet.Table{Header: []string{"a"}, Records: []sheet.Record{{Num: 2, Cells: []string{"x"}}}}, Kind("nope"), opts())
	assert.False(t, res.Rows[0].Valid())
	assert.Contains(t, res.Rows[0].Message(), `unknown order kind "nope"`)
}

func TestColumnsDocumented(t *testing.T) {
	for _, k := range Kinds {
		cols := Columns(k)
		require.NotEmpty(t, cols)
		for _, c := range cols {
			assert.NotEmpty(t, c.HelpEN, "%s.%s", k, c.Name)
			assert.NotEmpty(t, c.HelpFR, "%s.%s", k, c.Name)
			assert.Equal(t, c.Name, CanonicalHeader(k, []string{c.Name})[0], fmt.Sprintf("%s.%s", k, c.Name))
			for _, a := range c.Aliases {
				assert.Equal(t, c.Name, CanonicalHeader(k, []string{a})[0], "%s alias %q", k, a)
			}
		}
	}
}

func TestSplitNumbers(t *testing.T) {
	got, fixed, problems := expandNumbers("0123456700-0123456702\n0261910210; 0261910210, 261910299", frParse)
	assert.Equal(t, []string{"0123456700", "0123456701", "0123456702", "0261910210", "0261910299"}, got)
	assert.Equal(t, []string{"261910299 lost its leading zero, read as 0261910299"}, fixed)
	assert.Empty(t, problems)
	nums, _, problems := expandNumbers("514-555-0190; 514-555-0191 (206) 555-0160", nanpParse)
	assert.Equal(t, []int64{5145550190}, nums)
	assert.NotEmpty(t, problems, "a space-joined formatted pair is not two numbers")
	_, _, problems = expandNumbers("0123456799-0123456700", frParse)
	assert.Equal(t, []string{"range 0123456799-0123456700 ends before it starts"}, problems)
}

// noBlockOpts is opts without the number-block check: the sample numbers
// of frGood are in no ARCEP block, and these tests compare whole messages.
func noBlockOpts() Options {
	o := opts()
	o.Checks = map[Check]Severity{CheckFrNumberBlock: SeverityOff}
	return o
}
