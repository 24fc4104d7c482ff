package prizz

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// Contacts returns the idContact of every operator contact (contacts web
// service), for checking contactsGTR / idContacts online.
func (c *Client) Contacts(ctx context.Context) ([]int, error) {
	items, err := c.list(ctx, "list contacts", c.cfg.ContactsPath)
	if err != nil {
		return nil, err
	}
	ids := make([]int, 0, len(items))
	for _, raw := range items {
		var ct struct {
			IDContact json.Number `json:"idContact"`
		}
		if json.Unmarshal(raw, &ct) != nil || ct.IDContact == "" {
			continue
		}
		if n, err := ct.IDContact.Int64(); err == nil {
			ids = append(ids, int(n))
		}
	}
	return ids, nil
}

// Ports returns the code of every delivery port (interfaceLivraison web
// service), the values refPorte accepts.
func (c *Client) Ports(ctx context.Context) ([]string, error) {
	items, err := c.list(ctx, "list delivery ports", c.cfg.PortsPath)
	if err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(items))
	for _, raw := range items {
		var p struct {
			Code string `json:"code"`
		}
		if json.Unmarshal(raw, &p) == nil && p.Code != "" {
			codes = append(codes, p.Code)
		}
	}
	return codes, nil
}

// list GETs a legacy list: a bare array, or the envelope {statusCode, status, object: [...]}.
func (c *Client) list(ctx context.Context, op, path string) ([]json.RawMessage, error) {
	resp, err := c.do(ctx, carrier.Request{Op: op, Method: http.MethodGet, Path: path, Idempotent: true})
	if err != nil {
		return nil, fmt.Errorf("prizz: %s: %w", op, err)
	}
	items, ok := carrier.FindArray(resp.Body, "object", "data", "items")
	if !ok {
		return nil, fmt.Errorf("prizz: %s: no list in the answer %s", op, carrier.Quote(resp.Body))
	}
	return items, nil
}
