package netwo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/carriertest"
	"github.com/orderdrop/orderdrop/internal/order"
)

const (
	apiKey    = "nw-key-SECRET"
	actorSlug = "orderdrop-telecom"
)

func frOrder() *order.Order {
	return &order.Order{
		Kind: order.FrPort,
		Ref:  "FR-1001",
		FrPort: &order.FrPortOrder{
			IDN:           "0261910210",
			DIDs:          []string{"0261910210", "0261910211", "0261910212"},
			WantedDate:    time.Date(2026, 12, 24, 10, 0, 0, 0, time.FixedZone("CET", 3600)),
			Routing:       "prefix",
			Prefix:        "010203",
			CustomerName:  "Societé Exemple",
			CompanyNumber: "73282932000074",
			Street:        "35 rue des jeuneurs",
			ZipCode:       "75002",
			City:          "PARIS",
			ContactName:   "Jeanne Martin",
			ContactEmail:  "jeanne.martin@example.fr",
			ContactPhone:  "+33601020304",
		},
	}
}

const onePrefixPage = `{"services":[{"bought":{"service_id":"svc-010203","service_type":"prefix_hosting",
  "resource":null,"specifics":{"prefix_hosting":{"resource":"010203","sip_trunk_reference":"S-YYYY-YYYY"}},
  "category":"prefix_hosting"},"resold":null}],"total_results":1,"limit":1000,"offset":0}`

// happyNetwo is a fake Netwo answering every step successfully.
func happyNetwo(t *testing.T) *carriertest.Fake {
	f := carriertest.NewFake(t)
	f.Handle("GET /api/v1/service", carriertest.JSON(200, onePrefixPage))
	f.Handle("POST /api/v1/cart", carriertest.JSON(201, `{"cart_id":"cart-7","lines":[]}`))
	f.Handle("GET /api/v1/cart/cart-7/lines", carriertest.JSON(200, `{"lines":[{"cart_line_id":"line-7-1","status":"draft"}]}`))
	f.Handle("POST /api/v1/orders", carriertest.JSON(201, `{"order_id":"ord-42","status":"created"}`))
	return f
}

func newClient(t *testing.T, baseURL string, mod ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		HTTP: carrier.HTTPOptions{BaseURL: baseURL + "/api/v1", Timeout: 300 * time.Millisecond,
			MaxAttempts: 3, BaseBackoff: time.Millisecond},
		APIKey: apiKey, ActorSlug: actorSlug,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// saver records the checkpoints saved.
type saver struct {
	mu    sync.Mutex
	saved []carrier.Checkpoint
	err   error
}

func (s *saver) save(_ context.Context, cp carrier.Checkpoint) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.saved = append(s.saved, cp)
	return s.err
}

func TestNewRequiresCredentials(t *testing.T) {
	_, err := New(Config{APIKey: "k"})
	assert.ErrorIs(t, err, carrier.ErrMissingCredentials)
	_, err = New(Config{APIKey: "k", ActorSlug: "a", HTTP: carrier.HTTPOptions{BaseURL: "http://api.netwo.io"}})
	assert.ErrorIs(t, err, carrier.ErrInsecureURL)
}

