package config

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/orderdrop/orderdrop/internal/config/secret"
)

// Secret is a credential (see package secret).
type Secret = secret.Secret

// NewSecret returns a Secret holding v (for tests and programmatic set-ups).
func NewSecret(v string) Secret { return secret.New(v) }

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
