package sim

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func prizzToken(t *testing.T, ts *httptest.Server) string {
	t.Helper()
	c := DefaultCredentials()
	got := call(t, ts, "POST", "/prizz/sicom/auth", map[string]any{"email": c.PrizzEmail, "mdp": c.PrizzPassword}, nil)
	require.Equal(t, http.StatusOK, got.status, "body: %s", got.body)
	m := got.json(t)
	assert.Equal(t, "OK", m["status"])
	assert.Equal(t, float64(200), m["statusCode"])
	return at(m, "object")["accessToken"].(string)
}

func prizzL2Body() map[string]any {
	return map[string]any{
		"nomClient":   "Clinique du Tondu",
		"idOffre":     2202,
		"idOptions":   []any{51},
		"commentaire": "",
		"contactsGTR": []any{map[string]any{"type": "HO", "idContact": 7101}, map[string]any{"type": "HNO", "idContact": 7102}},
		"adresse": map[string]any{"numero": "151", "extension": "", "typeVoie": "rue", "rue": "du Tondu",
			"codePostal": "33000", "ville": "Bordeaux", "escalier": "", "etage": "RDC", "extAppart": ""},
		"contactSite": map[string]any{"nom": "Hugo Lacoste", "telephone": "+33 5 36 49 07 32",
			"mail": "dsi@clinique-tondu.example", "horaires": "24/7"},
		"idContacts": []any{7101},
		"infosActivationService": map[string]any{
			"refPorte": "PZ-NTE-DC2-01", "siteUtilisateurFinal": "Flux tagué C-VLAN", "porteLivraison": "Flux tagué C-VLAN",
			"interfaceLivraison": "10/100/1000 Base T", "nvlanSite": 210, "nvlanPorte": 3001,
		},
	}
}

func TestPrizzAuth(t *testing.T) {
	_, ts := newTestServer(t, Options{TokenTTL: 50 * time.Millisecond})
	got := call(t, ts, "POST", "/prizz/sicom/auth", map[string]any{"email": "ops@orderdrop.example", "mdp": "wrong"}, nil)
	assert.Equal(t, http.StatusUnauthorized, got.status)
	assert.Equal(t, "KO", got.json(t)["status"])
	assert.Equal(t, float64(401), got.json(t)["statusCode"])

	tests := []struct {
		name string
		auth func(*http.Request)
	}{
		{"no token", nil},
		{"unknown token", bearer("nope")},
		{"basic instead of bearer", thinktelAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := call(t, ts, "GET", "/prizz/sicom/contacts", nil, tt.auth)
			assert.Equal(t, http.StatusUnauthorized, got.status)
			assert.Equal(t, "KO", got.json(t)["status"])
		})
	}

	token := prizzToken(t, ts)
	assert.Equal(t, http.StatusOK, call(t, ts, "GET", "/prizz/sicom/contacts", nil, bearer(token)).status)
	time.Sleep(60 * time.Millisecond)
	got = call(t, ts, "GET", "/prizz/sicom/contacts", nil, bearer(token))
	assert.Equal(t, http.StatusUnauthorized, got.status, "expired token")
	assert.Contains(t, got.json(t)["message"], "expired")
}

func TestPrizzReferenceLists(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	token := prizzToken(t, ts)
	contacts := call(t, ts, "GET", "/prizz/sicom/contacts", nil, bearer(token))
	require.Equal(t, http.StatusOK, contacts.status)
	assert.Contains(t, string(contacts.body), `"idContact":7104`)
	ports := call(t, ts, "GET", "/prizz/sicom/interfaceLivraison", nil, bearer(token))
	require.Equal(t, http.StatusOK, ports.status)
	assert.Contains(t, string(ports.body), `"code":"PZ-BDX-ATL1-03"`)
	assert.Contains(t, string(ports.body), `"bandwidth_mb"`)
}