func TestSubmitHappyPath(t *testing.T) {
	f := happyNetwo(t)
	c := newClient(t, f.URL)
	var s saver

	got := c.Submit(context.Background(), frOrder(), carrier.Submission{Save: s.save})

	assert.Equal(t, carrier.Result{Class: carrier.Accepted, Reference: "ord-42", Attempts: 1,
		Message: "Netwo order ord-42 (cart cart-7, line line-7-1)"}, got)
	assert.Equal(t, []string{"GET /api/v1/service", "POST /api/v1/cart", "GET /api/v1/cart/cart-7/lines", "POST /api/v1/orders"}, f.Keys())
	// Only the step that creates something is saved: the cart line is read
	// again from the cart (an idempotent GET) when a stop falls after it, so
	// a second fsync per order would buy nothing.
	assert.Equal(t, []carrier.Checkpoint{{"cart_id": "cart-7"}}, s.saved, "the cart saved before its line is read")
	calls := f.Calls()
	for _, call := range calls {
		assert.Equal(t, apiKey, call.Header.Get("X-Api-Key"), call.Path)
		assert.Equal(t, actorSlug, call.Header.Get("X-Actor-Slug"), call.Path)
		assert.Equal(t, "orderdrop/dev", call.Header.Get("User-Agent"))
	}
	assert.Equal(t, []string{"prefix_hosting"}, calls[0].Query["product_category[]"])
	carriertest.AssertGolden(t, "testdata/cart.golden.json", calls[1].Body)
	carriertest.AssertGolden(t, "testdata/order.golden.json", calls[3].Body)
	assert.Equal(t, "application/json", calls[3].Header.Get("Content-Type"))
}

func TestSubmitWithRIOAndSIPTrunkRouting(t *testing.T) {
	f := happyNetwo(t)
	c := newClient(t, f.URL, func(cfg *Config) { cfg.RoutingSIPTrunk = "routing_on_c5_trunk" })
	o := frOrder()
	o.FrPort.RIO = "02P0123456789AB"
	o.FrPort.Routing = "sip_trunk"

	got := c.Submit(context.Background(), o, carrier.Submission{})

	require.Equal(t, carrier.Accepted, got.Class, got.Message)
	calls := f.Calls()
	carriertest.AssertGolden(t, "testdata/cart_rio.golden.json", calls[1].Body)
	assert.Contains(t, string(calls[3].Body), `"routing":"routing_on_c5_trunk"`)
}

func TestSubmitResumesFromCheckpoint(t *testing.T) {
	tests := []struct {
		name      string
		cp        carrier.Checkpoint
		wantCalls []string
		wantSaved int
	}{
		{"cart and line saved: only the order", carrier.Checkpoint{"cart_id": "cart-7", "cart_line_id": "line-7-1"},
			[]string{"POST /api/v1/orders"}, 0},
		{"cart saved: lines then order", carrier.Checkpoint{"cart_id": "cart-7"},
			[]string{"GET /api/v1/cart/cart-7/lines", "POST /api/v1/orders"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := happyNetwo(t)
			c := newClient(t, f.URL)
			o := frOrder()
			o.FrPort.PrefixServiceID = "svc-010203" // given directly: no lookup
			var s saver

			got := c.Submit(context.Background(), o, carrier.Submission{Checkpoint: tt.cp, Save: s.save})

			assert.Equal(t, carrier.Accepted, got.Class, got.Message)
			assert.Equal(t, "ord-42", got.Reference)
			assert.Equal(t, tt.wantCalls, f.Keys())
			assert.Len(t, s.saved, tt.wantSaved)
			carriertest.AssertGolden(t, "testdata/order.golden.json", f.Calls()[len(tt.wantCalls)-1].Body)
		})
	}
}

func TestPrefixesFollowsPages(t *testing.T) {
	f := carriertest.NewFake(t)
	pages := []string{
		`{"services":[{"bought":{"service_id":"s1","specifics":{"prefix_hosting":{"resource":"010201"}}},"resold":null},
		              {"bought":{"service_id":"s2","specifics":{"prefix_hosting":{"resource":"010202"}}},"resold":null}],"total_results":5,"limit":2,"offset":0}`,
		`{"services":[{"bought":null,"resold":{"service_id":"s3","specifics":{"prefix_hosting":{"resource":"010203"}}}},
		              {"bought":{"service_id":1234,"specifics":{"prefix_hosting":{"resource":"010204"}}},"resold":null}],"total_results":5,"limit":2,"offset":2}`,
		`{"services":[{"bought":{"service_id":"s5","resource":"010205","specifics":null},"resold":null}],"total_results":5,"limit":2,"offset":4}`,
	}
	var offsets []string
	f.Handle("GET /api/v1/service", func(w http.ResponseWriter, r *http.Request, body []byte, n int) {
		offsets = append(offsets, r.URL.Query().Get("offset"))
		assert.Equal(t, "2", r.URL.Query().Get("limit"))
		carriertest.JSON(200, pages[n-1])(w, r, body, n)
	})
	c := newClient(t, f.URL, func(cfg *Config) { cfg.PageSize = 2 })

	got, err := c.Prefixes(context.Background())

	require.NoError(t, err)
	assert.Equal(t, map[string]string{"010201": "s1", "010202": "s2", "010203": "s3", "010204": "1234", "010205": "s5"}, got)
	assert.Equal(t, []string{"0", "2", "4"}, offsets)
}

