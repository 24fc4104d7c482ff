package config

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryBackoff(t *testing.T) {
	tests := []struct {
		name string
		yml  string
		want []time.Duration // wait after the 1st, 2nd… kept pass
	}{
		{"defaults", "", []time.Duration{5 * time.Minute, 10 * time.Minute, 20 * time.Minute, 40 * time.Minute, time.Hour, time.Hour}},
		{"bounds", "retry:\n  min_wait: 1m\n  max_wait: 3m\n", []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute, 3 * time.Minute}},
		{"zero means every pass", "retry:\n  min_wait: 0s\n", []time.Duration{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.yml), "/x", env(nil))
			require.NoError(t, err)
			for i, want := range tt.want {
				assert.Equal(t, want, cfg.Retry.Backoff(i+1), "attempt %d", i+1)
			}
		})
	}
	_, err := Parse([]byte("retry:\n  min_wait: 2h\n  max_wait: 1h\n"), "/x", env(nil))
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "retry")
}

func TestCredentialsHintNamesKeysAndEnvironment(t *testing.T) {
	yml := "carriers:\n  thinktel:\n    base_url: https://x\n    username: ${TT_USER}\n    password: ${TT_PASSWORD}\n  prizz:\n    base_url: https://y\n    email: ops@x.example\n    password: ${PZ_PW}\n"
	cfg, err := Parse([]byte(yml), "/x", env(map[string]string{"TT_USER": "u", "TT_PASSWORD": "secret-pw", "PZ_PW": "pz"}))
	require.NoError(t, err)
	got := cfg.CredentialsHint("thinktel")
	assert.Equal(t, "carriers.thinktel.username and carriers.thinktel.password (environment variables TT_USER, TT_PASSWORD)", got)
	assert.NotContains(t, got, "secret-pw")
	assert.Equal(t, "carriers.prizz.email and carriers.prizz.password (environment variables PZ_PW)", cfg.CredentialsHint("prizz"))
}
