package netwo

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

// maxPages bounds the prefix lookup whatever the carrier answers.
const maxPages = 100

// servicePage is one page of GET /service.
type servicePage struct {
	Services []struct {
		Bought *service `json:"bought"`
		Resold *service `json:"resold"`
	} `json:"services"`
	TotalResults int `json:"total_results"`
}

type service struct {
	ServiceID flexString `json:"service_id"`
	Resource  flexString `json:"resource"`
	Specifics struct {
		PrefixHosting struct {
			Resource flexString `json:"resource"`
		} `json:"prefix_hosting"`
	} `json:"specifics"`
}

// flexString reads a JSON string or number as text; null stays "".
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a string or a number, got %s", carrier.Truncate(string(b), 40))
	}
	*f = flexString(n.String())
	return nil
}

// Prefixes returns the portability prefixes hosted on Netwo, prefix
// (specifics.prefix_hosting.resource, e.g. "010203") → prefix_service_id
// (bought.service_id, or resold.service_id when bought is null). The lookup
// follows every page and is made once per Client; a failed lookup is not
// cached.
func (c *Client) Prefixes(ctx context.Context) (map[string]string, error) {
	return c.prefixList(ctx, nil)
}

// prefixList is Prefixes whose retries end once stop is closed.
func (c *Client) prefixList(ctx context.Context, stop <-chan struct{}) (map[string]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.prefixes != nil {
		return maps.Clone(c.prefixes), nil
	}
	found := map[string]string{}
	offset := 0
	for range maxPages {
		q := url.Values{}
		q.Set("product_category[]", "prefix_hosting")
		q.Set("limit", strconv.Itoa(c.cfg.PageSize))
		q.Set("offset", strconv.Itoa(offset))
		resp, err := c.do(ctx, carrier.Request{Op: "list prefix services", Method: http.MethodGet, Path: "/service", Query: q, Idempotent: true, Stop: stop})
		if err != nil {
			return nil, fmt.Errorf("netwo: list prefix services (offset %d): %w", offset, err)
		}
		var page servicePage
		if err := json.Unmarshal(resp.Body, &page); err != nil {
			return nil, fmt.Errorf("netwo: list prefix services (offset %d): unreadable answer %s: %w", offset, carrier.Quote(resp.Body), err)
		}
		for _, s := range page.Services {
			svc := s.Bought
			if svc == nil || svc.ServiceID == "" {
				svc = s.Resold
			}
			if svc == nil || svc.ServiceID == "" {
				continue
			}
			prefix := svc.Specifics.PrefixHosting.Resource
			if prefix == "" {
				prefix = svc.Resource
			}
			if prefix != "" {
				if _, dup := found[string(prefix)]; !dup {
					found[string(prefix)] = string(svc.ServiceID)
				}
			}
		}
		offset += len(page.Services)
		done := len(page.Services) == 0 ||
			(page.TotalResults > 0 && offset >= page.TotalResults) ||
			(page.TotalResults == 0 && len(page.Services) < c.cfg.PageSize)
		if done {
			c.prefixes = found
			return maps.Clone(found), nil
		}
	}
	return nil, fmt.Errorf("netwo: list prefix services: more than %d pages of %d", maxPages, c.cfg.PageSize)
}
