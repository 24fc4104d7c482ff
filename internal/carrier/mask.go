package carrier

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Masked is what replaces a secret or a piece of personal data in logs.
const Masked = "***"

// secretKeys are JSON keys (lower case, without '_' and '-') whose values are
// credentials: always masked, in logs and in quoted bodies.
var secretKeys = []string{"mdp", "password", "passwd", "pwd", "motdepasse", "token", "accesstoken",
	"refreshtoken", "idtoken", "apikey", "xapikey", "secret", "clientsecret", "authorization",
	"sippassword", "webselfcarepassword", "jwt", "bearer", "actorslug"}

// personalKeys are JSON keys (same normalisation) holding personal data:
// masked in logs. Keys starting with numtel or contact are masked as well.
var personalKeys = []string{"email", "mail", "emailaddress", "additionalemailaddresses", "faxemail",
	"phone", "telephone", "tel", "mobile", "submitterphonenumber", "submitterfirstname",
	"submitterlastname", "name", "nom", "prenom", "nomclient", "customername", "endusername",
	"firstname", "lastname", "callername", "horaires"}

var emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// keySeparators drops what tells "api_key", "api-key" and "Api Key" apart;
// built once (a Replacer is safe for concurrent use).
var keySeparators = strings.NewReplacer("_", "", "-", "", " ", "")

func normKey(k string) string {
	return keySeparators.Replace(strings.ToLower(k))
}

func isSecretKey(k string) bool {
	n := normKey(k)
	return slices.Contains(secretKeys, n) || strings.Contains(n, "password") ||
		strings.Contains(n, "token") || strings.Contains(n, "secret") || strings.HasSuffix(n, "apikey")
}

func isPersonalKey(k string) bool {
	n := normKey(k)
	return slices.Contains(personalKeys, n) || strings.HasPrefix(n, "numtel") ||
		strings.HasPrefix(n, "contact") || strings.Contains(n, "email") || strings.Contains(n, "phone")
}

// MaskHeaders returns a copy of h safe to log: credentials replaced by ***.
func MaskHeaders(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if isSecretHeader(k) {
			out[k] = []string{Masked}
			continue
		}
		out[k] = slices.Clone(vs)
	}
	return out
}

func isSecretHeader(k string) bool {
	n := normKey(k)
	return n == "authorization" || n == "proxyauthorization" || n == "cookie" || n == "setcookie" ||
		strings.Contains(n, "key") || strings.Contains(n, "token") || strings.Contains(n, "secret") ||
		strings.Contains(n, "password") || strings.Contains(n, "slug") // Netwo's X-Actor-Slug is a credential
}

// MaskBody returns body safe to log: in JSON, values of credential keys and
// of personal-data keys (e-mails, phone numbers, names, contacts) become ***,
// Base64Contents becomes "<N bytes>", and e-mail addresses anywhere are
// masked. A non-JSON body only has its e-mail addresses masked. The result is
// truncated to limit bytes (0 = no limit).
func MaskBody(body []byte, limit int) string {
	return maskBody(body, true, limit)
}

// MaskSecrets is MaskBody for text shown to operators (result messages):
// only credentials and attachment contents are masked.
func MaskSecrets(body []byte, limit int) string {
	return maskBody(body, false, limit)
}

func maskBody(body []byte, personal bool, limit int) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var out string
	if err := dec.Decode(&v); err == nil && !dec.More() {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(maskValue(v, personal)); err != nil {
			out = "<unprintable JSON>"
		} else {
			out = strings.TrimSuffix(buf.String(), "\n")
		}
	} else {
		out = string(body)
	}
	if personal {
		out = emailRE.ReplaceAllString(out, Masked)
	}
	return Truncate(out, limit)
}

func maskValue(v any, personal bool) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, val := range x {
			switch {
			case isSecretKey(k):
				m[k] = Masked
			case normKey(k) == "base64contents":
				m[k] = base64Size(val)
			case personal && isPersonalKey(k):
				m[k] = Masked
			default:
				m[k] = maskValue(val, personal)
			}
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = maskValue(e, personal)
		}
		return s
	}
	return v
}

func base64Size(v any) string {
	s, _ := v.(string)
	if n, err := base64.StdEncoding.DecodeString(s); err == nil {
		return fmt.Sprintf("<%d bytes>", len(n))
	}
	return fmt.Sprintf("<%d base64 chars>", len(s))
}

// Truncate shortens s to at most limit bytes (on a rune boundary), marking
// the cut with "…"; limit 0 means no limit.
func Truncate(s string, limit int) string {
	if limit <= 0 || len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