func TestPrefixLookupIsCachedPerClient(t *testing.T) {
	f := happyNetwo(t)
	c := newClient(t, f.URL)
	for range 2 {
		got := c.Submit(context.Background(), frOrder(), carrier.Submission{})
		require.Equal(t, carrier.Accepted, got.Class, got.Message)
	}
	assert.Equal(t, 1, f.Count("GET /api/v1/service"), "one lookup for two orders")
	assert.Equal(t, 2, f.Count("POST /api/v1/orders"))
}

func TestSubmitUnknownPrefixIsRejectedWithoutSending(t *testing.T) {
	f := happyNetwo(t)
	c := newClient(t, f.URL)
	o := frOrder()
	o.FrPort.Prefix = "019999"

	got := c.Submit(context.Background(), o, carrier.Submission{})

	assert.Equal(t, carrier.Rejected, got.Class)
	assert.Equal(t, "prefix: 019999 is not hosted on this Netwo account (known prefixes: 010203)", got.Message)
	assert.Equal(t, []string{"GET /api/v1/service"}, f.Keys(), "nothing ordered")
}

func TestSubmitBadRoutingIsRejectedWithoutSending(t *testing.T) {
	f := happyNetwo(t)
	c := newClient(t, f.URL)
	o := frOrder()
	o.FrPort.Routing = "carrier_pigeon"
	got := c.Submit(context.Background(), o, carrier.Submission{})
	assert.Equal(t, carrier.Rejected, got.Class)
	assert.Empty(t, f.Keys())
}

func TestSubmitOutcomes(t *testing.T) {
	tests := []struct {
		name        string
		route       string
		answer      carriertest.Route
		wantClass   carrier.Class
		wantMessage string
		wantCount   int // requests received by route
		wantOrders  int // POST /orders received
	}{
		{"order refused", "POST /api/v1/orders", carriertest.JSON(400, `{"message":"company_number: SIRET invalide"}`),
			carrier.Rejected, "create order (cart cart-7): HTTP 400: siret: SIRET invalide; what to do: siret must be the 14-digit SIRET", 1, 1},
		{"order 500", "POST /api/v1/orders", carriertest.JSON(500, `{"error":"internal"}`),
			carrier.InDoubt, "HTTP 500: internal; the carrier may have processed it", 1, 1},
		{"order timeout", "POST /api/v1/orders", carriertest.Hang(700 * time.Millisecond),
			carrier.InDoubt, "request sent, then timeout", 1, 1},
		{"order 503 storm", "POST /api/v1/orders", carriertest.JSON(503, `{"message":"maintenance"}`),
			carrier.Retryable, "HTTP 503: maintenance (gave up after 3 attempts)", 3, 3},
		{"order 2xx without id", "POST /api/v1/orders", carriertest.JSON(201, `{"status":"created","lines":[{"state":"confirmed"}]}`),
			carrier.InDoubt, `HTTP 201 without order_id or id: {"lines":[{"state":"confirmed"}],"status":"created"}`, 1, 1},
		{"order id in a wrapper", "POST /api/v1/orders", carriertest.JSON(200, `{"data":{"id":"ord-9"}}`),
			carrier.Accepted, "Netwo order ord-9 (cart cart-7, line line-7-1)", 1, 1},
		{"cart refused", "POST /api/v1/cart", carriertest.JSON(422, `{"errors":[{"field":"idn","message":"invalid"}]}`),
			carrier.Rejected, "create cart: HTTP 422: idn: invalid", 1, 0},
		{"cart 500", "POST /api/v1/cart", carriertest.JSON(500, ``),
			carrier.InDoubt, "create cart: HTTP 500", 1, 0},
		{"cart 2xx without cart_id", "POST /api/v1/cart", carriertest.JSON(201, `{"id":"c"}`),
			carrier.InDoubt, `create cart: HTTP 201 without cart_id: {"id":"c"}`, 1, 0},
		{"lines 404", "GET /api/v1/cart/cart-7/lines", carriertest.JSON(404, `{"message":"cart not found"}`),
			carrier.Rejected, "get lines of cart cart-7: HTTP 404: cart not found", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := happyNetwo(t)
			f.Handle(tt.route, tt.answer)
			c := newClient(t, f.URL)

			got := c.Submit(context.Background(), frOrder(), carrier.Submission{})

			assert.Equal(t, tt.wantClass, got.Class, got.Message)
			assert.Contains(t, got.Message, tt.wantMessage)
			assert.Equal(t, tt.wantCount, f.Count(tt.route), "requests to %s", tt.route)
			assert.Equal(t, tt.wantOrders, f.Count("POST /api/v1/orders"))
		})
	}
}