func TestPrizzL2Accepted(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	token := prizzToken(t, ts)
	got := call(t, ts, "POST", "/prizz/sicom/commande/l2", prizzL2Body(), bearer(token))
	require.Equal(t, http.StatusOK, got.status, "body: %s", got.body)
	m := got.json(t)
	assert.Equal(t, "OK", m["status"])
	ref := at(m, "object")["ref"].(string)
	assert.Regexp(t, `^CMD-L2-\d{6}$`, ref)

	orders := s.Orders()
	require.Len(t, orders, 1)
	assert.Equal(t, CarrierPrizz, orders[0].Carrier)
	assert.Equal(t, ref, orders[0].Reference)
	assert.Contains(t, string(orders[0].Body), "Clinique du Tondu")
}

func TestPrizzL2Validation(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	token := prizzToken(t, ts)
	ias := func(b map[string]any) map[string]any { return at(b, "infosActivationService") }
	tests := []struct {
		name   string
		mutate func(b map[string]any)
		want   string // in the message
	}{
		{"idOffre as string", func(b map[string]any) { b["idOffre"] = "2202" }, "idOffre"},
		{"unknown offer", func(b map[string]any) { b["idOffre"] = 9999 }, "idOffre"},
		{"option of another offer", func(b map[string]any) { b["idOptions"] = []any{41} }, "idOptions[0]"},
		{"GTR type", func(b map[string]any) { at(b, "contactsGTR", 0)["type"] = "H24" }, "contactsGTR[0].type"},
		{"GTR unknown contact", func(b map[string]any) { at(b, "contactsGTR", 1)["idContact"] = 1 }, "contactsGTR[1].idContact"},
		{"unknown follow contact", func(b map[string]any) { b["idContacts"] = []any{7101, 42} }, "idContacts[1]"},
		{"unknown order contact", func(b map[string]any) { b["idContactCommande"] = 42 }, "idContactCommande"},
		{"unknown port", func(b map[string]any) { ias(b)["refPorte"] = "PZ-XXX" }, "refPorte"},
		{"closed list spelling", func(b map[string]any) { ias(b)["porteLivraison"] = "flux tague c-vlan" }, "porteLivraison"},
		{"double tagged", func(b map[string]any) { ias(b)["siteUtilisateurFinal"] = "Flux double tagué" }, "siteUtilisateurFinal"},
		{"VLAN on untagged side", func(b map[string]any) { ias(b)["porteLivraison"] = "Flux non tagué" }, "nvlanPorte"},
		{"VLAN on QinQ side", func(b map[string]any) { ias(b)["siteUtilisateurFinal"] = "Transparence aux CVLAN (QinQ)" }, "nvlanSite"},
		{"VLAN 4095", func(b map[string]any) { ias(b)["nvlanSite"] = 4095 }, "nvlanSite"},
		{"VLAN as string", func(b map[string]any) { ias(b)["nvlanSite"] = "42" }, "nvlanSite"},
		{"address number as int", func(b map[string]any) { at(b, "adresse")["numero"] = 151 }, "numero"},
		{"no address", func(b map[string]any) { delete(b, "adresse") }, "adresse"},
		{"no client name", func(b map[string]any) { b["nomClient"] = " " }, "nomClient"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := clone(t, prizzL2Body())
			tt.mutate(body)
			got := call(t, ts, "POST", "/prizz/sicom/commande/l2", body, bearer(token))
			assert.Equal(t, http.StatusBadRequest, got.status, "body: %s", got.body)
			m := got.json(t)
			assert.Equal(t, "KO", m["status"])
			assert.Equal(t, float64(400), m["statusCode"])
			assert.Contains(t, m["message"], tt.want)
		})
	}
	assert.Empty(t, s.Orders())

	t.Run("untagged sides without VLAN and no options", func(t *testing.T) {
		body := clone(t, prizzL2Body())
		body["idOffre"], body["idOptions"] = 2201, []any{}
		delete(ias(body), "nvlanSite")
		delete(ias(body), "nvlanPorte")
		ias(body)["siteUtilisateurFinal"] = "Transparence aux CVLAN (QinQ)"
		ias(body)["porteLivraison"] = "Flux non tagué"
		body["idContactCommande"] = 7103
		got := call(t, ts, "POST", "/prizz/sicom/commande/l2", body, bearer(token))
		assert.Equal(t, http.StatusOK, got.status, "body: %s", got.body)
	})
}
