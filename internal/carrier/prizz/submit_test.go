package prizz

import (
	"context"
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
	login    = "ops@orderdrop.example"
	password = "pw-SECRET-42"
)

func l2Order() *order.Order {
	return &order.Order{
		Kind: order.L2,
		Ref:  "BX-L2-611",
		L2: &order.L2Order{
			ClientName: "Boulangerie Exemple", OfferID: 1201, OptionIDs: nil,
			GTRContactHO: 4410, GTRContactHNO: 4411,
			StreetNumber: "12", StreetExtension: "bis", StreetType: "rue", StreetName: "de la Paix",
			ZipCode: "75002", City: "Paris", Floor: "3",
			SiteContactName: "Paul Durand", SiteContactPhone: "+33612345678",
			SiteContactEmail: "paul.durand@example.fr", SiteContactHours: "8h-12h 14h-17h",
			OrderContactID: 0, FollowContactIDs: []int{4410, 4412},
			PortRef: "PDL-PAR-01", SiteVLANMode: order.VLANModeTagged, PortVLANMode: order.VLANModeQinQ,
			DeliveryInterface: "1000 Base LX", SiteVLAN: 120, PortVLAN: 0,
			Comment: "badge à retirer",
		},
	}
}

// fakePrizz issues token tok-N on the N-th auth and accepts orders whose
// bearer is one of the valid tokens.
type fakePrizz struct {
	*carriertest.Fake
	mu    sync.Mutex
	valid map[string]bool
}

func newFakePrizz(t *testing.T) *fakePrizz {
	f := &fakePrizz{Fake: carriertest.NewFake(t), valid: map[string]bool{}}
	f.Handle("POST /sicom/auth", func(w http.ResponseWriter, r *http.Request, body []byte, n int) {
		tok := "tok-" + string(rune('0'+n))
		f.mu.Lock()
		f.valid[tok] = true
		f.mu.Unlock()
		carriertest.JSON(200, `{"statusCode":200,"status":"OK","object":{"accessToken":"`+tok+`","expiresIn":3600}}`)(w, r, body, n)
	})
	f.Handle("POST /sicom/commande/l2", f.authed(carriertest.JSON(201, `{"statusCode":201,"status":"Created","object":{"ref":"CMD-L2-0099","etat":"en cours"}}`)))
	return f
}

// revoke makes every token issued so far invalid (401).
func (f *fakePrizz) revoke() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.valid = map[string]bool{}
}

func (f *fakePrizz) authed(next carriertest.Route) carriertest.Route {
	return func(w http.ResponseWriter, r *http.Request, body []byte, n int) {
		f.mu.Lock()
		ok := f.valid[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		f.mu.Unlock()
		if !ok {
			carriertest.JSON(401, `{"message":"Token invalide"}`)(w, r, body, n)
			return
		}
		next(w, r, body, n)
	}
}

func newClient(t *testing.T, baseURL string) *Client {
	t.Helper()
	c, err := New(Config{
		HTTP: carrier.HTTPOptions{BaseURL: baseURL, Timeout: 300 * time.Millisecond,
			MaxAttempts: 3, BaseBackoff: time.Millisecond},
		Email: login, Password: password,
	})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

func TestSubmitHappyPath(t *testing.T) {
	f := newFakePrizz(t)
	c := newClient(t, f.URL)

	got := c.Submit(context.Background(), l2Order(), carrier.Submission{})

	assert.Equal(t, carrier.Result{Class: carrier.Accepted, Reference: "CMD-L2-0099", Attempts: 1, Message: "Prizz order CMD-L2-0099"}, got)
	calls := f.Calls()
	require.Len(t, calls, 2)
	assert.Equal(t, map[string]any{"email": login, "mdp": password}, carriertest.Decode(t, calls[0].Body))
	assert.Equal(t, "Bearer tok-1", calls[1].Header.Get("Authorization"))
	carriertest.AssertGolden(t, "testdata/l2.golden.json", calls[1].Body)
}

func TestSubmitReusesTheTokenAcrossOrders(t *testing.T) {
	f := newFakePrizz(t)
	c := newClient(t, f.URL)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got := c.Submit(context.Background(), l2Order(), carrier.Submission{})
			assert.Equal(t, carrier.Accepted, got.Class, got.Message)
		})
	}
	wg.Wait()
	assert.Equal(t, 1, f.Count("POST /sicom/auth"), "one auth for several orders")
	assert.Equal(t, 4, f.Count("POST /sicom/commande/l2"))
}

