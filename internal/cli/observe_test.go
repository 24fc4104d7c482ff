package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/notify"
	"github.com/orderdrop/orderdrop/internal/notify/notifytest"
	"github.com/orderdrop/orderdrop/internal/observe"
)

// hookRecorder is a loopback webhook receiver keeping the verified bodies.
type hookRecorder struct {
	secret string
	mu     sync.Mutex
	down   bool // answer 503 (a receiver that is down)
	got    []notify.WebhookBody
	bad    int // requests whose signature did not verify
}

func (h *hookRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	if !notify.Verify(h.secret, r.Header.Get(notify.TimestampHeader), body, r.Header.Get(notify.SignatureHeader)) {
		h.bad++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var b notify.WebhookBody
	if err := json.Unmarshal(body, &b); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.got = append(h.got, b)
}

func (h *hookRecorder) setDown(v bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.down = v
}

func (h *hookRecorder) bodies() []notify.WebhookBody {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]notify.WebhookBody(nil), h.got...)
}

// withInvalidRow returns n good l2 rows and one whose contact e-mail is wrong.
func withInvalidRow(t *testing.T, n int) []byte {
	t.Helper()
	data := string(l2CSV(t, n+1))
	i := strings.LastIndex(data, "anne@example.example")
	return []byte(data[:i] + "not-an-email" + data[i+len("anne@example.example"):])
}

// observedE2E is an installation whose notifications go to a loopback SMTP
// server and webhook, with the metrics textfile on.
func observedE2E(t *testing.T) (*e2e, *notifytest.SMTP, *hookRecorder) {
	t.Helper()
	smtpSrv := notifytest.StartSMTP(t, notifytest.Options{User: "ops", Pass: "smtp-pw", Insecure: true})
	host, port, err := net.SplitHostPort(smtpSrv.Addr)
	require.NoError(t, err)
	hook := &hookRecorder{secret: "hook-secret"}
	hookSrv := httptest.NewServer(hook)
	t.Cleanup(hookSrv.Close)
	t.Setenv("E2E_SMTP_PASSWORD", "smtp-pw")
	t.Setenv("E2E_HOOK_SECRET", "hook-secret")
	e := newE2E(t, fmt.Sprintf(`notify:
  timeout: 10s
  mail:
    host: %s
    port: %s
    tls: none
    username: ops
    password: ${E2E_SMTP_PASSWORD}
    from: orderdrop@example.com
    to: [ops@example.com]
  webhook:
    url: %s/hook
    secret: ${E2E_HOOK_SECRET}
    max_attempts: 1
metrics:
  addr: "off"
  textfile: node/orderdrop.prom
`, host, port, hookSrv.URL))
	return e, smtpSrv, hook
}

// runCommand runs `orderdrop run` in this process.
func (e *e2e) runCommand(args ...string) (int, string) {
	e.t.Helper()
	var out bytes.Buffer
	code := Main(context.Background(), append([]string{"--config", e.cfg, "run"}, args...), &out, &out)
	return code, out.String()
}

