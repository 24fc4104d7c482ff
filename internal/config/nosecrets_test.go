package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadWithoutSecrets(t *testing.T) {
	yml := `timezone: America/Toronto
carriers:
  netwo:
    base_url: https://api.netwo.io/api/v1
    api_key: ${OD_TEST_UNSET_NETWO_KEY}
    actor_slug: ${OD_TEST_UNSET_NETWO_SLUG}
  prizz:
    base_url: https://x
  thinktel:
    base_url: https://y
    username: literal-user
    password: ${OD_TEST_SET_TT_PASSWORD}
`
	t.Setenv("OD_TEST_SET_TT_PASSWORD", "s3cret")
	path := filepath.Join(t.TempDir(), "orderdrop.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yml), 0o600))

	_, err := Load(path)
	require.Error(t, err, "run needs the credentials")

	cfg, err := LoadWithoutSecrets(path)
	require.NoError(t, err, "status needs none")
	assert.Equal(t, "America/Toronto", cfg.Location().String())
	assert.Equal(t, filepath.Join(filepath.Dir(path), "orderdrop.db"), cfg.Ledger)
	for key, s := range cfg.secrets() {
		assert.Empty(t, s.Value(), "%s: no secret is kept", key)
	}

	require.NoError(t, os.WriteFile(path, []byte("timezone: Mars/Olympus\n"), 0o600))
	_, err = LoadWithoutSecrets(path)
	assert.ErrorContains(t, err, "timezone", "everything else is still checked")
}
