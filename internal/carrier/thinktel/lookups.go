package thinktel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

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
	return c.offeringList(ctx, nil)
}

// offeringList is Offerings whose retries end once stop is closed.
func (c *Client) offeringList(ctx context.Context, stop <-chan struct{}) (map[string]Offering, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.offerings != nil {
		return maps.Clone(c.offerings), nil
	}
	var list []Offering
	if err := c.getStoppable(ctx, "list offerings", "/Products/TelephoneOfferings", &list, stop); err != nil {
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
	return c.getStoppable(ctx, op, path, out, nil)
}

// getStoppable is get whose retries end once stop is closed.
func (c *Client) getStoppable(ctx context.Context, op, path string, out any, stop <-chan struct{}) error {
	resp, err := c.do(ctx, carrier.Request{Op: op, Method: http.MethodGet, Path: path, Idempotent: true, Stop: stop})
	if err != nil {
		return fmt.Errorf("thinktel: %s: %w", op, err)
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("thinktel: %s: unreadable answer %s: %w", op, carrier.Quote(resp.Body), err)
	}
	return nil
}

// CustomerInfo is the port-in dashboard (GET
// /v2/NumberPorts/Inbound/Dashboard/PortInInfo and its …/Orders/{OrderId},
// …/OrdersByNumber/{tn} variants): porting orders and their requests. It
// carries no TicketMask and no CustomerReferenceNumber.
type CustomerInfo struct {
	Orders []DashboardOrder `json:"Orders"`
}

// DashboardOrder is one porting order of the dashboard.
type DashboardOrder struct {
	OrderID  int32              `json:"OrderID"`
	Requests []DashboardRequest `json:"Requests"`
}

// DashboardRequest is one request of a porting order.
type DashboardRequest struct {
	RequestIdx     int32                `json:"RequestIdx"`
	Assessment     string               `json:"Assessment"` // Pending, Click-To-Port, Internal, Closed
	HappyFoxTicket string               `json:"HappyFoxTicket"`
	NewService     string               `json:"NewService"`
	ParentService  string               `json:"ParentService"`
	NumberToPort   []DashboardNumberRow `json:"NumberToPort"`
}

// DashboardNumberRow is a number (or range) of a request.
type DashboardNumberRow struct {
	TnRange     string `json:"TnRange"` // "4165550120" or "4165550120-4165550122"
	ReadyToPort bool   `json:"ReadyToPort"`
	SvCondition string `json:"SvCondition"`
}

// PortInInfoByNumber returns the dashboard's porting orders holding number tn
// (GET /v2/NumberPorts/Inbound/Dashboard/PortInInfo/OrdersByNumber/{tn}).
func (c *Client) PortInInfoByNumber(ctx context.Context, tn int64) (*CustomerInfo, error) {
	var info CustomerInfo
	n := strconv.FormatInt(tn, 10)
	if err := c.get(ctx, "port-in dashboard of "+n, "/v2/NumberPorts/Inbound/Dashboard/PortInInfo/OrdersByNumber/"+n, &info); err != nil {
		return nil, err
	}
	return &info, nil
}

// maxNumberLookups bounds the numbers of one order looked up one by one.
const maxNumberLookups = 3

// Reconcile looks a port-in whose outcome is unknown up at Thinktel with
// every lookup the API offers (carriers.md, "Status lookups"): by ticket
// when reference holds one; then by number (PortInStatus, for up to three of
// fields["numbers"]); then in the port-in dashboard by number. A port-in
// found by ticket, or by number with the very numbers of the order, settles
// it (Found, Reference = its TicketId). A dashboard order, or a port-in with
// other numbers, or one already final (rejected, cancelled, completed:
// more likely an earlier request for the same numbers), is reported Unsure:
// the dashboard gives no ticket, and a number may have an older port-in. No lookup can search by
// CustomerReferenceNumber: no Thinktel answer carries it. A 404 (or an
// empty dashboard) means "not found"; any other failure makes the whole
// lookup fail, as nothing can then be concluded.
func (c *Client) Reconcile(ctx context.Context, fields map[string]string, reference string) (carrier.Finding, error) {
	numbers, err := parseNumbers(fields["numbers"])
	if err != nil {
		return carrier.Finding{}, err
	}
	var checked []string
	var failed error
	note := func(what string, err error, result string) {
		if err != nil && failed == nil {
			failed = err
		}
		if err != nil {
			result = "failed"
		}
		checked = append(checked, what+": "+result)
	}
	finding := func(found, unsure bool, ref string) carrier.Finding {
		return carrier.Finding{Found: found, Unsure: unsure, Reference: ref, Checked: strings.Join(checked, "; ")}
	}
	if reference != "" {
		st, err := c.TicketPortInStatus(ctx, reference)
		switch {
		case notFound(err):
			note("port-in status of ticket "+reference, nil, "not found")
		case err != nil:
			note("port-in status of ticket "+reference, err, "")
		default:
			note("port-in status of ticket "+reference, nil, "found, "+st.Status)
			return finding(true, false, reference), nil
		}
	}
	unsure := false
	for _, tn := range numbers[:min(len(numbers), maxNumberLookups)] {
		what := "port-in status of " + strconv.FormatInt(tn, 10)
		st, err := c.PortInStatus(ctx, tn)
		switch {
		case notFound(err):
			note(what, nil, "not found")
		case err != nil:
			note(what, err, "")
		case st.TicketID == "":
			note(what, nil, "found without a ticket id")
			unsure = true
		case !sameNumbers(st.NumbersToPort, numbers):
			note(what, nil, fmt.Sprintf("ticket %s, %s, for other numbers (%s)", st.TicketID, st.Status, joinNumbers(st.NumbersToPort)))
			unsure = true
		case MapStatus(st).Stage.Final():
			// An order in doubt has no ticket to compare with: a request
			// already rejected, cancelled or completed is more likely an
			// earlier one for the same numbers than the one just sent, and
			// taking its ticket would make tracking record its final stage.
			note(what, nil, fmt.Sprintf("ticket %s, %s, already final: may be an earlier request for these numbers", st.TicketID, st.Status))
			unsure = true
		default:
			note(what, nil, "ticket "+st.TicketID+", "+st.Status)
			return finding(true, false, st.TicketID), nil
		}
	}
	for _, tn := range numbers[:min(len(numbers), maxNumberLookups)] {
		what := "port-in dashboard of " + strconv.FormatInt(tn, 10)
		info, err := c.PortInInfoByNumber(ctx, tn)
		switch {
		case notFound(err):
			note(what, nil, "not found")
		case err != nil:
			note(what, err, "")
		default:
			if where := info.holding(tn); where != "" {
				note(what, nil, where+" (no ticket yet)")
				unsure = true
			} else {
				note(what, nil, "not found")
			}
		}
	}
	if failed != nil && !unsure {
		return finding(false, false, ""), fmt.Errorf("thinktel lookups (%s): %w", strings.Join(checked, "; "), failed)
	}
	return finding(false, unsure, ""), nil
}

// holding names the dashboard requests whose numbers include tn ("order 12
// request 1"), "" when none does.
func (info *CustomerInfo) holding(tn int64) string {
	var where []string
	for _, o := range info.Orders {
		for _, r := range o.Requests {
			for _, n := range r.NumberToPort {
				if inRange(n.TnRange, tn) {
					where = append(where, fmt.Sprintf("order %d request %d", o.OrderID, r.RequestIdx))
					break
				}
			}
		}
	}
	return strings.Join(where, ", ")
}

// inRange reports whether tn is the number "N" or within the range "N-M".
func inRange(tnRange string, tn int64) bool {
	from, to, isRange := strings.Cut(strings.TrimSpace(tnRange), "-")
	lo, err := strconv.ParseInt(strings.TrimSpace(from), 10, 64)
	if err != nil {
		return false
	}
	hi := lo
	if isRange {
		if hi, err = strconv.ParseInt(strings.TrimSpace(to), 10, 64); err != nil {
			return false
		}
	}
	return lo <= tn && tn <= hi
}

// parseNumbers reads the order's "numbers" field (comma-separated).
func parseNumbers(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("thinktel: numbers %q: %q is not a number to look up", s, f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("thinktel: the order has no number to look up")
	}
	return out, nil
}

// sameNumbers reports whether a and b hold the same numbers, in any order;
// an empty a (a status that does not list them) counts as the same.
func sameNumbers(a, b []int64) bool {
	if len(a) == 0 {
		return true
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

func joinNumbers(ns []int64) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.FormatInt(n, 10)
	}
	return strings.Join(parts, ", ")
}

// notFound reports a 404 answer.
func notFound(err error) bool {
	var ce *carrier.Error
	return errors.As(err, &ce) && ce.Status == http.StatusNotFound
}
