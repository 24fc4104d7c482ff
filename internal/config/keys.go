package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agnivade/levenshtein"
	"github.com/orderdrop/orderdrop/internal/carrier/registry"
	"gopkg.in/yaml.v3"
)

// This file turns the YAML library's view of a configuration file into
// messages an operator can act on: the key's full path and line, the
// closest known key for a typo, and the kind of value expected, never a Go
// type name.

// valueAt is what a scalar on one line of the file was decoded into, to
// name it when the YAML library reports that line.
type valueAt struct {
	path string
	typ  reflect.Type
}

// keyChecker walks the YAML tree beside the Go type it decodes into.
type keyChecker struct {
	errs   []error
	values map[int]valueAt // by line
}

var (
	durationType    = reflect.TypeFor[time.Duration]()
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
)

// checkKeys reports every unknown key and every value of the wrong shape
// (a single value where keys or a list belong, and the reverse) under n,
// which decodes into t. It also writes a bare 0 given for a duration as 0s,
// which the YAML library would refuse. It returns what each line's scalar
// decodes into, for decodeError.
func checkKeys(n *yaml.Node, t reflect.Type) (map[int]valueAt, []error) {
	c := &keyChecker{values: map[int]valueAt{}}
	c.walk(n, t, "")
	return c.values, c.errs
}

func (c *keyChecker) fail(path string, line int, format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%w: %s (line %d): %s", ErrInvalid, path, line, fmt.Sprintf(format, args...)))
}

