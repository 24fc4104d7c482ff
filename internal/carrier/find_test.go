package carrier

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFindString(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		keys   []string
		want   string
		wantOK bool
	}{
		{"top level", `{"cart_id":"c-1"}`, []string{"cart_id"}, "c-1", true},
		{"number", `{"cart_id":12345678901234567}`, []string{"cart_id"}, "12345678901234567", true},
		{"wrapper object", `{"data":{"cart_id":"c-2"}}`, []string{"cart_id"}, "c-2", true},
		{"wrapper array", `{"lines":[{"cart_line_id":"l-1"},{"cart_line_id":"l-2"}]}`, []string{"cart_line_id"}, "l-1", true},
		{"top array", `[{"cart_line_id":"l-3"}]`, []string{"cart_line_id"}, "l-3", true},
		{"case and separators", `{"object":{"Ref":"CMD-9"}}`, []string{"ref"}, "CMD-9", true},
		{"first key wins over a shallower second key", `{"id":"x","order":{"order_id":"o-1"}}`, []string{"order_id", "id"}, "o-1", true},
		{"fallback key", `{"id":"o-2"}`, []string{"order_id", "id"}, "o-2", true},
		{"two wrappers deep is not searched", `{"a":{"b":{"ref":"deep"}}}`, []string{"ref"}, "", false},
		{"empty value", `{"ref":""}`, []string{"ref"}, "", false},
		{"not JSON", `created`, []string{"ref"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FindString([]byte(tt.body), tt.keys...)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFindArray(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		keys    []string
		wantLen int
		wantOK  bool
	}{
		{"bare array", `[{"idContact":1},{"idContact":2}]`, nil, 2, true},
		{"legacy envelope", `{"statusCode":200,"status":"OK","object":[{"idContact":1}]}`, []string{"object"}, 1, true},
		{"only array field", `{"total":3,"items":[1,2,3]}`, nil, 3, true},
		{"no array", `{"a":1}`, nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FindArray([]byte(tt.body), tt.keys...)
			assert.Equal(t, tt.wantOK, ok)
			assert.Len(t, got, tt.wantLen)
		})
	}
}

func TestExtractMessage(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"empty", ``, ""},
		{"thinktel exception", `{"ID":"7f3","Message":"Invalid PilotNumber"}`, "Invalid PilotNumber (error ID 7f3)"},
		{"prizz envelope", `{"statusCode":400,"status":"Bad Request","object":"idOffre inconnu"}`, "idOffre inconnu"},
		{"prizz envelope object message", `{"statusCode":400,"status":"KO","object":{"message":"adresse incomplète"}}`, "adresse incomplète"},
		{"prizz message", `{"message":"Token expiré"}`, "Token expiré"},
		{"netwo error", `{"error":"cart not found"}`, "cart not found"},
		{"netwo detail", `{"title":"Bad Request","detail":"wanted_date too early"}`, "wanted_date too early"},
		{"errors list", `{"errors":[{"field":"idn","message":"required"},{"field":"did","message":"bad"}]}`, "idn: required; did: bad"},
		{"errors map", `{"message":"Invalid","errors":{"zip_code":["5 digits"],"city":"required"}}`, "Invalid: city: required; zip_code: 5 digits"},
		{"plain text", "  Service   Unavailable \n", "Service Unavailable"},
		{"html", `<html><body>502</body></html>`, ""},
		{"secret echoed back", `{"message":"bad login","mdp":"hunter2"}`, "bad login"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ExtractMessage([]byte(tt.body)))
		})
	}
}

func TestMaskBody(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"credentials", `{"email":"a@b.fr","mdp":"pw"}`, `{"email":"***","mdp":"***"}`},
		{"nested personal", `{"contact":{"name":"Jo","email":"j@x.fr","phone":"+33601020304"},"cart_id":"c"}`, `{"cart_id":"c","contact":"***"}`},
		{"prizz phones", `{"numTel1":"0102030405","idContact":4}`, `{"idContact":4,"numTel1":"***"}`},
		{"attachment", `{"Base64Contents":"aGVsbG8="}`, `{"Base64Contents":"<5 bytes>"}`},
		{"free-text e-mail", `{"commentaire":"écrire à bob@site.fr"}`, `{"commentaire":"écrire à ***"}`},
		{"not json", `token=abc mail x@y.com`, `token=abc mail ***`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, MaskBody([]byte(tt.body), 0))
		})
	}
}

func TestMaskSecretsKeepsBusinessData(t *testing.T) {
	got := MaskSecrets([]byte(`{"accessToken":"t0k","ref":"CMD-1","nom":"Dupont"}`), 0)
	assert.Equal(t, `{"accessToken":"***","nom":"Dupont","ref":"CMD-1"}`, got)
	assert.Equal(t, "abcdef…", Truncate("abcdefghij", 6))
}
