package order

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

const fixturesDir = "../../../shared/fixtures"

type expectations struct {
	GeneratedOn string `json:"generated_on"`
	Reference   struct {
		Netwo []struct {
			Resource string `json:"resource"`
		} `json:"netwo_prefix_hosting"`
		L2Offers   map[string][]int `json:"prizz_offers"`
		L2Contacts []int            `json:"prizz_contacts"`
		L2Ports    []string         `json:"prizz_ports"`
		Trunks     []int64          `json:"thinktel_sip_trunks"`
		Providers  []struct {
			ID   int32  `json:"ID"`
			Name string `json:"Name"`
		} `json:"thinktel_providers"`
	} `json:"reference_data"`
	Files []struct {
		File    string `json:"file"`
		Outcome string `json:"outcome"`
		Sheets  []struct {
			Sheet    string   `json:"sheet"`
			Kind     Kind     `json:"kind"`
			KindFrom string   `json:"kind_from"`
			Rows     []expRow `json:"rows"`
		} `json:"sheets"`
	} `json:"files"`
}

type expRow struct {
	Row          int            `json:"row"`
	OrderRef     *string        `json:"order_ref"`
	Status       string         `json:"status"`
	Columns      []string       `json:"columns"`
	ColumnsAny   []string       `json:"columns_any"`
	Normalised   map[string]any `json:"normalised"`
	ExpectNoteOn []string       `json:"expect_note_on"`
	RequestRows  []int          `json:"request_rows"`
}

func loadExpectations(t *testing.T) *expectations {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixturesDir, "expectations.json"))
	if os.IsNotExist(err) {
		t.Skip("shared fixtures not present")
	}
	require.NoError(t, err)
	var exp expectations
	require.NoError(t, json.Unmarshal(data, &exp))
	return &exp
}

// fixtureOptions pins the clock to generated_on at 12:00 Paris.
func fixtureOptions(t *testing.T, exp *expectations) Options {
	day, err := time.ParseInLocation("2006-01-02", exp.GeneratedOn, paris)
	require.NoError(t, err)
	return Options{Now: day.Add(12 * time.Hour), AttachmentDir: filepath.Join(fixturesDir, "inbox")}
}

func TestFixtures(t *testing.T) {
	exp := loadExpectations(t)
	for _, f := range exp.Files {
		if f.Outcome != "read" {
			continue
		}
		t.Run(f.File, func(t *testing.T) {
			wb, err := sheet.Open(filepath.Join(fixturesDir, "inbox", f.File), sheet.Options{})
			require.NoError(t, err)
			require.Len(t, wb.Sheets, len(f.Sheets), "got sheets, want as many as expectations")
			for si, es := range f.Sheets {
				tbl := wb.Sheets[si]
				kind, err := DetectKind(tbl.Name, tbl.Header)
				require.NoError(t, err)
				assert.Equal(t, es.Kind, kind, "sheet %q: got kind %s, want %s", tbl.Name, kind, es.Kind)
				assert.Equal(t, es.KindFrom == "sheet", KindFromName(tbl.Name) != "", "sheet %q: kind_from %s", tbl.Name, es.KindFrom)
				for _, opts := range []Options{fixtureOptions(t, exp), withReference(fixtureOptions(t, exp), exp)} {
					res := Parse(tbl, kind, opts)
					require.Len(t, res.Rows, len(tbl.Records))
					checkRows(t, tbl.Name, res, es.Rows)
				}
			}
		})
	}
}

// withReference turns the fixtures' reference data into online options.
func withReference(o Options, exp *expectations) Options {
	ref := &Reference{Carrier: map[Kind]string{FrPort: "Netwo", CaPort: "Thinktel", L2: "Prizz"}, FrPrefixes: map[string]string{}, CaTrunks: map[int64]bool{}, CaProviders: map[int32]string{},
		L2Contacts: map[int]bool{}, L2Ports: map[string]bool{}, L2Offers: map[int][]int{}}
	for _, p := range exp.Reference.Netwo {
		ref.FrPrefixes[p.Resource] = "svc-" + p.Resource
	}
	for _, n := range exp.Reference.Trunks {
		ref.CaTrunks[n] = true
	}
	for _, p := range exp.Reference.Providers {
		ref.CaProviders[p.ID] = p.Name
	}
	for _, c := range exp.Reference.L2Contacts {
		ref.L2Contacts[c] = true
	}
	for _, p := range exp.Reference.L2Ports {
		ref.L2Ports[p] = true
	}
	for k, opts := range exp.Reference.L2Offers {
		var id int
		fmt.Sscan(k, &id)
		ref.L2Offers[id] = opts
	}
	o.Reference = ref
	return o
}