func TestSubmitRenewsTheTokenOnceOn401(t *testing.T) {
	f := newFakePrizz(t)
	c := newClient(t, f.URL)
	require.Equal(t, carrier.Accepted, c.Submit(context.Background(), l2Order(), carrier.Submission{}).Class)
	f.revoke()

	got := c.Submit(context.Background(), l2Order(), carrier.Submission{})

	assert.Equal(t, carrier.Accepted, got.Class, got.Message)
	assert.Equal(t, 2, f.Count("POST /sicom/auth"), "exactly one re-auth")
	assert.Equal(t, []string{"POST /sicom/auth", "POST /sicom/commande/l2", "POST /sicom/commande/l2", "POST /sicom/auth", "POST /sicom/commande/l2"}, f.Keys())
	assert.Equal(t, "Bearer tok-2", f.Calls()[4].Header.Get("Authorization"))
}

func TestSubmit401AfterRenewalIsAuthRefused(t *testing.T) {
	f := newFakePrizz(t)
	f.Handle("POST /sicom/commande/l2", carriertest.JSON(401, `{"message":"Accès refusé"}`))
	c := newClient(t, f.URL)

	got := c.Submit(context.Background(), l2Order(), carrier.Submission{})

	assert.Equal(t, carrier.AuthRefused, got.Class, "credentials refused is no row problem")
	assert.Equal(t, "order L2: HTTP 401: Accès refusé", got.Message)
	assert.Equal(t, 2, f.Count("POST /sicom/auth"), "renewed once, not more")
	assert.Equal(t, 2, f.Count("POST /sicom/commande/l2"), "retried once")
}

func TestSubmitTokenExpiryRenewsEarly(t *testing.T) {
	f := newFakePrizz(t)
	c := newClient(t, f.URL)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	require.Equal(t, carrier.Accepted, c.Submit(context.Background(), l2Order(), carrier.Submission{}).Class)
	now = now.Add(58 * time.Minute) // within the last minute of a 3600 s token... not yet
	require.Equal(t, carrier.Accepted, c.Submit(context.Background(), l2Order(), carrier.Submission{}).Class)
	assert.Equal(t, 1, f.Count("POST /sicom/auth"))
	now = now.Add(90 * time.Second) // 59m30s: renew a minute early
	require.Equal(t, carrier.Accepted, c.Submit(context.Background(), l2Order(), carrier.Submission{}).Class)
	assert.Equal(t, 2, f.Count("POST /sicom/auth"))
}

func TestSubmitAuthFailureSendsNothing(t *testing.T) {
	f := newFakePrizz(t)
	f.Handle("POST /sicom/auth", carriertest.JSON(401, `{"statusCode":401,"status":"Unauthorized","object":"Identifiants invalides"}`))
	c := newClient(t, f.URL)

	got := c.Submit(context.Background(), l2Order(), carrier.Submission{})

	assert.Equal(t, carrier.AuthRefused, got.Class)
	assert.Equal(t, "order L2: authenticate: HTTP 401: Identifiants invalides (nothing ordered)", got.Message)
	assert.NotContains(t, got.Message, password)
	assert.Zero(t, f.Count("POST /sicom/commande/l2"))
}

func TestSubmitOutcomes(t *testing.T) {
	tests := []struct {
		name        string
		answer      carriertest.Route
		wantClass   carrier.Class
		wantRef     string
		wantMessage string
		wantOrders  int
	}{
		{"ref at top level", carriertest.JSON(200, `{"ref":"CMD-1"}`), carrier.Accepted, "CMD-1", "Prizz order CMD-1", 1},
		{"refused", carriertest.JSON(400, `{"statusCode":400,"status":"Bad Request","object":"idOffre 1201 inconnu"}`),
			carrier.Rejected, "", "order L2: HTTP 400: offer_id 1201 inconnu; what to do: offer_id is not an offer of your Prizz account", 1},
		{"envelope refusal in a 200", carriertest.JSON(200, `{"statusCode":422,"status":"KO","object":"option 7 hors offre"}`),
			carrier.Rejected, "", "envelope statusCode 422: option 7 hors offre", 1},
		{"500", carriertest.JSON(500, `{"message":"NullPointerException"}`), carrier.InDoubt, "",
			"order L2: HTTP 500: NullPointerException; the carrier may have processed it", 1},
		{"timeout", carriertest.Hang(700 * time.Millisecond), carrier.InDoubt, "", "request sent, then timeout", 1},
		{"503 storm", carriertest.JSON(503, ``), carrier.Retryable, "", "HTTP 503 (gave up after 3 attempts)", 3},
		{"2xx without ref", carriertest.JSON(201, `{"statusCode":201,"status":"Created","object":{"etat":"en cours"}}`),
			carrier.InDoubt, "", `order L2: HTTP 201 without ref: {"object":{"etat":"en cours"},"status":"Created","statusCode":201}`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakePrizz(t)
			f.Handle("POST /sicom/commande/l2", f.authed(tt.answer))
			c := newClient(t, f.URL)

			got := c.Submit(context.Background(), l2Order(), carrier.Submission{})

			assert.Equal(t, tt.wantClass, got.Class, got.Message)
			assert.Equal(t, tt.wantRef, got.Reference)
			assert.Contains(t, got.Message, tt.wantMessage)
			assert.Equal(t, tt.wantOrders, f.Count("POST /sicom/commande/l2"))
		})
	}
}

