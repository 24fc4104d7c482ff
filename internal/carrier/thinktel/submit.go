package thinktel

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/order"
)

// Ticket replies (TicketResponse.Reply).
const (
	ReplyRejected    = 0
	ReplyAccepted    = 1
	ReplyDeferred    = 2
	ReplyConditional = 3
	ReplyError       = 4
)

// TicketResponse is the answer of every port-in POST.
type TicketResponse struct {
	TicketMask string `json:"TicketMask"`
	Reply      *int   `json:"Reply"` // nil when absent
	Message    string `json:"Message"`
}

// Submit sends one ca-port order: onto an existing SIP trunk
// (PilotNumber: DIDs, or TollFree/DIDs) or as a new service (OfferingID: its
// Type picks one of seven endpoints). Missing product fields, an unknown
// offering, or a toll-free port onto a type that has no toll-free endpoint
// are Rejected without sending. Reference = TicketMask. A single step:
// s.Checkpoint and s.Save are unused; nothing is retried once s.Stop is
// closed.
func (c *Client) Submit(ctx context.Context, o *order.Order, s carrier.Submission) carrier.Result {
	if o == nil || o.CaPort == nil {
		return carrier.Rejection("thinktel: not a ca-port order")
	}
	path, body, res, ok := c.build(ctx, o, s.Stop)
	if !ok {
		return res
	}
	resp, err := c.do(ctx, carrier.Request{Op: "port-in", Method: http.MethodPost, Path: path, Body: body, Stop: s.Stop})
	if err != nil {
		return reasons.Explained(carrier.ResultOf("port-in "+path, err))
	}
	return reasons.Explained(ticketResult(resp))
}

// build checks o and returns the endpoint and body of its port-in.
func (c *Client) build(ctx context.Context, o *order.Order, stop <-chan struct{}) (string, any, carrier.Result, bool) {
	ca := o.CaPort
	f := ca.Form
	switch {
	case len(ca.Numbers) == 0:
		return "", nil, carrier.Rejection("numbers: nothing to port"), false
	case f.CurrentProvider != 0 && f.CurrentReseller != "":
		return "", nil, carrier.Rejection("current_provider_id, current_reseller: give one, not both"), false
	case ca.TollFree && len(f.NumbersToRemain) > 0:
		return "", nil, carrier.Rejection("numbers_to_remain: not accepted by toll-free port-ins"), false
	case ca.PilotNumber != 0 && ca.OfferingID != "":
		return "", nil, carrier.Rejection("pilot_number, offering_id: give one, not both"), false
	case ca.PilotNumber != 0:
		path, body := didBody(o)
		return path, body, carrier.Result{}, true
	case ca.OfferingID == "":
		return "", nil, carrier.Rejection("pilot_number, offering_id: give one (an existing SIP trunk or a new service)"), false
	}
	off, res, ok := c.offering(ctx, ca, stop)
	if !ok {
		return "", nil, res, false
	}
	if ca.TollFree && off.Type != TypePermanentCallForward {
		return "", nil, carrier.Rejection("numbers: toll-free numbers port onto a SIP trunk (pilot_number) or a PermanentCallForward offering, not %s (%s)",
			off.OfferingID, TypeName(off.Type)), false
	}
	if col := missing(off.Type, ca); col != "" {
		return "", nil, carrier.Rejection("%s: required for offering %s (%s)", col, off.OfferingID, TypeName(off.Type)), false
	}
	path, body := productBody(o, off)
	if path == "" {
		return "", nil, carrier.Rejection("offering_id: %s has type %d, which orderdrop does not know", off.OfferingID, off.Type), false
	}
	return path, body, carrier.Result{}, true
}

// offering returns the offering of a new-service order: its type as online
// validation found it (OfferingType), else from the cached offerings lookup.
func (c *Client) offering(ctx context.Context, ca *order.CaPortOrder, stop <-chan struct{}) (Offering, carrier.Result, bool) {
	if ca.OfferingType != 0 {
		return Offering{OfferingID: ca.OfferingID, Type: ca.OfferingType}, carrier.Result{}, true
	}
	offerings, err := c.offeringList(ctx, stop)
	if err != nil {
		return Offering{}, carrier.LookupFailed("look up offerings", err), false
	}
	off, ok := offerings[ca.OfferingID]
	if !ok {
		known := strings.Join(slices.Sorted(maps.Keys(offerings)), ", ")
		if known == "" {
			known = "none"
		}
		return Offering{}, carrier.Rejection("offering_id: %s is not offered to this account (known: %s)", ca.OfferingID, known), false
	}
	return off, carrier.Result{}, true
}

// ticketResult classifies a 2xx TicketResponse.
func ticketResult(resp *carrier.Response) carrier.Result {
	var t TicketResponse
	if err := json.Unmarshal(resp.Body, &t); err != nil || t.Reply == nil {
		return carrier.Result{Class: carrier.InDoubt, Attempts: resp.Attempts,
			Message: fmt.Sprintf("port-in: HTTP %d without a TicketResponse: %s", resp.Status, carrier.Quote(resp.Body))}
	}
	msg := strings.TrimSpace(t.Message)
	with := func(word string) string {
		s := word
		switch {
		case msg == "" || strings.EqualFold(msg, word): // no "Accepted: Accepted"
		case len(msg) > len(word) && strings.EqualFold(msg[:len(word)], word): // "Rejected: …" already says it
			s = msg
		default:
			s += ": " + msg
		}
		if t.TicketMask != "" {
			s += " (ticket " + t.TicketMask + ")"
		}
		return s
	}
	switch *t.Reply {
	case ReplyAccepted, ReplyDeferred, ReplyConditional:
		if t.TicketMask == "" {
			return carrier.Result{Class: carrier.InDoubt, Attempts: resp.Attempts,
				Message: fmt.Sprintf("port-in: HTTP %d, reply %d without TicketMask: %s", resp.Status, *t.Reply, carrier.Quote(resp.Body))}
		}
		word := map[int]string{ReplyAccepted: "Accepted", ReplyDeferred: "Deferred", ReplyConditional: "Conditional"}[*t.Reply]
		return carrier.Result{Class: carrier.Accepted, Reference: t.TicketMask, Attempts: resp.Attempts, Message: with(word)}
	case ReplyRejected:
		return carrier.Result{Class: carrier.Rejected, Attempts: resp.Attempts, Message: with("Rejected")}
	case ReplyError:
		return carrier.Result{Class: carrier.Rejected, Attempts: resp.Attempts, Message: with("Error")}
	}
	// Keep the ticket: the order in doubt is then looked up by it.
	return carrier.Result{Class: carrier.InDoubt, Attempts: resp.Attempts, Reference: t.TicketMask,
		Message: fmt.Sprintf("port-in: HTTP %d with unknown reply %d: %s", resp.Status, *t.Reply, carrier.Quote(resp.Body))}
}
