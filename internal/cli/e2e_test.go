package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sheet"
	"github.com/orderdrop/orderdrop/internal/sim"
)

// The test binary doubles as the orderdrop binary: with ORDERDROP_E2E_ARGS
// set it runs the command line and exits, so tests can kill a real process
// without building one.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("ORDERDROP_E2E_ARGS"); ok {
		os.Exit(Main(context.Background(), strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
	}
	// Hold the default metrics address for the whole run, as another
	// process may on a real machine: a test that kept the default fails
	// here on every machine, not only on a busy one. Taken already is as
	// good.
	ln, err := net.Listen("tcp", config.DefaultMetricsAddr)
	code := m.Run()
	if err == nil {
		ln.Close()
	}
	os.Exit(code)
}

// e2e is one orderdrop installation: folders, a config pointing at an
// in-process carrier sandbox, and the sandbox itself.
type e2e struct {
	t   *testing.T
	dir string
	cfg string
	sim *sim.Server
	srv *httptest.Server
}

func newE2E(t *testing.T, extraYAML string) *e2e {
	t.Helper()
	dir := t.TempDir()
	s := sim.New(sim.Options{Seed: 7})
	srv := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); srv.Close() })
	cred := sim.DefaultCredentials()
	t.Setenv("E2E_NETWO_KEY", cred.NetwoAPIKey)
	t.Setenv("E2E_NETWO_SLUG", cred.NetwoActorSlug)
	t.Setenv("E2E_PRIZZ_EMAIL", cred.PrizzEmail)
	t.Setenv("E2E_PRIZZ_PASSWORD", cred.PrizzPassword)
	t.Setenv("E2E_TT_USER", cred.ThinktelUser)
	t.Setenv("E2E_TT_PASSWORD", cred.ThinktelPassword)
	if !strings.Contains(extraYAML, "metrics:") {
		// Never the default 127.0.0.1:9464: another process may hold it.
		extraYAML += "metrics:\n  addr: \"off\"\n"
	}
	yml := fmt.Sprintf(`stable_after: 1ms
log:
  format: json
  level: warn
carriers:
  netwo:
    base_url: %[1]s/netwo/api/v1
    api_key: ${E2E_NETWO_KEY}
    actor_slug: ${E2E_NETWO_SLUG}
    timeout: 2s
    max_retry_time: 10s
  prizz:
    base_url: %[1]s/prizz
    email: ${E2E_PRIZZ_EMAIL}
    password: ${E2E_PRIZZ_PASSWORD}
    timeout: 2s
    max_retry_time: 10s
  thinktel:
    base_url: %[1]s/thinktel/rest.svc
    username: ${E2E_TT_USER}
    password: ${E2E_TT_PASSWORD}
    timeout: 2s
    max_retry_time: 10s
%[2]s`, srv.URL, extraYAML)
	cfg := filepath.Join(dir, "orderdrop.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(yml), 0o600))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "inbox"), 0o750))
	return &e2e{t: t, dir: dir, cfg: cfg, sim: s, srv: srv}
}

// drop puts a file in the inbox, aged so that it counts as stable.
func (e *e2e) drop(name string, data []byte) {
	e.t.Helper()
	p := filepath.Join(e.dir, "inbox", name)
	require.NoError(e.t, os.WriteFile(p, data, 0o640))
	old := time.Now().Add(-time.Minute)
	require.NoError(e.t, os.Chtimes(p, old, old))
}

func (e *e2e) dropFile(src string) {
	e.t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(e.t, err)
	e.drop(filepath.Base(src), data)
}

// run runs one pass in this process with the validation clock pinned.
func (e *e2e) run(now time.Time) (int, string) {
	e.t.Helper()
	cfg, err := loadConfig(e.cfg)
	require.NoError(e.t, err)
	var out bytes.Buffer
	code, err := runPass(context.Background(), cfg, nil, func() time.Time { return now }, &out, newLogger(io.Discard, cfg.Log))
	if err != nil {
		out.WriteString(err.Error())
	}
	return code, out.String()
}

