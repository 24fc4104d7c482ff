package metrics

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestTextfileIsWrittenAndParses(t *testing.T) {
	m := New()
	m.Order("l2", "prizz", "accepted")
	m.Order("l2", "prizz", "accepted")
	m.Order("fr-port", "netwo", "in_doubt")
	m.Rows(map[string]int{"submitted": 2, "invalid": 3})
	m.Retry("netwo", "http_429")
	m.Folders(map[string]int{FolderInbox: 1})
	m.Ledger(1, 4096)
	m.PassDone(time.Unix(1_800_000_000, 0), PassAttention, nil, "")

	path := filepath.Join(t.TempDir(), "orderdrop.prom")
	require.NoError(t, m.WriteTextfile(path))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(f)
	require.NoError(t, err)
	value := func(name string, labels map[string]string) float64 {
		t.Helper()
		fam := fams[name]
		require.NotNil(t, fam, name)
	next:
		for _, mt := range fam.GetMetric() {
			for _, lp := range mt.GetLabel() {
				if v, ok := labels[lp.GetName()]; ok && v != lp.GetValue() {
					continue next
				}
			}
			if c := mt.GetCounter(); c != nil {
				return c.GetValue()
			}
			return mt.GetGauge().GetValue()
		}
		t.Fatalf("%s%v not found", name, labels)
		return 0
	}
	tests := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"orderdrop_orders_total", map[string]string{"kind": "l2", "carrier": "prizz", "outcome": "accepted"}, 2},
		{"orderdrop_orders_total", map[string]string{"kind": "fr-port", "outcome": "in_doubt"}, 1},
		{"orderdrop_rows_total", map[string]string{"status": "invalid"}, 3},
		{"orderdrop_carrier_retries_total", map[string]string{"carrier": "netwo", "cause": "http_429"}, 1},
		{"orderdrop_files", map[string]string{"folder": "inbox"}, 1},
		{"orderdrop_files", map[string]string{"folder": "failed"}, 0},
		{"orderdrop_orders_in_doubt", nil, 1},
		{"orderdrop_ledger_size_bytes", nil, 4096},
		{"orderdrop_passes_total", map[string]string{"result": "attention"}, 1},
		{"orderdrop_last_success_timestamp_seconds", nil, 1_800_000_000},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, value(tt.name, tt.labels), "%s %v", tt.name, tt.labels)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left beside the textfile")
}

func TestHealth(t *testing.T) {
	ledger := filepath.Join(t.TempDir(), "orderdrop.db")
	require.NoError(t, os.WriteFile(ledger, nil, 0o600))
	tests := []struct {
		name     string
		setup    func(m *Metrics)
		wantCode int
		wantBody string
	}{
		{"before any pass", func(*Metrics) {}, 503, "no pass has finished yet"},
		{"last pass ok", func(m *Metrics) { m.PassDone(time.Now(), PassOK, nil, ledger) }, 200, "ok: last pass ended"},
		{"attention is still healthy", func(m *Metrics) { m.PassDone(time.Now(), PassAttention, nil, ledger) }, 200, "ok"},
		{"last pass failed", func(m *Metrics) {
			m.PassDone(time.Now(), PassOK, nil, ledger)
			m.PassDone(time.Now(), PassFailed, errors.New("another orderdrop is using the ledger"), ledger)
		}, 503, "the last pass failed: another orderdrop is using the ledger"},
		{"ledger missing", func(m *Metrics) { m.PassDone(time.Now(), PassOK, nil, ledger+".gone") }, 503, "is not writable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New()
			tt.setup(m)
			rec := httptest.NewRecorder()
			m.Mux().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
			assert.Equal(t, tt.wantCode, rec.Code)
			assert.Contains(t, rec.Body.String(), tt.wantBody)
		})
	}
}

func TestTransportTimesAttempts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	t.Cleanup(srv.Close)
	m := New()
	c := &http.Client{Transport: m.Transport("thinktel", http.DefaultTransport)}
	resp, err := c.Get(srv.URL)
	require.NoError(t, err)
	resp.Body.Close()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	assert.Contains(t, rec.Body.String(), `orderdrop_carrier_request_duration_seconds_count{carrier="thinktel",code="418"} 1`)
}

// The sample alert rules and dashboard name only metrics that exist.
func TestSamplesUseKnownMetrics(t *testing.T) {
	m := New()
	// Vectors appear once they have a child.
	m.Order("l2", "prizz", "accepted")
	m.Rows(map[string]int{"submitted": 1})
	m.Retry("prizz", "http_503")
	m.latency.WithLabelValues("prizz", "200").Observe(0.1)
	fams, err := m.Gatherer().Gather()
	require.NoError(t, err)
	known := map[string]bool{}
	for _, f := range fams {
		known[f.GetName()] = true
	}
	names := regexp.MustCompile(`orderdrop_[a-z_]+`)
	dir := filepath.Join("..", "..", "samples", "monitoring")
	alerts, err := os.ReadFile(filepath.Join(dir, "orderdrop-alerts.yml"))
	require.NoError(t, err)
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	require.NoError(t, yaml.Unmarshal(alerts, &rules))
	require.NotEmpty(t, rules.Groups)
	dash, err := os.ReadFile(filepath.Join(dir, "orderdrop-dashboard.json"))
	require.NoError(t, err)
	n := 0
	for _, text := range []string{string(alerts), string(dash)} {
		for _, name := range names.FindAllString(text, -1) {
			base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_count"), "_sum")
			assert.True(t, known[base], "unknown metric %s in the samples", name)
			n++
		}
	}
	assert.Greater(t, n, 20)
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			assert.NotEmpty(t, r.Alert)
			assert.NotEmpty(t, r.Expr, r.Alert)
		}
	}
}

// Served on loopback, /metrics and /healthz answer only requests addressed
// to this machine: a web page whose name resolves to 127.0.0.1 (DNS
// rebinding) cannot read them. On another address any Host is served.
func TestHandlerForRefusesOtherHostsOnLoopback(t *testing.T) {
	tests := []struct {
		addr, host string
		want       int
	}{
		{"127.0.0.1:9464", "127.0.0.1:9464", http.StatusOK},
		{"127.0.0.1:9464", "localhost:9464", http.StatusOK},
		{"127.0.0.1:9464", "evil.example:9464", http.StatusMisdirectedRequest},
		{"127.0.0.1:9464", "evil.example", http.StatusMisdirectedRequest},
		{"localhost:9464", "evil.example", http.StatusMisdirectedRequest},
		{"[::1]:9464", "evil.example", http.StatusMisdirectedRequest},
		{"0.0.0.0:9464", "monitor.example:9464", http.StatusOK},
		{":9464", "monitor.example:9464", http.StatusOK},
	}
	m := New()
	m.PassDone(time.Now(), PassOK, nil, "")
	for _, tt := range tests {
		for _, path := range []string{"/metrics", "/healthz"} {
			t.Run(tt.addr+" "+tt.host+path, func(t *testing.T) {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Host = tt.host
				rec := httptest.NewRecorder()
				m.HandlerFor(tt.addr).ServeHTTP(rec, req)
				assert.Equal(t, tt.want, rec.Code, "got %d want %d", rec.Code, tt.want)
				if tt.want != http.StatusOK {
					assert.NotContains(t, rec.Body.String(), "orderdrop_")
					assert.NotContains(t, rec.Body.String(), "ok:")
				}
			})
		}
	}
}