func (c *keyChecker) walk(n *yaml.Node, t reflect.Type, path string) {
	for n.Kind == yaml.DocumentNode || n.Kind == yaml.AliasNode {
		if n.Kind == yaml.DocumentNode {
			if len(n.Content) == 0 {
				return
			}
			n = n.Content[0]
		} else {
			n = n.Alias
		}
	}
	if n.Kind == 0 || n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty file or value: the defaults
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == carriersType {
		c.carriers(n, path)
		return
	}
	switch {
	case reflect.PointerTo(t).Implements(unmarshalerType) || t == durationType || t.Kind() != reflect.Struct && t.Kind() != reflect.Map && t.Kind() != reflect.Slice:
		c.scalar(n, t, path)
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			c.fail(path, n.Line, "must be a list, e.g. [a, b] or one \"- item\" per line")
			return
		}
		for i, e := range n.Content {
			c.walk(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	default: // struct or map: keys
		if n.Kind != yaml.MappingNode {
			what := "a single value"
			if n.Kind == yaml.SequenceNode {
				what = "a list"
			}
			c.fail(path, n.Line, "must hold keys (indented on the lines below), not %s", what)
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			sub := k.Value
			if path != "" {
				sub = path + "." + k.Value
			}
			if t.Kind() == reflect.Map {
				c.walk(v, t.Elem(), sub)
				continue
			}
			ft, ok := fieldType(t, k.Value)
			if !ok {
				c.errs = append(c.errs, unknownKey(sub, k, yamlKeys(t)))
				continue
			}
			c.walk(v, ft, sub)
		}
	}
}

// scalar checks that n is a single value and remembers what it decodes into.
func (c *keyChecker) scalar(n *yaml.Node, t reflect.Type, path string) {
	switch n.Kind {
	case yaml.SequenceNode:
		c.fail(path, n.Line, "must be a single value, not a list")
		return
	case yaml.MappingNode:
		c.fail(path, n.Line, "must be a single value, not keys")
		return
	}
	if t == durationType && n.Value == "0" {
		n.Tag, n.Value = "!!str", "0s"
	}
	c.values[n.Line] = valueAt{path: path, typ: t}
}

// unknownKey says which key is unknown, where, and the closest known one.
func unknownKey(path string, k *yaml.Node, known []string) error {
	msg := fmt.Sprintf("unknown key `%s` (line %d)", path, k.Line)
	if best := closest(k.Value, known); best != "" {
		msg += fmt.Sprintf(": did you mean `%s`?", best)
	} else {
		msg += "; the keys here are " + strings.Join(known, ", ")
	}
	return fmt.Errorf("%w: %s", ErrInvalid, msg)
}

// closest returns the known key nearest to key when it is near enough to
// be a typo of it, else "".
func closest(key string, known []string) string {
	best, bestDist := "", len(key)/4+2
	for _, k := range known {
		if d := levenshtein.ComputeDistance(key, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// fieldType returns the type of t's field whose YAML key is key, looking
// into inlined structs.
func fieldType(t reflect.Type, key string) (reflect.Type, bool) {
	for f := range fields(t) {
		if f.name == key {
			return f.typ, true
		}
	}
	return nil, false
}

// yamlKeys lists t's YAML keys, sorted.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for f := range fields(t) {
		keys = append(keys, f.name)
	}
	slices.Sort(keys)
	return keys
}

type yamlField struct {
	name string
	typ  reflect.Type
}

// fields yields the YAML keys of struct t with their types, inlined
// structs' keys included, "-" fields left out.
func fields(t reflect.Type) func(func(yamlField) bool) {
	return func(yield func(yamlField) bool) {
		for f := range t.Fields() {
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("yaml")
			name, opts, _ := strings.Cut(tag, ",")
			if name == "-" {
				continue
			}
			if strings.Contains(opts, "inline") {
				for g := range fields(f.Type) {
					if !yield(g) {
						return
					}
				}
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			if !yield(yamlField{name: name, typ: f.Type}) {
				return
			}
		}
	}
}

// typeErrorLine is one line of a *yaml.TypeError:
// "line 3: cannot unmarshal !!str `many` into int".
var typeErrorLine = regexp.MustCompile("^line ([0-9]+): cannot unmarshal !!\\w+ `(.*)` into ")

// decodeError rewrites an error of the YAML library in the operator's
// words: the key and line, and the kind of value expected.
func decodeError(err error, values map[int]valueAt) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var errs []error
	for _, e := range te.Errors {
		m := typeErrorLine.FindStringSubmatch(e)
		if m == nil {
			errs = append(errs, fmt.Errorf("%w: %s", ErrInvalid, plainYAML(e)))
			continue
		}
		line, _ := strconv.Atoi(m[1])
		v, ok := values[line]
		if !ok {
			errs = append(errs, fmt.Errorf("%w: line %d: %s is not a valid value here", ErrInvalid, line, m[2]))
			continue
		}
		errs = append(errs, fmt.Errorf("%w: %s (line %d): %s is not %s", ErrInvalid, v.path, line, m[2], expected(v.typ)))
	}
	return errors.Join(errs...)
}

// plainYAML drops what names a Go type from a YAML library message.
func plainYAML(msg string) string {
	if i := strings.Index(msg, " into "); i >= 0 {
		msg = msg[:i] + ": wrong kind of value"
	}
	return strings.ReplaceAll(msg, "cannot unmarshal ", "cannot read ")
}

// expected describes, for an operator, the values of type t.
func expected(t reflect.Type) string {
	if t == durationType {
		return "a duration such as 30s, 5m or 1h"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	}
	return "a valid value here"
}

// carriersType is Carriers, whose keys are the registered carriers.
var carriersType = reflect.TypeFor[Carriers]()

// carriers checks the keys of carriers: each a registered carrier, its
// section checked as its package declares it.
func (c *keyChecker) carriers(n *yaml.Node, path string) {
	if n.Kind != yaml.MappingNode {
		what := "a single value"
		if n.Kind == yaml.SequenceNode {
			what = "a list"
		}
		c.fail(path, n.Line, "must hold keys (indented on the lines below), not %s", what)
		return
	}
	known := slices.Sorted(slices.Values(registry.Carriers.Names()))
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		sub := path + "." + k.Value
		t, ok := carrierSectionType(k.Value)
		if !ok {
			c.errs = append(c.errs, unknownKey(sub, k, known))
			continue
		}
		c.walk(v, t, sub)
	}
}
