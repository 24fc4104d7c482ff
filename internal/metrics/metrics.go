// Package metrics holds orderdrop's Prometheus metrics: what the passes
// ordered and how the carriers answered, the state of the folders and of the
// ledger, and the health of the last pass. The daemon serves them over HTTP
// (Handler, Health); `orderdrop run` writes them to a node_exporter textfile
// (WriteTextfile).
package metrics

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"

	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/sheet"
	"github.com/orderdrop/orderdrop/internal/web"
)

// Folders whose files are counted (label "folder" of orderdrop_files).
const (
	FolderInbox      = "inbox"
	FolderProcessing = "processing"
	FolderFailed     = "failed"
)

// Metrics is one set of orderdrop metrics on its own registry. It is safe
// for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	orders      *prometheus.CounterVec
	rows        *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	retries     *prometheus.CounterVec
	passes      *prometheus.CounterVec
	inDoubt     prometheus.Gauge
	files       *prometheus.GaugeVec
	lastPass    prometheus.Gauge
	lastSuccess prometheus.Gauge
	ledgerBytes prometheus.Gauge
	// configReloadFailures counts the reloads (SIGHUP) refused because the
	// configuration file was broken.
	configReloadFailures prometheus.Counter

	mu        sync.Mutex // guards the health fields
	reloadErr string     // "" = the last reload succeeded (or none was asked)
	ran       bool
	passErr   string // "" = the last pass succeeded
	ledger    string // ledger path checked by Health
	lastDone  time.Time
}

// New returns the metrics, registered on a fresh registry with the Go and
// process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		orders: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "orderdrop_orders_total",
			Help: "Orders sent to a carrier, by kind, carrier and outcome (accepted, rejected, retryable, in_doubt, …)."},
			[]string{"kind", "carrier", "outcome"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "orderdrop_rows_total",
			Help: "Report rows written, by status."}, []string{"status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "orderdrop_carrier_request_duration_seconds",
			Help:    "Time from sending each HTTP attempt to a carrier to its answer's headers, by carrier and answer (HTTP status, or error).",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}}, []string{"carrier", "code"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "orderdrop_carrier_retries_total",
			Help: "Carrier requests sent again, by carrier and cause (http_429, http_503, http_5xx, not_sent, after_write)."},
			[]string{"carrier", "cause"}),
		passes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "orderdrop_passes_total",
			Help: "Passes over the inbox, by result (ok, attention, failed)."}, []string{"result"}),
		inDoubt: prometheus.NewGauge(prometheus.GaugeOpts{Name: "orderdrop_orders_in_doubt",
			Help: "Orders in doubt in the ledger, waiting for `orderdrop resolve`."}),
		files: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "orderdrop_files",
			Help: "Files in each folder (inbox, processing, failed) after the last pass."}, []string{"folder"}),
		lastPass: prometheus.NewGauge(prometheus.GaugeOpts{Name: "orderdrop_last_pass_timestamp_seconds",
			Help: "Unix time the last pass ended, successful or not."}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{Name: "orderdrop_last_success_timestamp_seconds",
			Help: "Unix time the last successful pass ended."}),
		ledgerBytes: prometheus.NewGauge(prometheus.GaugeOpts{Name: "orderdrop_ledger_size_bytes",
			Help: "Size of the ledger file."}),
		configReloadFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "orderdrop_config_reload_failures_total",
			Help: "Configuration reloads (SIGHUP) refused because the file was broken; the previous configuration stayed in force."}),
	}
	m.reg.MustRegister(m.orders, m.rows, m.latency, m.retries, m.passes, m.inDoubt, m.files, m.lastPass, m.lastSuccess, m.ledgerBytes, m.configReloadFailures,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "orderdrop_up", Help: "1: orderdrop is running."}, func() float64 { return 1 }))
	for _, f := range []string{FolderInbox, FolderProcessing, FolderFailed} {
		m.files.WithLabelValues(f)
	}
	for _, r := range []string{"ok", "attention", "failed"} {
		m.passes.WithLabelValues(r)
	}
	return m
}

// Gatherer returns the registry, for tests and other exporters.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Order counts one order outcome. outcome is carrier.Class's String(), so
// that new classes appear without a change here.
func (m *Metrics) Order(kind, carrier, outcome string) {
	m.orders.WithLabelValues(kind, carrier, outcome).Inc()
}

// Rows adds a file's rows per status.
func (m *Metrics) Rows(counts map[string]int) {
	for st, n := range counts {
		m.rows.WithLabelValues(st).Add(float64(n))
	}
}

// Retry counts one retry of a carrier request; it has the signature of
// carrier.HTTPOptions.OnRetry once bound to a carrier (see RetryHook).
func (m *Metrics) Retry(carrier, cause string) {
	m.retries.WithLabelValues(carrier, cause).Inc()
}

// RetryHook returns a carrier.HTTPOptions.OnRetry for one carrier.
func (m *Metrics) RetryHook(carrier string) func(op, cause string) {
	return func(_, cause string) { m.Retry(carrier, cause) }
}

// Folders sets the file counts per folder.
func (m *Metrics) Folders(counts map[string]int) {
	for f, n := range counts {
		m.files.WithLabelValues(f).Set(float64(n))
	}
}

