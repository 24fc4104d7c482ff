package order_test

import (
	"fmt"
	"time"

	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

func ExampleParse() {
	t := &sheet.Table{
		Header: []string{"Order Ref", "Client name", "offer_id", "Option IDs", "gtr_contact_ho", "gtr_contact_hno", "street_name", "ZIP code",
			"city", "site_contact_name", "site_contact_phone", "follow_contact_ids", "port_ref", "Site VLAN mode", "PORT-VLAN-MODE", "delivery_interface", "site_vlan"},
		Records: []sheet.Record{
			{Num: 2, Cells: []string{"BX-1", "Cave", "2201", "41,42", "7101", "7102", "rue Jean Jaurès", "33600", "Pessac", "M R", "0536490731", "7101;7103", "PZ-1", "flux tague c-vlan", "TRANSPARENCE AUX CVLAN (QINQ)", "1000 Base LX", "42"}},
			{Num: 3, Cells: []string{"BX-2", "Cave", "2201", "41;x", "7101", "7102", "rue Jean Jaurès", "33600", "Pessac", "M R", "0536490731", "7101", "PZ-1", "Flux non tagué", "Flux non tagué", "1000 Base LX", "4095"}},
		},
	}
	res := order.Parse(t, order.L2, order.Options{Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)})
	for _, r := range res.Rows {
		fmt.Printf("row %d valid=%v %q\n", r.Num, r.Valid(), r.Message())
	}
	l := res.Orders[0].L2
	fmt.Printf("%s | %s | VLAN %d | options %v\n", l.SiteVLANMode, l.PortVLANMode, l.SiteVLAN, l.OptionIDs)
	// Output:
	// row 2 valid=true ""
	// row 3 valid=false "option_ids: x is not an id (a whole number); separate ids with commas; site_vlan: 4095 is outside 1–4094"
	// Flux tagué C-VLAN | Transparence aux CVLAN (QinQ) | VLAN 42 | options [41 42]
}
