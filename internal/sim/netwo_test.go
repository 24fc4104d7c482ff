package sim

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const prefix010203 = "3f0c8a52-6d1e-4b7a-9c21-5e8f0a010203"

func netwoCartBody() map[string]any {
	return map[string]any{"lines": []any{map[string]any{"entity": map[string]any{"portability": map[string]any{
		"idn":         "0261910210",
		"wanted_date": "2026-12-24T09:00:00.000Z",
		"rio_or_did":  map[string]any{"did": []any{"0261910210", "0261910211"}},
	}}}}}
}

// createNetwoCart creates a cart and returns its id and first line id.
func createNetwoCart(t *testing.T, ts *httptest.Server) (cartID, lineID string) {
	t.Helper()
	resp := call(t, ts, "POST", "/netwo/api/v1/cart", netwoCartBody(), netwoAuth)
	require.Equal(t, http.StatusCreated, resp.status, "body: %s", resp.body)
	cartID = resp.json(t)["cart_id"].(string)
	lines := call(t, ts, "GET", "/netwo/api/v1/cart/"+cartID+"/lines", nil, netwoAuth)
	require.Equal(t, http.StatusOK, lines.status)
	lineID = at(lines.json(t), "lines", 0)["cart_line_id"].(string)
	return cartID, lineID
}

func netwoOrderBody(cartID, lineID string) map[string]any {
	return map[string]any{
		"cart_id": cartID,
		"lines": []any{map[string]any{
			"cart_line_id": lineID,
			"attributes": map[string]any{"portability": map[string]any{
				"routing": "routing_on_prefix", "prefix_service_id": prefix010203,
			}},
			"customer": map[string]any{
				"name": "Verrerie d'Armor", "company_number": "81234001700027",
				"mailing_address": map[string]any{"address": map[string]any{
					"street": "14 quai de la Douane", "zip_code": "29200", "city": "Brest",
				}},
			},
			"contact": map[string]any{"name": "Yvonne Kerjean", "email": "y.kerjean@verrerie-armor.example", "phone": "+33673480041"},
		}},
	}
}

func TestNetwoAuth(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	tests := []struct {
		name string
		auth func(*http.Request)
	}{
		{"no headers", nil},
		{"wrong key", func(r *http.Request) { netwoAuth(r); r.Header.Set("X-Api-Key", "nope") }},
		{"wrong slug", func(r *http.Request) { netwoAuth(r); r.Header.Set("X-Actor-Slug", "nope") }},
		{"missing slug", func(r *http.Request) { netwoAuth(r); r.Header.Del("X-Actor-Slug") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := call(t, ts, "GET", "/netwo/api/v1/service", nil, tt.auth)
			assert.Equal(t, http.StatusUnauthorized, got.status)
			assert.NotEmpty(t, got.json(t)["message"])
		})
	}
}

func TestNetwoServicesPagination(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	var resources []string
	total := -1
	for offset := 0; ; offset += 2 {
		got := call(t, ts, "GET", "/netwo/api/v1/service?product_category[]=prefix_hosting&limit=2&offset="+itoa(offset), nil, netwoAuth)
		require.Equal(t, http.StatusOK, got.status)
		m := got.json(t)
		total = int(m["total_results"].(float64))
		assert.Equal(t, float64(2), m["limit"])
		assert.Equal(t, float64(offset), m["offset"])
		services := m["services"].([]any)
		for i := range services {
			b := at(services, i, "bought")
			assert.Equal(t, "prefix_hosting", b["service_type"])
			assert.Equal(t, "active", b["status"])
			resources = append(resources, at(b, "specifics", "prefix_hosting")["resource"].(string))
		}
		if len(services) < 2 {
			break
		}
	}
	assert.Equal(t, 7, total)
	assert.Len(t, resources, 7)
	assert.Equal(t, []string{"010203", "040506"}, resources[:2])

	got := call(t, ts, "GET", "/netwo/api/v1/service?product_category[]=prefix_hosting", nil, netwoAuth)
	m := got.json(t)
	assert.Equal(t, float64(1000), m["limit"], "default limit")
	assert.Len(t, m["services"], 7)

	got = call(t, ts, "GET", "/netwo/api/v1/service?product_category[]=fiber", nil, netwoAuth)
	assert.Empty(t, got.json(t)["services"])

	got = call(t, ts, "GET", "/netwo/api/v1/service?limit=abc", nil, netwoAuth)
	assert.Equal(t, http.StatusBadRequest, got.status)
}

func TestNetwoOrderAccepted(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	cartID, lineID := createNetwoCart(t, ts)

	lines := call(t, ts, "GET", "/netwo/api/v1/cart/"+cartID+"/lines", nil, netwoAuth)
	assert.Equal(t, "0261910210", at(lines.json(t), "lines", 0, "entity", "portability")["idn"])

	got := call(t, ts, "POST", "/netwo/api/v1/orders", netwoOrderBody(cartID, lineID), netwoAuth)
	require.Equal(t, http.StatusCreated, got.status, "body: %s", got.body)
	m := got.json(t)
	assert.Equal(t, "confirmed", m["state"])
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, m["order_id"])

	orders := s.Orders()
	require.Len(t, orders, 1)
	assert.Equal(t, CarrierNetwo, orders[0].Carrier)
	assert.Equal(t, m["order_id"], orders[0].Reference)
	assert.Equal(t, "/netwo/api/v1/orders", orders[0].Path)
	assert.Contains(t, string(orders[0].Body), cartID)

	again := call(t, ts, "POST", "/netwo/api/v1/orders", netwoOrderBody(cartID, lineID), netwoAuth)
	assert.Equal(t, http.StatusConflict, again.status, "a cart may be ordered once")
	assert.Len(t, s.Orders(), 1)
}

