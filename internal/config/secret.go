package config

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Secret is a credential. In YAML it is written as a ${ENV_VAR} reference
// (a literal value is accepted but discouraged); it prints as "***" so that
// it never reaches a log, a report or an error message.
type Secret struct {
	raw   string
	value string
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

// NewSecret returns a Secret holding v (for tests and programmatic set-ups).
func NewSecret(v string) Secret { return Secret{raw: v, value: v} }

func (s *Secret) expand(lookup func(string) (string, bool)) error {
	var missing []string
	s.value = os.Expand(s.raw, func(name string) string {
		v, ok := lookup(name)
		if !ok {
			missing = append(missing, name)
		}
		return v
	})
	if len(missing) > 0 {
		return fmt.Errorf("environment variable %s is not set: export it before starting orderdrop", strings.Join(missing, ", "))
	}
	return nil
}