// Ledger sets the ledger's in-doubt count and file size.
func (m *Metrics) Ledger(inDoubt int, size int64) {
	m.inDoubt.Set(float64(inDoubt))
	m.ledgerBytes.Set(float64(size))
}

// Pass results for PassDone.
const (
	PassOK        = "ok"        // every row submitted (or had been)
	PassAttention = "attention" // done, some rows or files need a person
	PassFailed    = "failed"    // the pass could not run to its end
)

// PassDone records the end of a pass at t. err != nil (result PassFailed)
// makes Health answer 503 with err's text until a later pass succeeds.
// ledger is the ledger path Health checks for writability.
func (m *Metrics) PassDone(t time.Time, result string, err error, ledger string) {
	m.passes.WithLabelValues(result).Inc()
	m.lastPass.Set(float64(t.Unix()))
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ran, m.ledger, m.lastDone = true, ledger, t
	if err != nil {
		m.passErr = err.Error()
		return
	}
	m.passErr = ""
	m.lastSuccess.Set(float64(t.Unix()))
}

// ConfigReload records the outcome of a configuration reload: err != nil
// (the file was refused, the previous configuration stays in force) counts
// a failure and makes Health answer 503 with err's text until a reload
// succeeds (err == nil).
func (m *Metrics) ConfigReload(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil {
		m.reloadErr = ""
		return
	}
	m.configReloadFailures.Inc()
	m.reloadErr = display.Line(err.Error())
}

// Handler serves the metrics in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Healthy returns nil when the last pass succeeded and the ledger is
// writable, else why not (a sentence for a person).
func (m *Metrics) Healthy() error {
	m.mu.Lock()
	ran, passErr, ledger, reloadErr := m.ran, m.passErr, m.ledger, m.reloadErr
	m.mu.Unlock()
	switch {
	case reloadErr != "":
		return fmt.Errorf("the configuration could not be reloaded; the previous one is in force: %s", reloadErr)
	case !ran:
		return errors.New("no pass has finished yet")
	case passErr != "":
		return fmt.Errorf("the last pass failed: %s", passErr)
	}
	return ledgerWritable(ledger)
}

// Health serves /healthz: 200 "ok" when Healthy, else 503 with the reason.
func (m *Metrics) Health() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := m.Healthy(); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, err)
			return
		}
		m.mu.Lock()
		last := m.lastDone
		m.mu.Unlock()
		fmt.Fprintln(w, "ok: last pass ended "+last.UTC().Format(time.RFC3339))
	})
}

// ledgerWritable opens the ledger file for writing (without changing it).
func ledgerWritable(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("the ledger %s is not writable: %w", path, err)
	}
	return f.Close()
}

// Mux returns a handler serving /metrics and /healthz.
func (m *Metrics) Mux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("GET /healthz", m.Health())
	return mux
}

// HandlerFor returns Mux for a server listening on addr. On a loopback
// address it answers only requests whose Host names this machine (421
// otherwise), as the review page does, so that no web site can read the
// metrics through DNS rebinding; on any other address (scraped from
// elsewhere, by any name) every Host is served.
func (m *Metrics) HandlerFor(addr string) http.Handler {
	if !web.IsLoopbackHost(addr) {
		return m.Mux()
	}
	return web.LocalOnly(m.Mux(), "Metrics and health answer only at 127.0.0.1 or localhost; to scrape them from elsewhere set metrics.addr to an address other machines reach.")
}

// WriteTextfile writes every metric in the text format to path, atomically
// (node_exporter's textfile collector reads *.prom files from its folder).
func (m *Metrics) WriteTextfile(path string) error {
	mfs, err := m.reg.Gather()
	if err != nil {
		return fmt.Errorf("gather metrics: %w", err)
	}
	err = sheet.WriteFileAtomic(path, 0o644, func(w io.Writer) error {
		for _, mf := range mfs {
			if _, err := expfmt.MetricFamilyToText(w, mf); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write metrics textfile: %w", err)
	}
	return nil
}

// Transport wraps next so that every HTTP attempt to carrier is timed.
func (m *Metrics) Transport(carrier string, next http.RoundTripper) http.RoundTripper {
	return &timedTransport{next: next, carrier: carrier, m: m}
}

type timedTransport struct {
	next    http.RoundTripper
	carrier string
	m       *Metrics
}

func (t *timedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	code := "error"
	if err == nil {
		code = strconv.Itoa(resp.StatusCode)
	}
	t.m.latency.WithLabelValues(t.carrier, code).Observe(time.Since(start).Seconds())
	return resp, err
}

// CloseIdleConnections forwards to the wrapped transport (http.Client.CloseIdleConnections).
func (t *timedTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// Listen listens on addr for /metrics and /healthz; web.ServeUntil
// serves them. A taken address is an error naming metrics.addr.
func (m *Metrics) Listen(addr string, log *slog.Logger) (*http.Server, net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("metrics.addr %s: %w (choose another port, or set metrics.addr: off)", addr, err)
	}
	srv := &http.Server{Handler: m.HandlerFor(addr), ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	log.Info("metrics and health served", slog.String("metrics", "http://"+ln.Addr().String()+"/metrics"),
		slog.String("health", "http://"+ln.Addr().String()+"/healthz"))
	return srv, ln, nil
}