func checkRows(t *testing.T, sheetName string, res *Result, rows []expRow) {
	byNum := make(map[int]RowResult)
	for _, r := range res.Rows {
		byNum[r.Num] = r
	}
	require.Len(t, res.Rows, len(rows), "sheet %q: got %d rows, want %d", sheetName, len(res.Rows), len(rows))
	for _, er := range rows {
		rr, ok := byNum[er.Row]
		if !assert.True(t, ok, "sheet %q: row %d missing", sheetName, er.Row) {
			continue
		}
		msg := rr.Message()
		if er.Status == "invalid" {
			assert.False(t, rr.Valid(), "sheet %q row %d: got valid, want invalid (%v)", sheetName, er.Row, er.Columns)
			for _, col := range er.Columns {
				assert.Contains(t, msg, col+":", "sheet %q row %d: message %q must name %s", sheetName, er.Row, msg, col)
			}
			if len(er.ColumnsAny) > 0 {
				assert.True(t, slices.ContainsFunc(er.ColumnsAny, func(c string) bool { return strings.Contains(msg, c+":") }),
					"sheet %q row %d: message %q must name one of %v", sheetName, er.Row, msg, er.ColumnsAny)
			}
			continue
		}
		if !assert.True(t, rr.Valid(), "sheet %q row %d: got invalid %q, want valid", sheetName, er.Row, msg) {
			continue
		}
		for _, col := range er.ExpectNoteOn {
			assert.True(t, slices.ContainsFunc(rr.Notes, func(n string) bool { return strings.HasPrefix(n, col+":") }),
				"sheet %q row %d: got notes %q, want one on %s", sheetName, er.Row, rr.Notes, col)
		}
		if len(er.RequestRows) > 0 {
			assert.Equal(t, er.RequestRows, rr.Order.Rows, "sheet %q row %d: request rows", sheetName, er.Row)
			for _, other := range er.RequestRows {
				assert.Same(t, rr.Order, byNum[other].Order, "sheet %q: rows %d and %d must share one order", sheetName, er.Row, other)
			}
		}
		if er.OrderRef != nil {
			assert.Equal(t, *er.OrderRef, rr.Order.Ref)
		}
		checkNormalised(t, fmt.Sprintf("sheet %q row %d", sheetName, er.Row), rr.Order, er.Normalised)
	}
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprint(v)
}

func num64(v any) int64 {
	if f, ok := v.(float64); ok {
		return int64(f)
	}
	return 0
}

func m(v any) map[string]any {
	mm, _ := v.(map[string]any)
	return mm
}