func TestNetwoCartValidation(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	tests := []struct {
		name   string
		mutate func(p map[string]any)
		field  string
	}{
		{"idn not French", func(p map[string]any) { p["idn"] = "4165550100" }, "lines[0].entity.portability.idn"},
		{"idn missing", func(p map[string]any) { delete(p, "idn") }, "lines[0].entity.portability.idn"},
		{"wanted_date not RFC 3339", func(p map[string]any) { p["wanted_date"] = "24/12/2026 10:00" }, "lines[0].entity.portability.wanted_date"},
		{"did empty", func(p map[string]any) { p["rio_or_did"] = map[string]any{"did": []any{}} }, "lines[0].entity.portability.rio_or_did.did"},
		{"did 9 digits", func(p map[string]any) { p["rio_or_did"] = map[string]any{"did": []any{"261910210"}} }, "lines[0].entity.portability.rio_or_did.did[0]"},
		{"neither rio nor did", func(p map[string]any) { delete(p, "rio_or_did") }, "lines[0].entity.portability.rio_or_did"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := clone(t, netwoCartBody())
			tt.mutate(at(body, "lines", 0, "entity", "portability"))
			got := call(t, ts, "POST", "/netwo/api/v1/cart", body, netwoAuth)
			assert.Equal(t, http.StatusBadRequest, got.status)
			assert.Contains(t, at(got.json(t), "errors"), tt.field)
		})
	}
	rio := clone(t, netwoCartBody())
	at(rio, "lines", 0, "entity", "portability")["rio_or_did"] = map[string]any{"rio": "02E123456ABC"}
	got := call(t, ts, "POST", "/netwo/api/v1/cart", rio, netwoAuth)
	assert.Equal(t, http.StatusCreated, got.status, "a RIO port is accepted: %s", got.body)

	got = call(t, ts, "GET", "/netwo/api/v1/cart/nope/lines", nil, netwoAuth)
	assert.Equal(t, http.StatusNotFound, got.status)
}

func TestNetwoOrderValidation(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	tests := []struct {
		name   string
		mutate func(body, line map[string]any)
		field  string
	}{
		{"routing missing", func(_, l map[string]any) { delete(at(l, "attributes", "portability"), "routing") }, "lines[0].attributes.portability.routing"},
		{"prefix_service_id missing", func(_, l map[string]any) { delete(at(l, "attributes", "portability"), "prefix_service_id") }, "lines[0].attributes.portability.prefix_service_id"},
		{"attributes missing", func(_, l map[string]any) { delete(l, "attributes") }, "lines[0].attributes.portability.routing"},
		{"routing unknown", func(_, l map[string]any) { at(l, "attributes", "portability")["routing"] = "voip" }, "lines[0].attributes.portability.routing"},
		{"prefix unknown", func(_, l map[string]any) { at(l, "attributes", "portability")["prefix_service_id"] = "nope" }, "lines[0].attributes.portability.prefix_service_id"},
		{"SIRET 13 digits", func(_, l map[string]any) { at(l, "customer")["company_number"] = "8123400170002" }, "lines[0].customer.company_number"},
		{"zip missing", func(_, l map[string]any) { delete(at(l, "customer", "mailing_address", "address"), "zip_code") }, "lines[0].customer.mailing_address.address.zip_code"},
		{"contact email", func(_, l map[string]any) { at(l, "contact")["email"] = "a@@b" }, "lines[0].contact.email"},
		{"contact phone missing", func(_, l map[string]any) { delete(at(l, "contact"), "phone") }, "lines[0].contact.phone"},
		{"line not in cart", func(_, l map[string]any) { l["cart_line_id"] = "other" }, "lines[0].cart_line_id"},
		{"unknown cart", func(b, _ map[string]any) { b["cart_id"] = "nope" }, "cart_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cartID, lineID := createNetwoCart(t, ts)
			body := clone(t, netwoOrderBody(cartID, lineID))
			tt.mutate(body, at(body, "lines", 0))
			got := call(t, ts, "POST", "/netwo/api/v1/orders", body, netwoAuth)
			assert.Equal(t, http.StatusBadRequest, got.status)
			assert.Contains(t, at(got.json(t), "errors"), tt.field)
		})
	}
	t.Run("mistyped company_number", func(t *testing.T) {
		cartID, lineID := createNetwoCart(t, ts)
		body := clone(t, netwoOrderBody(cartID, lineID))
		at(body, "lines", 0, "customer")["company_number"] = 81234001700027
		got := call(t, ts, "POST", "/netwo/api/v1/orders", body, netwoAuth)
		assert.Equal(t, http.StatusBadRequest, got.status)
		assert.Contains(t, got.json(t)["message"], "company_number")
	})
	assert.Empty(t, s.Orders(), "no invalid order is recorded")
}