func TestRunSendsOneDigestPerPassByMailAndWebhook(t *testing.T) {
	e, smtpSrv, hook := observedE2E(t)
	require.NoError(t, os.MkdirAll(filepath.Join(e.dir, "node"), 0o750))
	e.drop("night.csv", withInvalidRow(t, 2))

	code, out := e.runCommand()
	assert.Equal(t, ExitAttention, code, out)

	mails := smtpSrv.Received()
	require.Len(t, mails, 1, "one mail per pass")
	assert.Equal(t, "ops", mails[0].User)
	hdr, parts := notifytest.ParseMail(t, mails[0].Data)
	assert.Equal(t, "orderdrop run: 1 row needs attention", strings.SplitN(notifytest.DecodeHeader(t, hdr.Get("Subject")), " on ", 2)[0])
	var text string
	var attached []string
	for _, p := range parts {
		switch {
		case p.Filename != "":
			attached = append(attached, p.Filename)
		case p.Type == "text/plain":
			text = string(p.Body)
		}
	}
	assert.Contains(t, text, "- night.csv: 2 submitted, 1 invalid → report night.result.csv, to correct and drop again: night.to-fix.csv\r\n")
	assert.Contains(t, text, "- night.csv, row 4, order_ref E2E-0003: invalid: site_contact_email")
	assert.Equal(t, "auto-generated", hdr.Get("Auto-Submitted"))
	assert.Contains(t, text, "invalid_rows night.csv: 1 invalid rows still to correct", "one attention line per file")
	assert.NotContains(t, text, e.dir, "file names, not server paths")
	assert.Equal(t, []string{"night.result.csv", "night.to-fix.csv"}, attached, "the report and the to-fix file")

	bodies := hook.bodies()
	require.Len(t, bodies, 1, "one webhook call per pass")
	assert.Zero(t, hook.bad, "the signature verifies")
	d := bodies[0].Digest
	assert.Equal(t, hdr.Get("X-Orderdrop-Digest"), d.ID, "mail and webhook carry the same digest")
	require.Len(t, d.Files, 1)
	assert.Equal(t, map[string]int{"submitted": 2, "invalid": 1}, d.Files[0].Counts)
	require.Len(t, d.Rows, 1)
	assert.Equal(t, notify.Row{File: "night.csv", Row: 4, OrderRef: "E2E-0003", Status: "invalid", Message: d.Rows[0].Message}, d.Rows[0])
	assert.Contains(t, bodies[0].Text, "row 4, order_ref E2E-0003: invalid")

	prom, err := os.ReadFile(filepath.Join(e.dir, "node", "orderdrop.prom"))
	require.NoError(t, err)
	for _, want := range []string{
		`orderdrop_orders_total{carrier="prizz",kind="l2",outcome="accepted"} 2`,
		`orderdrop_rows_total{status="invalid"} 1`,
		`orderdrop_rows_total{status="submitted"} 2`,
		`orderdrop_passes_total{result="attention"} 1`,
		`orderdrop_orders_in_doubt 0`,
		`orderdrop_files{folder="inbox"} 0`,
		`orderdrop_carrier_request_duration_seconds_count{carrier="prizz",code="200"}`,
	} {
		assert.Contains(t, string(prom), want)
	}

	// A pass with nothing new sends nothing.
	code, out = e.runCommand()
	assert.Equal(t, ExitOK, code, out)
	assert.Len(t, smtpSrv.Received(), 1)
	assert.Len(t, hook.bodies(), 1)
}

func TestRunKeepsUndeliveredDigestForTheNextPass(t *testing.T) {
	e, smtpSrv, hook := observedE2E(t)
	smtpSrv.SetFail(true)
	hook.setDown(true)
	e.drop("a.csv", withInvalidRow(t, 1))
	code, out := e.runCommand()
	assert.Equal(t, ExitAttention, code, "a failed notification does not change the pass's outcome: %s", out)
	assert.Empty(t, smtpSrv.Received())
	assert.Empty(t, hook.bodies())
	assert.FileExists(t, filepath.Join(e.dir, "notify-outbox.json"))

	// Next pass, receivers back, nothing new in the inbox: the kept digest goes out.
	smtpSrv.SetFail(false)
	hook.setDown(false)
	code, out = e.runCommand()
	assert.Equal(t, ExitOK, code, out)
	require.Len(t, smtpSrv.Received(), 1)
	require.Len(t, hook.bodies(), 1)
	assert.Equal(t, "a.csv", hook.bodies()[0].Digest.Files[0].File)
	assert.NoFileExists(t, filepath.Join(e.dir, "notify-outbox.json"))
}

func TestRunPrintDigest(t *testing.T) {
	e := newE2E(t, "")
	e.drop("p.csv", withInvalidRow(t, 1))
	code, out := e.runCommand("--print-digest")
	assert.Equal(t, ExitAttention, code, out)
	assert.Contains(t, out, "== digest this pass would send (no channel configured: set notify.mail or notify.webhook)")
	assert.Contains(t, out, "- p.csv, row 3, order_ref E2E-0002: invalid: site_contact_email")
}