func checkNormalised(t *testing.T, where string, o *Order, n map[string]any) {
	switch o.Kind {
	case FrPort:
		f := o.FrPort
		var dids []string
		for _, d := range n["did"].([]any) {
			dids = append(dids, str(d))
		}
		slices.Sort(dids)
		assert.Equal(t, str(n["idn"]), f.IDN, where)
		assert.Equal(t, dids, f.DIDs, where)
		assert.Equal(t, str(n["rio"]), f.RIO, where)
		assert.Equal(t, str(n["wanted_date_utc"]), f.WantedDate.UTC().Format(time.RFC3339), where)
		assert.Equal(t, str(n["routing"]), f.Routing, where)
		assert.Equal(t, str(n["prefix"]), f.Prefix, where)
		cu, co := m(n["customer"]), m(n["contact"])
		assert.Equal(t, str(cu["name"]), f.CustomerName, where)
		assert.Equal(t, str(cu["company_number"]), f.CompanyNumber, where)
		assert.Equal(t, str(cu["street"]), f.Street, where)
		assert.Equal(t, str(cu["zip_code"]), f.ZipCode, where)
		assert.Equal(t, str(cu["city"]), f.City, where)
		assert.Equal(t, str(co["name"]), f.ContactName, where)
		assert.Equal(t, str(co["email"]), f.ContactEmail, where)
		assert.Equal(t, str(co["phone_e164"]), f.ContactPhone, where)
	case CaPort:
		c := o.CaPort
		assert.Equal(t, strings.Contains(str(n["endpoint"]), "TollFree"), c.TollFree, where+": endpoint %s", n["endpoint"])
		assert.Equal(t, num64(n["PilotNumber"]), c.PilotNumber, where)
		var nums []int64
		for _, x := range n["numbers"].([]any) {
			nums = append(nums, num64(x))
		}
		slices.Sort(nums)
		assert.Equal(t, nums, c.Numbers, where)
		labels := map[int64]string{}
		for k, v := range m(n["labels"]) {
			var id int64
			fmt.Sscan(k, &id)
			labels[id] = str(v)
		}
		assert.Equal(t, labels, c.Labels, where)
		pf := m(n["PortForm"])
		got := map[string]any{
			"CustomerName": c.Form.CustomerName, "CustomerAccountNumber": c.Form.CustomerAccountNumber,
			"CustomerStreetNumber": c.Form.CustomerStreetNumber, "CustomerStreetName": c.Form.CustomerStreetName,
			"CustomerUnit": c.Form.CustomerUnit, "CustomerCity": c.Form.CustomerCity, "CustomerProvince": c.Form.CustomerProvince,
			"CustomerPostalCode": c.Form.CustomerPostalCode, "CustomerCountry": c.Form.CustomerCountry, "EmailAddress": c.Form.EmailAddress,
			"CurrentProvider": fmtInt(int64(c.Form.CurrentProvider)), "CurrentReseller": c.Form.CurrentReseller,
			"RequestedPortDate": c.Form.RequestedPortDate, "RequestedPortTime": c.Form.RequestedPortTime,
			"SubmitterFirstName": c.Form.SubmitterFirstName, "SubmitterLastName": c.Form.SubmitterLastName,
			"SubmitterPhoneNumber": fmtInt(c.Form.SubmitterPhoneNumber),
		}
		for k, want := range pf {
			assert.Equal(t, str(want), got[k], "%s: PortForm.%s", where, k)
		}
		if loa := m(n["loa"]); loa != nil {
			if assert.NotNil(t, c.LOA, where) {
				assert.Equal(t, str(loa["FileName"]), c.LOA.FileName, where)
				assert.Equal(t, str(loa["ContentType"]), c.LOA.ContentType, where)
				want, err := os.ReadFile(filepath.Join(fixturesDir, "inbox", c.LOA.FileName))
				require.NoError(t, err)
				assert.Equal(t, want, c.LOA.Content, where)
			}
		}
		if n["comments"] != nil {
			assert.True(t, strings.HasPrefix(str(n["comments"]), c.Form.Comments) && c.Form.Comments != "", "%s: comments %q", where, c.Form.Comments)
		}
	case L2:
		l := o.L2
		assert.Equal(t, str(n["client_name"]), l.ClientName, where)
		assert.Equal(t, num64(n["offer_id"]), int64(l.OfferID), where)
		opts := []int{}
		for _, x := range n["option_ids"].([]any) {
			opts = append(opts, int(num64(x)))
		}
		assert.Equal(t, opts, l.OptionIDs, where)
		g := m(n["gtr_contacts"])
		assert.Equal(t, num64(g["HO"]), int64(l.GTRContactHO), where)
		assert.Equal(t, num64(g["HNO"]), int64(l.GTRContactHNO), where)
		a := m(n["address"])
		gotAddr := map[string]string{"numero": l.StreetNumber, "extension": l.StreetExtension, "typeVoie": l.StreetType,
			"rue": l.StreetName, "codePostal": l.ZipCode, "ville": l.City, "escalier": l.Staircase, "etage": l.Floor, "extAppart": l.Apartment}
		for k, got := range gotAddr {
			assert.Equal(t, str(a[k]), got, "%s: address.%s", where, k)
		}
		sc := m(n["site_contact"])
		assert.Equal(t, str(sc["name"]), l.SiteContactName, where)
		assert.Equal(t, str(sc["phone"]), l.SiteContactPhone, where)
		assert.Equal(t, str(sc["email"]), l.SiteContactEmail, where)
		assert.Equal(t, str(sc["hours"]), l.SiteContactHours, where)
		assert.Equal(t, num64(n["order_contact_id"]), int64(l.OrderContactID), where)
		var follow []int
		for _, x := range n["follow_contact_ids"].([]any) {
			follow = append(follow, int(num64(x)))
		}
		assert.Equal(t, follow, l.FollowContactIDs, where)
		assert.Equal(t, str(n["port_ref"]), l.PortRef, where)
		assert.Equal(t, str(n["site_vlan_mode"]), l.SiteVLANMode, where)
		assert.Equal(t, str(n["port_vlan_mode"]), l.PortVLANMode, where)
		assert.Equal(t, str(n["delivery_interface"]), l.DeliveryInterface, where)
		assert.Equal(t, num64(n["site_vlan"]), int64(l.SiteVLAN), where)
		assert.Equal(t, num64(n["port_vlan"]), int64(l.PortVLAN), where)
		assert.Equal(t, str(n["comment"]), l.Comment, where)
	}
}