// child starts the command line in a separate process (the test binary).
func (e *e2e) child(args ...string) (*exec.Cmd, *bytes.Buffer) {
	e.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ORDERDROP_E2E_ARGS="+strings.Join(append([]string{"--config", e.cfg}, args...), "\x1f"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(e.t, cmd.Start())
	return cmd, &out
}

// reportRows reads every report of the reports folder: status, reference
// and message per (file, sheet, row).
func (e *e2e) reportRows(file string) []map[string]string {
	e.t.Helper()
	wb, err := sheet.Open(filepath.Join(e.dir, "reports", file), sheet.Options{})
	require.NoError(e.t, err)
	var rows []map[string]string
	for _, t := range wb.Sheets {
		if t.Name == "Summary" {
			continue
		}
		for _, r := range t.Records {
			m := map[string]string{"sheet": t.Name, "row": fmt.Sprint(r.Num)}
			for i, h := range t.Header {
				if i < len(r.Cells) {
					m[h] = r.Cells[i]
				}
			}
			rows = append(rows, m)
		}
	}
	return rows
}

func (e *e2e) waitOrders(n int, within time.Duration) {
	e.t.Helper()
	deadline := time.Now().Add(within)
	for len(e.sim.Orders()) < n {
		if time.Now().After(deadline) {
			e.t.Fatalf("the sandbox has %d orders after %s, want at least %d", len(e.sim.Orders()), within, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// prizzRefs counts the sandbox's L2 orders per order_ref (it travels in commentaire).
func (e *e2e) prizzRefs() map[string]int {
	e.t.Helper()
	counts := map[string]int{}
	for _, o := range e.sim.Orders() {
		if o.Carrier != "prizz" {
			continue
		}
		var body struct{ Commentaire string }
		require.NoError(e.t, json.Unmarshal(o.Body, &body))
		f := strings.Fields(body.Commentaire)
		require.GreaterOrEqual(e.t, len(f), 3, "commentaire %q", body.Commentaire)
		counts[f[2]]++
	}
	return counts
}

var fixtures = filepath.Join("..", "..", "..", "shared", "fixtures")

// generatedOn is the fixtures' generation date at noon, Paris: their valid
// wanted_date values are valid from there.
func generatedOn(t *testing.T) time.Time {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	return time.Date(2026, 11, 23, 12, 0, 0, 0, paris)
}

func TestE2EMultiSheetWorkbookAndRedrop(t *testing.T) {
	if _, err := os.Stat(fixtures); err != nil {
		t.Skip("shared fixtures not present")
	}
	e := newE2E(t, "")
	e.dropFile(filepath.Join(fixtures, "inbox", "multi-kind.xlsx"))
	e.dropFile(filepath.Join(fixtures, "inbox", "loa-harbourfront-physio.pdf"))
	e.dropFile(filepath.Join(fixtures, "inbox", "~$l2-openpyxl.xlsx"))
	e.dropFile(filepath.Join(fixtures, "inbox", "old-format-renamed.xlsx"))

	code, out := e.run(generatedOn(t))
	assert.Equal(t, ExitAttention, code, out)
	assert.Contains(t, out, "multi-kind.xlsx: 14 rows")
	assert.Contains(t, out, "old-format-renamed.xlsx: not read")

	// Every row has the status the fixtures expect, and every valid one a reference.
	want := map[string]string{ // sheet/row → status
		"fr-port/2": "submitted", "fr-port/3": "submitted", "fr-port/4": "invalid",
		"ca-port/2": "submitted", "ca-port/3": "submitted", "ca-port/4": "submitted", "ca-port/5": "invalid", "ca-port/6": "invalid",
		"ca-port/7": "invalid", "ca-port/8": "submitted", "ca-port/9": "invalid", "ca-port/10": "submitted",
		"l2/2": "submitted", "l2/3": "invalid",
	}
	rows := e.reportRows("multi-kind.result.xlsx")
	require.Len(t, rows, len(want))
	refs := map[string]string{}
	for _, r := range rows {
		k := r["sheet"] + "/" + r["row"]
		assert.Equal(t, want[k], r["status"], "%s: %s", k, r["message"])
		if r["status"] == "submitted" {
			assert.NotEmpty(t, r["carrier_reference"], k)
			refs[k] = r["carrier_reference"]
		}
	}
	assert.Equal(t, refs["ca-port/2"], refs["ca-port/3"], "rows sharing order_ref CA-PUB-301 are one request with one reference")
	orders := len(e.sim.Orders())
	assert.Equal(t, 7, orders, "2 fr-port + 4 ca-port requests + 1 l2")

	// Folders: the workbook archived, the old .xls in failed/ with its note, the lock file and the PDF left alone.
	archived, _ := filepath.Glob(filepath.Join(e.dir, "archive", "*", "multi-kind.xlsx"))
	assert.Len(t, archived, 1)
	note, err := os.ReadFile(filepath.Join(e.dir, "failed", "old-format-renamed.xlsx.error.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(note), ".xls")
	assert.FileExists(t, filepath.Join(e.dir, "inbox", "~$l2-openpyxl.xlsx"))
	assert.FileExists(t, filepath.Join(e.dir, "inbox", "loa-harbourfront-physio.pdf"))

	// The same workbook dropped again: nothing new at the carrier, every valid row already_submitted with the same reference.
	e.dropFile(filepath.Join(fixtures, "inbox", "multi-kind.xlsx"))
	code, out = e.run(generatedOn(t))
	assert.Equal(t, ExitAttention, code, out)
	assert.Equal(t, orders, len(e.sim.Orders()), "a re-dropped file must create no order")
	for _, r := range e.reportRows("multi-kind.result.2.xlsx") {
		k := r["sheet"] + "/" + r["row"]
		if want[k] == "submitted" {
			assert.Equal(t, "already_submitted", r["status"], k)
			assert.Equal(t, refs[k], r["carrier_reference"], k)
		}
	}
}

func TestE2EStatusAndResolveInDoubt(t *testing.T) {
	e := newE2E(t, "")
	e.sim.SetFaults(sim.Faults{Next500AfterCreate: 1})
	e.drop("one.csv", l2CSV(t, 1))
	code, out := e.run(time.Now())
	assert.Equal(t, ExitAttention, code, out)
	assert.Contains(t, out, "1 in_doubt")
	require.Len(t, e.sim.Orders(), 1)

	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	var js bytes.Buffer
	require.NoError(t, runStatus(cfg, "", statusOptions{json: true, limit: 5}, &js))
	var batches []ledger.Batch
	require.NoError(t, json.Unmarshal(js.Bytes(), &batches))
	require.Len(t, batches, 1)
	assert.Equal(t, 1, batches[0].Counts["in_doubt"])
	key := batches[0].Keys[0]

	// The operator checks with the carrier and records the reference.
	var res bytes.Buffer
	require.NoError(t, runResolve(cfg, key, resolveOptions{reference: e.sim.Orders()[0].Reference, by: "alice", why: "seen on the Prizz portal"}, &res))
	assert.Contains(t, res.String(), "recorded as submitted")
	err = runResolve(cfg, key, resolveOptions{notSubmitted: true, by: "alice"}, &res)
	assert.Error(t, err, "a settled order cannot be resolved again")

	// Dropped again: already_submitted with the operator's reference, nothing sent.
	e.drop("one.csv", l2CSV(t, 1))
	code, out = e.run(time.Now())
	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "1 already_submitted")
	assert.Len(t, e.sim.Orders(), 1)
}

func TestE2ESecondProcessOnTheLedgerExits3(t *testing.T) {
	e := newE2E(t, "")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	l, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	defer l.Close()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"--config", e.cfg, "run"}, &stdout, &stderr)
	assert.Equal(t, ExitFatal, code)
	assert.Contains(t, stderr.String(), "another orderdrop is using "+cfg.Ledger)
}

// l2CSV is a CSV of n valid l2 orders, order_ref E2E-0001…
func l2CSV(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.Write([]string{"order_ref", "client_name", "offer_id", "option_ids", "gtr_contact_ho", "gtr_contact_hno", "street_number",
		"street_type", "street_name", "zip_code", "city", "site_contact_name", "site_contact_phone", "site_contact_email", "site_contact_hours",
		"follow_contact_ids", "port_ref", "site_vlan_mode", "port_vlan_mode", "delivery_interface"}))
	for i := 1; i <= n; i++ {
		require.NoError(t, w.Write([]string{fmt.Sprintf("E2E-%04d", i), fmt.Sprintf("Client %d", i), "2201", "41", "7101", "7102", fmt.Sprint(i),
			"rue", "Sainte-Catherine", "33000", "Bordeaux", "Anne Roux", "0536490741", "anne@example.example", "9h-18h",
			"7103", "PZ-BDX-ATL1-03", "Flux non tagué", "Flux non tagué", "1000 Base LX"}))
	}
	w.Flush()
	return b.Bytes()
}

// assertNothingLost checks that every input row is in the newest report with
// a final status, and that no order_ref reached the carrier twice.
func assertNothingLost(t *testing.T, e *e2e, report string, n int) {
	t.Helper()
	for ref, c := range e.prizzRefs() {
		assert.Equal(t, 1, c, "order %s was created %d times at the carrier", ref, c)
	}
	rows := e.reportRows(report)
	require.Len(t, rows, n, "every input row must be in the report")
	created := e.prizzRefs()
	for _, r := range rows {
		switch r["status"] {
		case "submitted", "already_submitted":
			assert.Equal(t, 1, created[r["order_ref"]], "%s is %s but the carrier has it %d times", r["order_ref"], r["status"], created[r["order_ref"]])
		case "in_doubt": // in flight when the process died: at most once at the carrier, never resent
			assert.LessOrEqual(t, created[r["order_ref"]], 1)
		default:
			t.Errorf("%s: status %s (%s), want submitted, already_submitted or in_doubt", r["order_ref"], r["status"], r["message"])
		}
	}
}

func TestE2EKilledMidFileOrdersNothingTwice(t *testing.T) {
	const n = 40
	e := newE2E(t, "")
	e.sim.SetFaults(sim.Faults{Latency: 40 * time.Millisecond})
	e.drop("big.csv", l2CSV(t, n))

	cmd, out := e.child("run")
	e.waitOrders(6, 20*time.Second)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	killedAt := len(e.sim.Orders())
	require.Less(t, killedAt, n, "the child finished before it was killed; output:\n%s", out)
	assert.FileExists(t, filepath.Join(e.dir, "processing", "big.csv"), "a file interrupted by a crash stays in processing/")

	// The next run resumes the file: orders in flight at the kill are in doubt, the rest are sent once.
	e.sim.SetFaults(sim.Faults{})
	code, runOut := e.run(time.Now())
	assert.Equal(t, ExitAttention, code, runOut)
	assertNothingLost(t, e, "big.result.csv", n)
	assert.NoFileExists(t, filepath.Join(e.dir, "processing", "big.csv"))
}

func TestE2EDaemonSigtermMidFileResumes(t *testing.T) {
	const n = 30
	e := newE2E(t, "schedule: \"@every 1h\"\nmetrics:\n  addr: 127.0.0.1:0\n")
	e.sim.SetFaults(sim.Faults{Latency: 60 * time.Millisecond})
	e.drop("batch.csv", l2CSV(t, n))

	cmd, out := e.child("daemon", "--now")
	e.waitOrders(4, 20*time.Second)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait(), "the daemon must exit 0 on SIGTERM; output:\n%s", out)
	sent := len(e.sim.Orders())
	require.Less(t, sent, n, "the daemon finished the file before SIGTERM; output:\n%s", out)

	// What was in flight finished; the report says so and the file waits in processing/.
	assert.FileExists(t, filepath.Join(e.dir, "processing", "batch.csv"))
	rows := e.reportRows("batch.result.csv")
	require.Len(t, rows, n)
	var submitted, notSent int
	for _, r := range rows {
		switch r["status"] {
		case "submitted":
			submitted++
		case "not_submitted":
			notSent++
		default:
			t.Errorf("%s: %s (%s)", r["order_ref"], r["status"], r["message"])
		}
	}
	assert.Equal(t, sent, submitted, "every order the carrier created is reported submitted: none was cut off mid-request")
	assert.Equal(t, n-sent, notSent)

	// The next pass resumes the file and sends only the rest.
	e.sim.SetFaults(sim.Faults{})
	code, runOut := e.run(time.Now())
	assert.Equal(t, ExitOK, code, runOut)
	assert.Len(t, e.sim.Orders(), n)
	assertNothingLost(t, e, "batch.result.csv", n)
	assert.NoFileExists(t, filepath.Join(e.dir, "reports", "batch.result.2.csv"), "a resumed file replaces its report: no copy")
}

func TestE2ERecoveryReconcilesThinktelAndLeavesTheRestInDoubt(t *testing.T) {
	e := newE2E(t, "")
	e.drop("ca.csv", []byte("order_ref,pilot_number,numbers,customer_name,account_number,street_number,street_name,city,province,postal_code,country,email,current_provider_id\n"+
		"CA-OK,4165550100,416-555-0177,Harbourfront Physio,BC-7730-4418,390,Queens Quay West,Toronto,ON,M5V 3A6,CA,admin@harbourfront.example,311\n"))
	code, out := e.run(time.Now())
	require.Equal(t, ExitOK, code, out)
	require.Len(t, e.sim.Orders(), 1)
	ticket := e.sim.Orders()[0].Reference

	// A crash left three orders "submitting": one Thinktel port the carrier
	// did create, one it never saw, and a Prizz order (no lookup possible).
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	l, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	intent := func(key, carrier, numbers string) ledger.Intent {
		return ledger.Intent{Key: key, Kind: "ca-port", Carrier: carrier, Fingerprint: "fp-" + key, BatchID: "crashed", Fields: map[string]string{"numbers": numbers}}
	}
	require.NoError(t, l.BeginSubmits([]ledger.Intent{
		intent("ca-port/ref:CRASH-1", "thinktel", "4165550177"),
		intent("ca-port/ref:CRASH-2", "thinktel", "4165550188,4165550189"),
		intent("l2/ref:CRASH-3", "prizz", ""),
	}))
	require.NoError(t, l.Close())

	code, out = e.run(time.Now())
	assert.Equal(t, ExitAttention, code, out)
	assert.Contains(t, out, "2 order(s) interrupted by an earlier stop are in doubt")

	l, err = ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	defer l.Close()
	got, err := l.Lookup([]string{"ca-port/ref:CRASH-1", "ca-port/ref:CRASH-2", "l2/ref:CRASH-3"})
	require.NoError(t, err)
	assert.Equal(t, ledger.Submitted, got["ca-port/ref:CRASH-1"].State, "found at Thinktel by its number")
	assert.Equal(t, ticket, got["ca-port/ref:CRASH-1"].Reference)
	// Not found right after the crash proves nothing: Thinktel may still be creating it.
	assert.Equal(t, ledger.InDoubt, got["ca-port/ref:CRASH-2"].State, "Thinktel has no port-in for its numbers yet")
	assert.Equal(t, 1, got["ca-port/ref:CRASH-2"].Lookups)
	assert.Contains(t, got["ca-port/ref:CRASH-2"].LookupNote, "port-in status of 4165550188: not found")
	assert.Equal(t, ledger.InDoubt, got["l2/ref:CRASH-3"].State, "no lookup at Prizz: an operator resolves it")
	assert.Len(t, e.sim.Orders(), 1, "recovery sends nothing")
}
