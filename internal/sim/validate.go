package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// fieldErrors collects "field → why" problems of one request.
type fieldErrors map[string]string

func (e fieldErrors) add(field, why string) {
	if _, dup := e[field]; !dup {
		e[field] = why
	}
}

// requireString records a missing or blank string.
func (e fieldErrors) requireString(field string, v *string) bool {
	if v == nil || strings.TrimSpace(*v) == "" {
		e.add(field, "required")
		return false
	}
	return true
}

// summary joins the problems in field order, for one-line messages.
func (e fieldErrors) summary() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+e[k])
	}
	return strings.Join(parts, "; ")
}

// readBody reads the whole request body (bounded).
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if len(b) > maxBody {
		return nil, fmt.Errorf("body larger than %d bytes", maxBody)
	}
	return b, nil
}

// decodeStrict decodes one JSON value into v and explains type errors with
// the field path, the way a typed server-side binder would.
func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errors.New("empty body: a JSON object is required")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if field == "" {
				field = "(root)"
			}
			return fmt.Errorf("%s: expected %s, got JSON %s", field, te.Type.String(), te.Value)
		}
		return fmt.Errorf("malformed JSON: %w", err)
	}
	if dec.More() {
		return errors.New("malformed JSON: trailing data after the object")
	}
	return nil
}

// digits reports whether s is exactly n ASCII digits (any length when n = 0).
func digits(s string, n int) bool {
	if s == "" || (n > 0 && len(s) != n) {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// looksLikeEmail is a deliberately loose check: one @ with text both sides
// and a dot in the domain.
func looksLikeEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && !strings.ContainsAny(s, " \t") && !strings.Contains(domain, "@") &&
		strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}