func TestMetricsAndHealthAfterPasses(t *testing.T) {
	e := newE2E(t, "")
	e.drop("m.csv", l2CSV(t, 3))
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	m := metrics.New()
	log := newLogger(io.Discard, cfg.Log)
	obs := observe.New(cfg, log, m)
	srv := httptest.NewServer(m.Mux())
	t.Cleanup(srv.Close)

	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	code, body := get("/healthz")
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Contains(t, body, "no pass has finished yet")

	pass := func() (int, error) {
		return obs.Pass(context.Background(), "run", func(rec *observe.Record) (int, error) {
			return observedPass(context.Background(), cfg, false, nil, time.Now, io.Discard, log, rec)
		})
	}
	exit, err := pass()
	require.NoError(t, err)
	require.Equal(t, ExitOK, exit)

	code, body = get("/healthz")
	assert.Equal(t, http.StatusOK, code, body)
	assert.True(t, strings.HasPrefix(body, "ok: last pass ended "), body)
	code, body = get("/metrics")
	assert.Equal(t, http.StatusOK, code)
	for _, want := range []string{
		`orderdrop_orders_total{carrier="prizz",kind="l2",outcome="accepted"} 3`,
		`orderdrop_rows_total{status="submitted"} 3`,
		`orderdrop_passes_total{result="ok"} 1`,
		`orderdrop_files{folder="processing"} 0`,
		`orderdrop_carrier_request_duration_seconds_bucket{carrier="prizz",code="200",le="+Inf"}`,
		"orderdrop_last_success_timestamp_seconds ",
		"orderdrop_ledger_size_bytes ",
		"go_goroutines ",
	} {
		assert.Contains(t, body, want)
	}

	// The ledger gone (a disk swapped, a wrong mount): 503 with the reason.
	require.NoError(t, os.Rename(cfg.Ledger, cfg.Ledger+".moved"))
	code, body = get("/healthz")
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Contains(t, body, "the ledger "+cfg.Ledger+" is not writable")
	require.NoError(t, os.Rename(cfg.Ledger+".moved", cfg.Ledger))

	// A pass that cannot run (its ledger path is a folder): 503 with why.
	broken := *cfg
	broken.Ledger = t.TempDir()
	obs = observe.New(&broken, log, m) // the same metrics
	_, err = obs.Pass(context.Background(), "run", func(rec *observe.Record) (int, error) {
		return observedPass(context.Background(), &broken, false, nil, time.Now, io.Discard, log, rec)
	})
	require.Error(t, err)
	code, body = get("/healthz")
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Contains(t, body, "the last pass failed: open ledger")
	_, body = get("/metrics")
	assert.Contains(t, body, `orderdrop_passes_total{result="failed"} 1`)
}

func TestBusyLedgerSendsNoDigest(t *testing.T) {
	e, smtpSrv, hook := observedE2E(t)
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	l, err := openLedger(cfg)
	require.NoError(t, err)
	defer l.Close()
	e.drop("wait.csv", withInvalidRow(t, 1))
	code, out := e.runCommand()
	assert.Equal(t, ExitFatal, code, out)
	assert.Contains(t, out, "another orderdrop is using")
	assert.Empty(t, smtpSrv.Received(), "a busy ledger is routine with cron: no digest")
	assert.Empty(t, hook.bodies())
}

func TestHeartbeatAfterEverySuccessfulPassOnly(t *testing.T) {
	var mu sync.Mutex
	pings := 0
	hb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		pings++
	}))
	t.Cleanup(hb.Close)
	count := func() int { mu.Lock(); defer mu.Unlock(); return pings }
	e := newE2E(t, fmt.Sprintf("notify:\n  heartbeat:\n    url: %s/ping\n    method: POST\n", hb.URL))
	e.drop("ok.csv", l2CSV(t, 1))
	code, out := e.runCommand()
	require.Equal(t, ExitOK, code, out)
	assert.Equal(t, 1, count())
	e.drop("bad.csv", withInvalidRow(t, 0))
	code, out = e.runCommand()
	require.Equal(t, ExitAttention, code, out)
	assert.Equal(t, 2, count(), "rows needing attention still make a successful pass")

	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	l, err := openLedger(cfg) // the next pass cannot run
	require.NoError(t, err)
	defer l.Close()
	code, out = e.runCommand()
	require.Equal(t, ExitFatal, code, out)
	assert.Equal(t, 2, count(), "no ping after a pass that did not run: the dead-man's switch fires")
}

func TestDigestNamesRefusedCredentials(t *testing.T) {
	e := newE2E(t, "")
	t.Setenv("E2E_PRIZZ_PASSWORD", "wrong-password")
	e.drop("l2.csv", l2CSV(t, 1))
	_, out := e.runCommand("--print-digest")
	assert.Contains(t, out, "== digest this pass would send")
	assert.Contains(t, out, "Problems:\n- l2.csv: credentials refused by Prizz")
	assert.Contains(t, out, "check carriers.prizz.email and carriers.prizz.password")
	assert.Contains(t, out, "kept in processing/", "the attention list says why the file waits")
	assert.NotContains(t, out, "wrong-password", "credentials never reach a digest")
}
