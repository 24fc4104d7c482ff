package netwo

import (
	"time"

	"github.com/orderdrop/orderdrop/internal/order"
)

// wantedDateLayout is how Netwo's guides write wanted_date (UTC, milliseconds).
const wantedDateLayout = "2006-01-02T15:04:05.000Z"

// cartRequest is the body of POST /cart.
type cartRequest struct {
	Lines []cartLine `json:"lines"`
}

type cartLine struct {
	Entity struct {
		Portability cartPortability `json:"portability"`
	} `json:"entity"`
}

type cartPortability struct {
	IDN        string   `json:"idn"`
	WantedDate string   `json:"wanted_date"`
	RIOOrDID   rioOrDID `json:"rio_or_did"`
}

// rioOrDID holds the numbers to port, or the RIO. The RIO shape is UNKNOWN
// at Netwo (the guide's excerpt is cut off): we assume {"rio": "<RIO>"}.
type rioOrDID struct {
	DID []string `json:"did,omitempty"`
	RIO string   `json:"rio,omitempty"`
}

// orderRequest is the body of POST /orders, as in the 2024-03-15 changelog example.
type orderRequest struct {
	CartID string      `json:"cart_id"`
	Lines  []orderLine `json:"lines"`
}

type orderLine struct {
	CartLineID string `json:"cart_line_id"`
	Attributes struct {
		Portability struct {
			Routing         string `json:"routing"`
			PrefixServiceID string `json:"prefix_service_id"`
		} `json:"portability"`
	} `json:"attributes"`
	Customer customer `json:"customer"`
	Contact  contact  `json:"contact"`
}

type customer struct {
	Name           string `json:"name"`
	CompanyNumber  string `json:"company_number"`
	MailingAddress struct {
		Address struct {
			Street  string `json:"street"`
			ZipCode string `json:"zip_code"`
			City    string `json:"city"`
		} `json:"address"`
	} `json:"mailing_address"`
}

type contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

func newCartRequest(fr *order.FrPortOrder) cartRequest {
	var line cartLine
	p := &line.Entity.Portability
	p.IDN = fr.IDN
	p.WantedDate = fr.WantedDate.In(time.UTC).Format(wantedDateLayout)
	if fr.RIO != "" {
		p.RIOOrDID.RIO = fr.RIO
	} else {
		p.RIOOrDID.DID = fr.DIDs
	}
	return cartRequest{Lines: []cartLine{line}}
}

func newOrderRequest(fr *order.FrPortOrder, cartID, cartLineID, routing, prefixServiceID string) orderRequest {
	line := orderLine{CartLineID: cartLineID}
	line.Attributes.Portability.Routing = routing
	line.Attributes.Portability.PrefixServiceID = prefixServiceID
	line.Customer.Name = fr.CustomerName
	line.Customer.CompanyNumber = fr.CompanyNumber
	a := &line.Customer.MailingAddress.Address
	a.Street, a.ZipCode, a.City = fr.Street, fr.ZipCode, fr.City
	line.Contact = contact{Name: fr.ContactName, Email: fr.ContactEmail, Phone: fr.ContactPhone}
	return orderRequest{CartID: cartID, Lines: []orderLine{line}}
}
