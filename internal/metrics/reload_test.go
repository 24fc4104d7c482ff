package metrics

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// A configuration that could not be reloaded shows on /healthz and in
// orderdrop_config_reload_failures_total until a reload succeeds.
func TestConfigReloadFailureShowsOnHealth(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	m := New()
	m.PassDone(time.Now(), PassOK, nil, path)
	health := func() (int, string) {
		rec := httptest.NewRecorder()
		m.Health().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		return rec.Code, rec.Body.String()
	}
	code, _ := health()
	require.Equal(t, http.StatusOK, code)

	m.ConfigReload(errors.New("orderdrop.yaml: unknown key `inbx`"))
	code, body := health()
	assert.Equal(t, http.StatusServiceUnavailable, code, "got %d after a failed reload, want 503", code)
	assert.Contains(t, body, "the configuration could not be reloaded; the previous one is in force: orderdrop.yaml: unknown key `inbx`")
	got := reloadFailures(t, m)
	assert.Equal(t, 1.0, got, "got %v reload failures, want 1", got)

	m.ConfigReload(nil)
	code, body = health()
	assert.Equal(t, http.StatusOK, code, "a successful reload clears it: %s", strings.TrimSpace(body))
	assert.Equal(t, 1.0, reloadFailures(t, m), "a counter never goes down")
}

// reloadFailures reads orderdrop_config_reload_failures_total.
func reloadFailures(t *testing.T, m *Metrics) float64 {
	t.Helper()
	fams, err := m.Gatherer().Gather()
	require.NoError(t, err)
	for _, f := range fams {
		if f.GetName() == "orderdrop_config_reload_failures_total" {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatal("orderdrop_config_reload_failures_total not registered")
	return 0
}
