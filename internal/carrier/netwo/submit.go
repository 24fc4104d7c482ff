package netwo

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/order"
)

// Submit sends one fr-port order through Netwo's four steps, resuming from
// s.Checkpoint: the prefix_service_id is resolved (given, or looked up from the
// prefix); POST /cart unless it has a cart_id; GET /cart/{id}/lines unless it
// has a cart_line_id; then POST /orders. s.Save is called with the cart_id once
// the cart exists, before the next step starts (the line is read again on a
// resume); a failed save stops the submission (Retryable: only a harmless
// cart exists).
//
// Classes: a refusal at any step is Rejected; a possible processing of
// POST /cart or POST /orders (timeout, 5xx, or a 2xx without the expected id)
// is InDoubt; a Retryable failure of POST /orders after a saved cart resumes
// from the checkpoint next time. Reference = the order id. A rejection Netwo
// sent carries its fix from the catalogue (reasons). No step is retried
// once s.Stop is closed.
func (c *Client) Submit(ctx context.Context, o *order.Order, s carrier.Submission) carrier.Result {
	return reasons.Explained(c.submit(ctx, o, s))
}

// submit is Submit before the catalogue explains a rejection.
func (c *Client) submit(ctx context.Context, o *order.Order, s carrier.Submission) carrier.Result {
	if o == nil || o.FrPort == nil {
		return carrier.Rejection("netwo: not an fr-port order")
	}
	fr := o.FrPort
	routing, err := c.routing(fr.Routing)
	if err != nil {
		return carrier.Rejection("%v", err)
	}
	serviceID, res, ok := c.prefixServiceID(ctx, fr, s.Stop)
	if !ok {
		return res
	}
	save := s.Save
	if save == nil {
		save = func(context.Context, carrier.Checkpoint) error { return nil }
	}
	next := carrier.Checkpoint{}
	maps.Copy(next, s.Checkpoint)

	if next[CheckpointCartID] == "" {
		id, res, ok := c.createCart(ctx, fr, s.Stop)
		if !ok {
			return res
		}
		next[CheckpointCartID] = id
		if err := save(ctx, maps.Clone(next)); err != nil {
			return carrier.Result{Class: carrier.Retryable, Attempts: res.Attempts,
				Message: fmt.Sprintf("cart %s created but the checkpoint could not be saved (%v); a new cart will be created next time", id, err)}
		}
	}
	cartID := next[CheckpointCartID]

	// The cart line is only read (an idempotent GET): a stop after it
	// resumes from the saved cart and reads it again, so it is not saved
	// (one fsync less per order). A checkpoint holding it, from an older
	// orderdrop, is still used.
	lineID := next[CheckpointCartLineID]
	if lineID == "" {
		var res carrier.Result
		var ok bool
		if lineID, res, ok = c.cartLine(ctx, cartID, s.Stop); !ok {
			return res
		}
	}

	body := newOrderRequest(fr, cartID, lineID, routing, serviceID)
	resp, err := c.do(ctx, carrier.Request{Op: "create order", Method: http.MethodPost, Path: "/orders", Body: body, Stop: s.Stop})
	if err != nil {
		return carrier.ResultOf("create order (cart "+cartID+")", err)
	}
	id, ok := carrier.FindString(resp.Body, "order_id", "id")
	if !ok {
		return carrier.Result{Class: carrier.InDoubt, Attempts: resp.Attempts,
			Message: fmt.Sprintf("create order (cart %s): HTTP %d without order_id or id: %s", cartID, resp.Status, carrier.Quote(resp.Body))}
	}
	return carrier.Result{Class: carrier.Accepted, Reference: id, Attempts: resp.Attempts,
		Message: fmt.Sprintf("Netwo order %s (cart %s, line %s)", id, cartID, lineID)}
}

// routing maps the order's routing to Netwo's value.
func (c *Client) routing(r string) (string, error) {
	switch r {
	case "prefix":
		return c.cfg.RoutingPrefix, nil
	case "sip_trunk":
		return c.cfg.RoutingSIPTrunk, nil
	}
	return "", fmt.Errorf("routing: %q is neither prefix nor sip_trunk", r)
}

// prefixServiceID resolves the prefix_service_id of an order.
func (c *Client) prefixServiceID(ctx context.Context, fr *order.FrPortOrder, stop <-chan struct{}) (string, carrier.Result, bool) {
	if fr.PrefixServiceID != "" {
		return fr.PrefixServiceID, carrier.Result{}, true
	}
	if fr.Prefix == "" {
		return "", carrier.Rejection("prefix: give prefix or prefix_service_id"), false
	}
	known, err := c.prefixList(ctx, stop)
	if err != nil {
		return "", carrier.LookupFailed("look up prefix "+fr.Prefix, err), false
	}
	id, ok := known[fr.Prefix]
	if !ok {
		names := slices.Sorted(maps.Keys(known))
		list := strings.Join(names, ", ")
		if list == "" {
			list = "none"
		}
		return "", carrier.Rejection("prefix: %s is not hosted on this Netwo account (known prefixes: %s)", fr.Prefix, list), false
	}
	return id, carrier.Result{}, true
}

// createCart sends POST /cart and returns the cart_id.
func (c *Client) createCart(ctx context.Context, fr *order.FrPortOrder, stop <-chan struct{}) (string, carrier.Result, bool) {
	resp, err := c.do(ctx, carrier.Request{Op: "create cart", Method: http.MethodPost, Path: "/cart", Body: newCartRequest(fr), Stop: stop})
	if err != nil {
		return "", carrier.ResultOf("create cart", err), false
	}
	id, ok := carrier.FindString(resp.Body, CheckpointCartID)
	if !ok {
		return "", carrier.Result{Class: carrier.InDoubt, Attempts: resp.Attempts,
			Message: fmt.Sprintf("create cart: HTTP %d without cart_id: %s", resp.Status, carrier.Quote(resp.Body))}, false
	}
	return id, carrier.Result{Attempts: resp.Attempts}, true
}

// cartLine sends GET /cart/{id}/lines and returns the first cart_line_id.
func (c *Client) cartLine(ctx context.Context, cartID string, stop <-chan struct{}) (string, carrier.Result, bool) {
	op := "get lines of cart " + cartID
	resp, err := c.do(ctx, carrier.Request{Op: op, Method: http.MethodGet, Path: "/cart/" + url.PathEscape(cartID) + "/lines", Idempotent: true, Stop: stop})
	if err != nil {
		return "", carrier.ResultOf(op, err), false
	}
	id, ok := carrier.FindString(resp.Body, CheckpointCartLineID)
	if !ok {
		return "", carrier.Result{Class: carrier.InDoubt, Attempts: resp.Attempts,
			Message: fmt.Sprintf("%s: HTTP %d without cart_line_id: %s", op, resp.Status, carrier.Quote(resp.Body))}, false
	}
	return id, carrier.Result{Attempts: resp.Attempts}, true
}
