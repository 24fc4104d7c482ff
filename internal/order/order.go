// Package order knows the three order kinds: their columns and aliases,
// binding rows to structs (through gocsv), normalisation, validation, grouping
// rows into carrier requests, and each order's idempotency key and fingerprint.
package order

import "time"

// Kind is an order kind; its string is also the sheet name that selects it.
type Kind string

const (
	// FrPort ports French fixed numbers onto our prefix / C5 SIP trunk.
	// Which carrier receives each kind is in carrier/registry.
	FrPort Kind = "fr-port"
	// CaPort ports Canadian/US numbers in.
	CaPort Kind = "ca-port"
	// L2 orders a layer-2 ethernet access link.
	L2 Kind = "l2"
)

// Kinds lists every kind in a stable order.
var Kinds = []Kind{FrPort, CaPort, L2}

// Order is one carrier request, built from one row or from every row sharing
// an order_ref.
type Order struct {
	Kind Kind
	Ref  string // the user's order_ref; "" when the row had none
	// Key is the idempotency key: kind + order_ref, or kind + the business
	// identity when there is no order_ref (fr-port: idn; ca-port: sorted
	// numbers; l2: normalised address + offer + port_ref).
	Key string
	// Fingerprint is the hex sha256 of Fields() (sorted), so equal content
	// gives equal fingerprints whatever the input's spelling.
	Fingerprint string
	Rows        []int // spreadsheet row numbers (Record.Num) forming this order, ascending

	FrPort *FrPortOrder // set when Kind == FrPort
	CaPort *CaPortOrder // set when Kind == CaPort
	L2     *L2Order     // set when Kind == L2
}

// Fields returns every normalised field of the request, flattened to
// "name" → canonical text; the ledger keeps them so a conflict can name the
// fields that differ. They are built at each call, not kept on the Order: a
// map per order was half the live memory of a 100,000-row file.
func (o *Order) Fields() map[string]string { return orderFields(o) }

// FrPortOrder is a normalised French portability order.
type FrPortOrder struct {
	IDN             string    // installation head number, 10-digit national ("0261910210")
	DIDs            []string  // numbers to port, 10-digit national, ranges and lists expanded, sorted, unique
	RIO             string    // RIO when the port is done with one; "" otherwise
	WantedDate      time.Time // the instant (input is Paris local time); the client formats it for its carrier
	Routing         string    // "prefix" or "sip_trunk" (mapped to the carrier's strings by the client from config)
	Prefix          string    // 6-digit prefix_hosting resource ("010203"); "" when PrefixServiceID is given
	PrefixServiceID string    // the carrier's service_id when the user gave it directly
	CustomerName    string
	CompanyNumber   string // SIRET, 14 digits
	Street          string
	ZipCode         string // 5 digits
	City            string
	ContactName     string
	ContactEmail    string
	ContactPhone    string // E.164 ("+33673480041")
}

// CaPortOrder is a normalised Canadian/US port-in.
type CaPortOrder struct {
	// Existing SIP trunk: PilotNumber != 0, OfferingID == "".
	// New service: OfferingID != "", PilotNumber == 0; the offering's Type
	// (1..7, looked up from GET /Products/TelephoneOfferings) picks the endpoint.
	PilotNumber int64
	OfferingID  string
	// OfferingType is the offering's Type (1..7) when online validation
	// looked it up (Options.Reference); 0 when not known yet.
	OfferingType int
	TollFree     bool             // every number is toll-free (800/833/844/855/866/877/888); never mixed
	Numbers      []int64          // 10-digit NANP, sorted, unique
	Labels       map[int64]string // per number, from the label column of its row
	Form         PortForm
	LOA          *Attachment // letter of authorization, nil when loa_file is empty

	// Product-specific values (new service); empty/zero when not given.
	ParentSubscriptionID        string // type 2 GeneralChildProduct
	BusinessGroupSubscriptionID string // type 6 BusinessPermanentCallForward
	BusinessGroupID             string // type 4 BusinessLine: BusinessLineOrder.BusinessGroupID
	PlanID                      string // types 3, 4, 5: line plan
	Account                     int64  // types 3, 4, 5: the carrier's account number of the lines
	Locale                      int64  // types 3, 4: 0 EnglishUS, 2 EnglishCA (default), 5 FrenchCA
	ForwardingNumber            int64  // types 5, 6: where calls are forwarded
	PCFInstructions             string // type 5: PCFProvisioningInstructions
	FaxEmail                    string // type 7 VirtualFax
}

// PortForm holds the NumberPortOrderFormV2 fields that come from columns.
type PortForm struct {
	CustomerName            string
	CustomerAccountNumber   string
	CustomerStreetNumber    string
	CustomerStreetName      string
	CustomerUnit            string
	CustomerCity            string
	CustomerProvince        string // 2-letter code ("ON", "QC", "WA")
	CustomerPostalCode      string // "A1A 1A1" (CA) or 5/9-digit ZIP (US)
	CustomerCountry         string // "CA" or "US"
	EmailAddress            string
	CurrentProvider         int32  // 0 when CurrentReseller is used
	CurrentReseller         string // "" when CurrentProvider is used
	NumbersToRemain         []int64
	RequestedPortDate       string // "YYYY-MM-DD" or ""
	RequestedPortTime       string // "HH:MM" (24h Eastern) or ""
	SubmitterFirstName      string
	SubmitterLastName       string
	SubmitterPhoneNumber    int64  // 0 when not given
	Comments                string // sent as CommentsPortTeam
	CustomerReferenceNumber string // = order_ref
}

// Attachment is a file named by a row and read from the inbox.
type Attachment struct {
	FileName    string // bare file name as written in the row
	ContentType string // "application/pdf"
	Content     []byte
}

// L2Order is a normalised "Souscription L2" order.
type L2Order struct {
	ClientName        string
	OfferID           int
	OptionIDs         []int // may be empty, never nil
	GTRContactHO      int
	GTRContactHNO     int
	StreetNumber      string
	StreetExtension   string
	StreetType        string
	StreetName        string
	ZipCode           string
	City              string
	Staircase         string
	Floor             string
	Apartment         string
	SiteContactName   string
	SiteContactPhone  string
	SiteContactEmail  string
	SiteContactHours  string
	OrderContactID    int   // 0 = omitted (idContactCommande is optional)
	FollowContactIDs  []int // idContacts
	PortRef           string
	SiteVLANMode      string // exact carrier string: "Transparence aux CVLAN (QinQ)", "Flux tagué C-VLAN" or "Flux non tagué"
	PortVLANMode      string // same closed list
	DeliveryInterface string
	SiteVLAN          int // 0 = none; 1..4094 only with "Flux tagué C-VLAN"
	PortVLAN          int // idem
	Comment           string
}

// The closed list of VLAN modes, exactly as the carrier expects them.
const (
	VLANModeQinQ     = "Transparence aux CVLAN (QinQ)"
	VLANModeTagged   = "Flux tagué C-VLAN"
	VLANModeUntagged = "Flux non tagué"
)
