package config

import (
	"fmt"
	"os"
	"path/filepath"
)

// LoadWithoutSecrets reads and checks the configuration file at path like
// Load, for commands that never reach a carrier (status): carrier
// credentials are not read from the environment, not required, and every
// Secret is left empty. Everything else is checked as Load checks it.
func LoadWithoutSecrets(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: read %s: %w", ErrInvalid, path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	cfg, err := parse(data, filepath.Dir(abs), os.LookupEnv, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}
