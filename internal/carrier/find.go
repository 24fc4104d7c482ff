package carrier

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
)

// quoteLimit bounds a response body quoted in a result message.
const quoteLimit = 300

// decodeJSON parses body keeping numbers exact; ok is false when it is not JSON.
func decodeJSON(body []byte) (any, bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, false
	}
	return v, true
}

// lookup finds key in m: exact match first, then case-insensitively.
func lookup(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic when several keys fold alike
	for _, k := range keys {
		if equalFold(k, key) {
			return m[k], true
		}
	}
	return nil, false
}

func equalFold(a, b string) bool { return normKey(a) == normKey(b) }

// levels returns the objects a tolerant lookup searches: the top-level object
// (or the first object of a top-level array), then the objects one wrapper
// down (object values, and the first object of array values), keys sorted.
func levels(v any) [][]map[string]any {
	top := firstObject(v)
	if top == nil {
		return nil
	}
	var inner []map[string]any
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if o := firstObject(top[k]); o != nil {
			inner = append(inner, o)
		}
	}
	return [][]map[string]any{{top}, inner}
}

func firstObject(v any) map[string]any {
	switch x := v.(type) {
	case map[string]any:
		return x
	case []any:
		for _, e := range x {
			if o, ok := e.(map[string]any); ok {
				return o
			}
		}
	}
	return nil
}

// FindString looks for the first of keys (tried in order, case-insensitively)
// in a JSON body, at the top level or inside one wrapper object or array, and
// returns its value as text (strings as is, numbers in decimal). Empty values
// do not count.
func FindString(body []byte, keys ...string) (string, bool) {
	v, ok := decodeJSON(body)
	if !ok {
		return "", false
	}
	lv := levels(v)
	for _, key := range keys {
		for _, objs := range lv {
			for _, o := range objs {
				if val, ok := lookup(o, key); ok {
					if s := scalarText(val); s != "" {
						return s, true
					}
				}
			}
		}
	}
	return "", false
}

func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// FindArray returns the elements of the list in a JSON body: the body itself
// when it is an array, else the first of keys holding an array at the top
// level or one wrapper down, else the only array-valued field of the top
// object. ok is false when no list is found.
func FindArray(body []byte, keys ...string) ([]json.RawMessage, bool) {
	v, ok := decodeJSON(body)
	if !ok {
		return nil, false
	}
	arr, ok := findArray(v, keys)
	if !ok {
		return nil, false
	}
	out := make([]json.RawMessage, 0, len(arr))
	for _, e := range arr {
		b, err := json.Marshal(e)
		if err != nil {
			return nil, false
		}
		out = append(out, b)
	}
	return out, true
}

func findArray(v any, keys []string) ([]any, bool) {
	if a, ok := v.([]any); ok {
		return a, true
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	for _, key := range keys {
		if val, ok := lookup(top, key); ok {
			if a, ok := val.([]any); ok {
				return a, true
			}
			if o, ok := val.(map[string]any); ok {
				if a, ok := findArray(o, keys); ok {
					return a, true
				}
			}
		}
	}
	var only []any
	n := 0
	for _, val := range top {
		if a, ok := val.([]any); ok {
			only = a
			n++
		}
	}
	return only, n == 1
}

// Quote returns a response body fit for a result message: credentials
// masked, compact, truncated.
func Quote(body []byte) string {
	q := MaskSecrets(body, quoteLimit)
	if q == "" {
		return "(empty body)"
	}
	return q
}