func TestBodyOmitsOptionalFields(t *testing.T) {
	f := newFakePrizz(t)
	c := newClient(t, f.URL)
	o := l2Order()
	o.L2.OrderContactID = 4410
	o.L2.PortVLAN = 300
	o.L2.OptionIDs = []int{7, 9}
	o.Ref = ""

	require.Equal(t, carrier.Accepted, c.Submit(context.Background(), o, carrier.Submission{}).Class)

	body := carriertest.Decode(t, f.Calls()[1].Body).(map[string]any)
	assert.Equal(t, "4410", body["idContactCommande"].(interface{ String() string }).String())
	assert.Equal(t, "badge à retirer", body["commentaire"])
	assert.Len(t, body["idOptions"], 2)
	act := body["infosActivationService"].(map[string]any)
	assert.Contains(t, act, "nvlanPorte")
	adr := body["adresse"].(map[string]any)
	assert.NotContains(t, adr, "escalier", "empty strings omitted")
}

func TestCommentaire(t *testing.T) {
	tests := []struct{ ref, comment, want string }{
		{"BX-L2-611", "badge à retirer", "orderdrop ref BX-L2-611 — badge à retirer"},
		{"BX-L2-611", "", "orderdrop ref BX-L2-611"},
		{"", " accès par la cour ", "accès par la cour"},
		{"", "", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Commentaire(tt.ref, tt.comment))
	}
}

func TestContactsAndPorts(t *testing.T) {
	f := newFakePrizz(t)
	f.Handle("GET /sicom/contacts", f.authed(carriertest.JSON(200,
		`[{"idContact":4410,"nom":"Martin","prenom":"Luc","civilite":1,"actif":true,"mail":"l@x.fr","numTel1":"0102030405"},{"idContact":4411}]`)))
	f.Handle("GET /sicom/interfaceLivraison", f.authed(carriertest.JSON(200,
		`{"statusCode":200,"status":"OK","object":[{"code":"PDL-PAR-01","lib":"Paris 1","site":"TH2","bandwidth_mb":1000,"is_default":true}]}`)))
	c := newClient(t, f.URL)

	contacts, err := c.Contacts(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []int{4410, 4411}, contacts)
	ports, err := c.Ports(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"PDL-PAR-01"}, ports)
	assert.Equal(t, 1, f.Count("POST /sicom/auth"))
}

func TestSubmitAuthOutcomes(t *testing.T) {
	tests := []struct {
		name   string
		answer carriertest.Route
		want   carrier.Class
	}{
		{"403", carriertest.JSON(403, `{"statusCode":403,"status":"KO","message":"compte bloqué"}`), carrier.AuthRefused},
		{"2xx envelope with statusCode 401", carriertest.JSON(200, `{"statusCode":401,"status":"KO","message":"identifiants invalides"}`), carrier.AuthRefused},
		{"500 storm", carriertest.JSON(500, `{}`), carrier.Retryable},
		{"2xx without token", carriertest.JSON(200, `{"statusCode":200,"status":"OK"}`), carrier.Retryable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakePrizz(t)
			f.Handle("POST /sicom/auth", tt.answer)
			c := newClient(t, f.URL)

			got := c.Submit(context.Background(), l2Order(), carrier.Submission{})

			assert.Equal(t, tt.want, got.Class, got.Message)
			assert.Contains(t, got.Message, "nothing ordered")
			assert.Zero(t, f.Count("POST /sicom/commande/l2"))
		})
	}
}
