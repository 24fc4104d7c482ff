package thinktel

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// Offering types: the Type of an offering picks the port-in endpoint.
const (
	TypeGeneralProduct               = 1
	TypeGeneralChildProduct          = 2
	TypeResidentialLine              = 3
	TypeBusinessLine                 = 4
	TypePermanentCallForward         = 5
	TypeBusinessPermanentCallForward = 6
	TypeVirtualFax                   = 7
)

// TypeName names an offering type as Thinktel does ("VirtualFax").
func TypeName(t int) string {
	switch t {
	case TypeGeneralProduct:
		return "GeneralProduct"
	case TypeGeneralChildProduct:
		return "GeneralChildProduct"
	case TypeResidentialLine:
		return "ResidentialLine"
	case TypeBusinessLine:
		return "BusinessLine"
	case TypePermanentCallForward:
		return "PermanentCallForward"
	case TypeBusinessPermanentCallForward:
		return "BusinessPermanentCallForward"
	case TypeVirtualFax:
		return "VirtualFax"
	}
	return "type " + strconv.Itoa(t)
}

// LocalizedString is a text in English and French. Thinktel documents it
// as {"En", "Fr"}; a plain string (read as En) and null are accepted too,
// so that a shape orderdrop does not use never makes a lookup fail.
type LocalizedString struct {
	En string `json:"En"`
	Fr string `json:"Fr"`
}

// UnmarshalJSON reads {"En", "Fr"}, a plain string (En) or null.
func (s *LocalizedString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		var text string
		if err := json.Unmarshal(b, &text); err != nil {
			return fmt.Errorf("localized string: %w", err)
		}
		*s = LocalizedString{En: text}
		return nil
	}
	type plain LocalizedString
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("localized string: want {\"En\", \"Fr\"} or a string: %w", err)
	}
	*s = LocalizedString(p)
	return nil
}

// Offering is a product a new service can be ordered with.
type Offering struct {
	OfferingID                   string            `json:"OfferingID"`
	ProductName                  LocalizedString   `json:"ProductName"`
	Type                         int               `json:"Type"`
	PotentialParentSubscriptions []json.RawMessage `json:"PotentialParentSubscriptions,omitempty"`
}

// Provider is a losing carrier, for PortForm.CurrentProvider.
type Provider struct {
	ID   int32  `json:"ID"`
	Name string `json:"Name"`
}

// PortInStatus is the state of a port-in request.
type PortInStatus struct {
	Status        string              `json:"Status"` // PENDING, SUBMITTED, CONFIRMED, …, COMPLETED, REJECTED, CANCELLED, EXPIRED
	ValidationLSC bool                `json:"ValidationLSC"`
	TicketID      string              `json:"TicketId"`
	AccountNumber string              `json:"AccountNumber"`
	EndUserName   string              `json:"EndUserName"`
	NumbersToPort []int64             `json:"NumbersToPort"`
	PortDate      string              `json:"PortDate"` // YYYYMMDD
	Reseller      string              `json:"Reseller"`
	Disputing     bool                `json:"Disputing"`
	RejectReason  string              `json:"RejectReason"`
	RejectSummary string              `json:"RejectSummary"`
	RejectDetails []map[string]string `json:"RejectDetails"` // keys with spaces: "RJCT CODE", "RJCT REMARKS"…
}

// Offerings returns the offerings of the account by OfferingID, from
// GET /Products/TelephoneOfferings; looked up once per Client (a failed
// lookup is not cached).
func (c *Client) Offerings(ctx context.Context) (map[string]Offering, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.offerings != nil {
		return maps.Clone(c.offerings), nil
	}
	var list []Offering
	if err := c.get(ctx, "list offerings", "/Products/TelephoneOfferings", &list); err != nil {
		return nil, err
	}
	m := make(map[string]Offering, len(list))
	for _, o := range list {
		if o.OfferingID != "" {
			m[o.OfferingID] = o
		}
	}
	c.offerings = m
	return maps.Clone(m), nil
}

// SipTrunks returns the pilot numbers of the account's SIP trunks (GET /SipTrunks).
func (c *Client) SipTrunks(ctx context.Context) ([]int64, error) {
	var list []struct {
		Number int64 `json:"Number"`
	}
	if err := c.get(ctx, "list SIP trunks", "/SipTrunks", &list); err != nil {
		return nil, err
	}
	pilots := make([]int64, 0, len(list))
	for _, t := range list {
		pilots = append(pilots, t.Number)
	}
	return pilots, nil
}

// Providers returns the losing carriers (GET /NumberPorts/Providers).
func (c *Client) Providers(ctx context.Context) ([]Provider, error) {
	var list []Provider
	if err := c.get(ctx, "list providers", "/NumberPorts/Providers", &list); err != nil {
		return nil, err
	}
	return list, nil
}

// PortInStatus returns the state of the port-in of number tn, to settle an
// order left in doubt by a crash.
func (c *Client) PortInStatus(ctx context.Context, tn int64) (*PortInStatus, error) {
	var st PortInStatus
	path := "/v2/NumberPorts/Inbound/Numbers/" + strconv.FormatInt(tn, 10) + "/PortInStatus"
	if err := c.get(ctx, "port-in status of "+strconv.FormatInt(tn, 10), path, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// TicketPortInStatus returns the state of the port-in request with that ticket (TicketMask).
func (c *Client) TicketPortInStatus(ctx context.Context, ticket string) (*PortInStatus, error) {
	var st PortInStatus
	path := "/v2/NumberPorts/Inbound/Tickets/" + url.PathEscape(ticket) + "/PortInStatus"
	if err := c.get(ctx, "port-in status of ticket "+ticket, path, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// get sends an idempotent GET and decodes the JSON answer into out.
func (c *Client) get(ctx context.Context, op, path string, out any) error {
	resp, err := c.do(ctx, carrier.Request{Op: op, Method: http.MethodGet, Path: path, Idempotent: true})
	if err != nil {
		return fmt.Errorf("thinktel: %s: %w", op, err)
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("thinktel: %s: unreadable answer %s: %w", op, carrier.Quote(resp.Body), err)
	}
	return nil
}
