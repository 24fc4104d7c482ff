package carrier

import (
	"bytes"
	"slices"
	"strings"
)

// messageLimit bounds a carrier message copied into a result.
const messageLimit = 500

// primaryKeys name a carrier's main error text, most specific first (Netwo
// message/error/detail, Thinktel Exception.Message, Prizz legacy envelope
// object/status).
var primaryKeys = []string{"message", "errormessage", "error_description", "detail", "error", "title",
	"object", "description", "reason", "msg", "status"}

// detailKeys name lists of per-field problems appended to the main text.
var detailKeys = []string{"errors", "details", "violations", "fields"}

// fieldKeys name the field an error entry is about.
var fieldKeys = []string{"field", "property", "propertyPath", "path", "param", "loc"}

// ExtractMessage finds the carrier's explanation in an error body, whatever
// its dialect: Thinktel Exception{ID, Message}; Prizz legacy envelope
// {statusCode, status, object} or {message}; Netwo message / error / detail /
// errors (list or field map). A body that is not JSON is returned as trimmed
// text (HTML pages give ""). Credentials are masked; the result is truncated.
func ExtractMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	v, ok := decodeJSON(body)
	if !ok {
		if body[0] == '<' {
			return ""
		}
		return Truncate(strings.Join(strings.Fields(string(body)), " "), messageLimit)
	}
	msg := describe(maskValue(v, false), 0)
	if top, ok := v.(map[string]any); ok {
		if id, ok := lookup(top, "ID"); ok && msg != "" {
			if s := scalarText(id); s != "" {
				msg += " (error ID " + s + ")"
			}
		}
	}
	return Truncate(msg, messageLimit)
}

func describe(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case []any:
		var parts []string
		for _, e := range x[:min(len(x), 10)] {
			if s := describe(e, depth+1); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	case map[string]any:
		return describeObject(x, depth)
	}
	return ""
}

func describeObject(x map[string]any, depth int) string {
	var msg string
	for _, k := range primaryKeys {
		if val, ok := lookup(x, k); ok {
			if msg = describe(val, depth+1); msg != "" {
				break
			}
		}
	}
	var details string
	for _, k := range detailKeys {
		if val, ok := lookup(x, k); ok {
			if details = describe(val, depth+1); details != "" {
				break
			}
		}
	}
	if msg == "" && details == "" && depth > 0 {
		// A field map: {"idn": ["is invalid"], "did": "bad"}.
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var parts []string
		for _, k := range keys {
			if s := describe(x[k], depth+1); s != "" {
				parts = append(parts, k+": "+s)
			}
		}
		return strings.Join(parts, "; ")
	}
	switch {
	case msg == "":
		msg = details
	case details != "" && details != msg:
		msg += ": " + details
	}
	if msg != "" && depth > 0 {
		for _, k := range fieldKeys {
			if val, ok := lookup(x, k); ok {
				if f := scalarText(val); f != "" {
					return f + ": " + msg
				}
			}
		}
	}
	return msg
}
