// Package secret holds a credential read from the configuration: written
// as a ${ENV_VAR} reference, expanded once, never printed.
package secret

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Secret is a credential. In YAML it is written as a ${ENV_VAR} reference
// (a literal value is accepted only in a file that only its owner can read,
// with a warning); it prints as "***" so that it never reaches a log, a
// report or an error message.
type Secret struct {
	raw     string
	value   string
	missing bool // an environment variable it refers to is not set (reported by Expand)
}

// UnmarshalYAML keeps the raw text; Load expands it.
func (s *Secret) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return errors.New("a secret must be a string such as ${NETWO_API_KEY}")
	}
	s.raw = n.Value
	return nil
}

// Value returns the secret's clear text, for the one place that sends it.
func (s Secret) Value() string { return s.value }

// String hides the value.
func (s Secret) String() string {
	if s.value == "" {
		return ""
	}
	return "***"
}

// GoString hides the value from %#v too.
func (s Secret) GoString() string { return s.String() }

// New returns a Secret holding v (for tests and programmatic set-ups).
func New(v string) Secret { return Secret{raw: v, value: v} }

// Raw returns a Secret written as text, to be expanded by Expand.
func Raw(text string) Secret { return Secret{raw: text} }

// Unset reports whether the secret has no value for a reason not reported
// yet: a missing environment variable is reported by Expand, once.
func (s *Secret) Unset() bool { return s.value == "" && !s.missing }

// Literal reports whether the secret is written in the file itself rather
// than taken from the environment with a ${VAR} reference.
func (s *Secret) Literal() bool {
	if s.raw == "" {
		return false
	}
	referenced := false
	os.Expand(s.raw, func(string) string { referenced = true; return "" })
	return !referenced
}

// Expand replaces the secret's ${VAR} references with lookup's values; a
// variable lookup does not know is named in the error.
func (s *Secret) Expand(lookup func(string) (string, bool)) error {
	var missing []string
	s.value = os.Expand(s.raw, func(name string) string {
		v, ok := lookup(name)
		if !ok {
			missing = append(missing, name)
		}
		return v
	})
	if len(missing) > 0 {
		s.missing = true
		return fmt.Errorf("environment variable %s is not set: export it before starting orderdrop", strings.Join(missing, ", "))
	}
	return nil
}

// EnvVars returns the environment variables the secret is read from (its
// ${VAR} references), for messages that say where to fix it; nil for a
// literal value.
func (s Secret) EnvVars() []string {
	var names []string
	os.Expand(s.raw, func(name string) string {
		names = append(names, name)
		return ""
	})
	return names
}