func TestSubmitConnectionRefusedIsRetryable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c := newClient(t, "http://"+addr)
	o := frOrder()
	o.FrPort.PrefixServiceID = "svc"

	got := c.Submit(context.Background(), o, carrier.Submission{Checkpoint: carrier.Checkpoint{"cart_id": "c", "cart_line_id": "l"}})

	assert.Equal(t, carrier.Retryable, got.Class, got.Message)
	assert.Equal(t, 3, got.Attempts)
}

func TestSubmitStopsWhenCheckpointCannotBeSaved(t *testing.T) {
	f := happyNetwo(t)
	c := newClient(t, f.URL)
	s := saver{err: errors.New("disk full")}

	got := c.Submit(context.Background(), frOrder(), carrier.Submission{Save: s.save})

	assert.Equal(t, carrier.Retryable, got.Class)
	assert.Contains(t, got.Message, "cart cart-7 created but the checkpoint could not be saved (disk full)")
	assert.Zero(t, f.Count("GET /api/v1/cart/cart-7/lines"))
	assert.Zero(t, f.Count("POST /api/v1/orders"))
}

func TestSubmitNeverLeaksTheAPIKey(t *testing.T) {
	f := happyNetwo(t)
	f.Handle("POST /api/v1/orders", carriertest.JSON(400, fmt.Sprintf(`{"message":"bad","api_key":%q}`, apiKey)))
	c := newClient(t, f.URL)
	got := c.Submit(context.Background(), frOrder(), carrier.Submission{})
	assert.False(t, strings.Contains(got.Message, apiKey), got.Message)
}

// The prefix lookup happens before anything is ordered: when it fails the
// row is not rejected (nothing is wrong with it), it is sent again later.
func TestSubmitPrefixLookupFailureIsNotARejection(t *testing.T) {
	tests := []struct {
		name   string
		answer carriertest.Route
		want   carrier.Class
	}{
		{"unreadable answer", carriertest.JSON(200, `{"services":"none"}`), carrier.Retryable},
		{"404", carriertest.JSON(404, `{"message":"not found"}`), carrier.Retryable},
		{"credentials refused", carriertest.JSON(401, `{"message":"invalid API key"}`), carrier.AuthRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := happyNetwo(t)
			f.Handle("GET /api/v1/service", tt.answer)
			c := newClient(t, f.URL)

			got := c.Submit(context.Background(), frOrder(), carrier.Submission{})

			assert.Equal(t, tt.want, got.Class, got.Message)
			assert.Contains(t, got.Message, "look up prefix")
			assert.Zero(t, f.Count("POST /api/v1/cart"), "nothing sent")
		})
	}
}
