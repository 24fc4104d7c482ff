package prizz

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/order"
)

// Submit sends one l2 order (POST OrderPath). The order_ref travels in
// commentaire. Reference = "ref" from the answer, at the top level or inside
// the legacy envelope's "object". A 2xx without ref is InDoubt with the body
// quoted, unless the legacy envelope itself carries a 4xx statusCode
// (Rejected). The legacy order is a single step: s.Checkpoint and s.Save
// are unused; neither it nor the authentication is retried once s.Stop is
// closed. A rejection Prizz sent carries its fix from the catalogue
// (reasons).
func (c *Client) Submit(ctx context.Context, o *order.Order, s carrier.Submission) carrier.Result {
	return reasons.Explained(c.submit(ctx, o, s.Stop))
}

// submit is Submit before the catalogue explains a rejection.
func (c *Client) submit(ctx context.Context, o *order.Order, stop <-chan struct{}) carrier.Result {
	if o == nil || o.L2 == nil {
		return carrier.Rejection("prizz: not an l2 order")
	}
	resp, err := c.do(ctx, carrier.Request{Op: "order L2", Method: http.MethodPost, Path: c.cfg.OrderPath, Body: newL2Request(o.Ref, o.L2), Stop: stop})
	if err != nil {
		return carrier.ResultOf("order L2", err)
	}
	if ref, ok := carrier.FindString(resp.Body, "ref"); ok {
		return carrier.Result{Class: carrier.Accepted, Reference: ref, Attempts: resp.Attempts, Message: "Prizz order " + ref}
	}
	if s, ok := carrier.FindString(resp.Body, "statusCode"); ok {
		if code, err := strconv.Atoi(s); err == nil && code >= 400 && code < 500 {
			return carrier.Result{Class: carrier.Rejected, Attempts: resp.Attempts,
				Message: fmt.Sprintf("order L2: HTTP %d, envelope statusCode %d: %s", resp.Status, code, carrier.ExtractMessage(resp.Body))}
		}
	}
	return carrier.Result{Class: carrier.InDoubt, Attempts: resp.Attempts,
		Message: fmt.Sprintf("order L2: HTTP %d without ref: %s", resp.Status, carrier.Quote(resp.Body))}
}
