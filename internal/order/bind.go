package order

import (
	"fmt"

	"github.com/gocarina/gocsv"
)

// frRow is one fr-port row as bound from the sheet, before normalisation.
type frRow struct {
	OrderRef        string `csv:"order_ref"`
	IDN             string `csv:"idn"`
	Numbers         string `csv:"numbers"`
	RIO             string `csv:"rio"`
	WantedDate      string `csv:"wanted_date"`
	Routing         string `csv:"routing"`
	Prefix          string `csv:"prefix"`
	PrefixServiceID string `csv:"prefix_service_id"`
	CustomerName    string `csv:"customer_name"`
	SIRET           string `csv:"siret"`
	Street          string `csv:"street"`
	ZipCode         string `csv:"zip_code"`
	City            string `csv:"city"`
	ContactName     string `csv:"contact_name"`
	ContactEmail    string `csv:"contact_email"`
	ContactPhone    string `csv:"contact_phone"`
}

// caRow is one ca-port row as bound from the sheet.
type caRow struct {
	OrderRef                    string `csv:"order_ref"`
	PilotNumber                 string `csv:"pilot_number"`
	OfferingID                  string `csv:"offering_id"`
	Numbers                     string `csv:"numbers"`
	Label                       string `csv:"label"`
	CustomerName                string `csv:"customer_name"`
	AccountNumber               string `csv:"account_number"`
	StreetNumber                string `csv:"street_number"`
	StreetName                  string `csv:"street_name"`
	Unit                        string `csv:"unit"`
	City                        string `csv:"city"`
	Province                    string `csv:"province"`
	PostalCode                  string `csv:"postal_code"`
	Country                     string `csv:"country"`
	Email                       string `csv:"email"`
	CurrentProviderID           string `csv:"current_provider_id"`
	CurrentReseller             string `csv:"current_reseller"`
	NumbersToRemain             string `csv:"numbers_to_remain"`
	RequestedPortDate           string `csv:"requested_port_date"`
	RequestedPortTime           string `csv:"requested_port_time"`
	SubmitterFirstName          string `csv:"submitter_first_name"`
	SubmitterLastName           string `csv:"submitter_last_name"`
	SubmitterPhone              string `csv:"submitter_phone"`
	Comments                    string `csv:"comments"`
	LOAFile                     string `csv:"loa_file"`
	ParentSubscriptionID        string `csv:"parent_subscription_id"`
	BusinessGroupID             string `csv:"business_group_id"`
	BusinessGroupSubscriptionID string `csv:"business_group_subscription_id"`
	PlanID                      string `csv:"plan_id"`
	Account                     string `csv:"account"`
	Locale                      string `csv:"locale"`
	ForwardingNumber            string `csv:"forwarding_number"`
	PCFInstructions             string `csv:"pcf_instructions"`
	FaxEmail                    string `csv:"fax_email"`
}

// l2Row is one l2 row as bound from the sheet.
type l2Row struct {
	OrderRef          string `csv:"order_ref"`
	ClientName        string `csv:"client_name"`
	OfferID           string `csv:"offer_id"`
	OptionIDs         string `csv:"option_ids"`
	GTRContactHO      string `csv:"gtr_contact_ho"`
	GTRContactHNO     string `csv:"gtr_contact_hno"`
	StreetNumber      string `csv:"street_number"`
	StreetExtension   string `csv:"street_extension"`
	StreetType        string `csv:"street_type"`
	StreetName        string `csv:"street_name"`
	ZipCode           string `csv:"zip_code"`
	City              string `csv:"city"`
	Staircase         string `csv:"staircase"`
	Floor             string `csv:"floor"`
	Apartment         string `csv:"apartment"`
	SiteContactName   string `csv:"site_contact_name"`
	SiteContactPhone  string `csv:"site_contact_phone"`
	SiteContactEmail  string `csv:"site_contact_email"`
	SiteContactHours  string `csv:"site_contact_hours"`
	OrderContactID    string `csv:"order_contact_id"`
	FollowContactIDs  string `csv:"follow_contact_ids"`
	PortRef           string `csv:"port_ref"`
	SiteVLANMode      string `csv:"site_vlan_mode"`
	PortVLANMode      string `csv:"port_vlan_mode"`
	DeliveryInterface string `csv:"delivery_interface"`
	SiteVLAN          string `csv:"site_vlan"`
	PortVLAN          string `csv:"port_vlan"`
	Comment           string `csv:"comment"`
}

// tableDecoder feeds gocsv a canonical header and the cells of every record,
// in record order, so the i-th bound struct belongs to the i-th record.
type tableDecoder struct {
	header []string
	rows   [][]string
}

// GetCSVRows implements gocsv.Decoder.
func (d tableDecoder) GetCSVRows() ([][]string, error) {
	out := make([][]string, 0, len(d.rows)+1)
	out = append(out, d.header)
	for _, r := range d.rows {
		cells := r
		if len(cells) > len(d.header) { // gocsv indexes the header by cell position
			cells = cells[:len(d.header)]
		}
		out = append(out, cells)
	}
	return out, nil
}

// bind decodes rows under the canonical header into one T per row.
func bind[T any](header []string, rows [][]string) ([]T, error) {
	out := make([]T, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	if err := gocsv.UnmarshalDecoder(tableDecoder{header: header, rows: rows}, &out); err != nil {
		return nil, fmt.Errorf("binding rows: %w", err)
	}
	if len(out) != len(rows) {
		return nil, fmt.Errorf("binding rows: got %d structs for %d rows", len(out), len(rows))
	}
	return out, nil
}
