package config

import (
	"errors"
	"fmt"
	"os"
	"runtime"
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
	missing bool // an environment variable it refers to is not set (reported by expand)
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

// unset reports whether the secret has no value for a reason not reported
// yet: a missing environment variable is reported by expand, once.
func (s *Secret) unset() bool { return s.value == "" && !s.missing }

// literal reports whether the secret is written in the file itself rather
// than taken from the environment with a ${VAR} reference.
func (s *Secret) literal() bool {
	if s.raw == "" {
		return false
	}
	referenced := false
	os.Expand(s.raw, func(string) string { referenced = true; return "" })
	return !referenced
}

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
		s.missing = true
		return fmt.Errorf("environment variable %s is not set: export it before starting orderdrop", strings.Join(missing, ", "))
	}
	return nil
}

// checkLiteralSecrets refuses a credential written in the configuration
// file at path unless only the file's owner can read it, and even then
// adds a warning recommending a ${VAR} reference. Windows has no such mode
// bits: there only the warning is given.
func (c *Config) checkLiteralSecrets(path string) error {
	if len(c.literalSecrets) == 0 {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	private := runtime.GOOS == "windows" || fi.Mode().Perm()&0o077 == 0
	var errs []error
	for _, key := range c.literalSecrets {
		ref := "${" + envName(key) + "}"
		if !private {
			errs = append(errs, fmt.Errorf("%w: %s: a credential is written in %s, which other users can read (mode %04o): run `chmod 600 %s`, or better write %s there and set that environment variable",
				ErrInvalid, key, path, fi.Mode().Perm(), path, ref))
			continue
		}
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s is written in the configuration file; prefer %s with the value in the environment (README, Production set-up)", key, ref))
	}
	return errors.Join(errs...)
}

// envName is the environment variable the README suggests for a
// credential key: carriers.netwo.api_key → NETWO_API_KEY.
func envName(key string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimPrefix(key, "carriers."), ".", "_"))
}
