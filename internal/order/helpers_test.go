package order

import (
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

// testNow is Monday 2026-11-23 12:00 Paris, the fixtures' generation day.
var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, paris)

// frHeader and frGood are a valid fr-port row, edited by tests.
var frHeader = []string{"order_ref", "idn", "numbers", "rio", "wanted_date", "routing", "prefix", "customer_name", "siret", "street", "zip_code", "city", "contact_name", "contact_email", "contact_phone"}

func frGood() map[string]string {
	return map[string]string{"order_ref": "", "idn": "0261910210", "numbers": "0261910210", "wanted_date": "2026-12-22 10:00",
		"routing": "prefix", "prefix": "010203", "customer_name": "Verrerie", "siret": "81234001700027", "street": "1 rue X",
		"zip_code": "29200", "city": "Brest", "contact_name": "Y K", "contact_email": "y@k.example", "contact_phone": "0673480041"}
}

var caHeader = []string{"order_ref", "pilot_number", "offering_id", "numbers", "label", "customer_name", "account_number", "street_number", "street_name", "unit", "city", "province", "postal_code", "country", "email", "current_provider_id", "current_reseller", "requested_port_date", "requested_port_time", "submitter_phone", "loa_file"}

func caGood() map[string]string {
	return map[string]string{"pilot_number": "4165550100", "numbers": "4165550120", "customer_name": "H Inc.", "account_number": "BC-1",
		"street_number": "390", "street_name": "Queens Quay", "city": "Toronto", "province": "ON", "postal_code": "M5V 3A6",
		"country": "CA", "email": "a@h.example", "current_provider_id": "311"}
}

var l2Header = []string{"order_ref", "client_name", "offer_id", "option_ids", "gtr_contact_ho", "gtr_contact_hno", "street_number", "street_extension", "street_type", "street_name", "zip_code", "city", "site_contact_name", "site_contact_phone", "site_contact_email", "order_contact_id", "follow_contact_ids", "port_ref", "site_vlan_mode", "port_vlan_mode", "delivery_interface", "site_vlan", "port_vlan"}

func l2Good() map[string]string {
	return map[string]string{"client_name": "Cave", "offer_id": "2201", "option_ids": "41,42", "gtr_contact_ho": "7101", "gtr_contact_hno": "7102",
		"street_number": "27", "street_type": "avenue", "street_name": "Jean Jaurès", "zip_code": "33600", "city": "Pessac",
		"site_contact_name": "M R", "site_contact_phone": "0536490731", "follow_contact_ids": "7101", "port_ref": "PZ-1",
		"site_vlan_mode": VLANModeUntagged, "port_vlan_mode": VLANModeQinQ, "delivery_interface": "1000 Base LX"}
}

// cells lays a row map out under header.
func cells(header []string, row map[string]string) []string {
	out := make([]string, len(header))
	for i, h := range header {
		out[i] = row[h]
	}
	return out
}

// edit returns a copy of row with changes applied.
func edit(row map[string]string, changes map[string]string) map[string]string {
	out := make(map[string]string, len(row))
	for k, v := range row {
		out[k] = v
	}
	for k, v := range changes {
		out[k] = v
	}
	return out
}

// table builds a sheet.Table with rows numbered from 2.
func table(header []string, rows ...map[string]string) *sheet.Table {
	t := &sheet.Table{Header: header}
	for i, r := range rows {
		t.Records = append(t.Records, sheet.Record{Num: i + 2, Line: i + 2, Cells: cells(header, r)})
	}
	return t
}

func opts() Options { return Options{Now: testNow} }

// messages joins the problems of a row.
func messages(ps []Problem) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "; ")
}
