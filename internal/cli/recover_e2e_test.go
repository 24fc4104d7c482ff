package cli

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sim"
)

const caCSVHeader = "order_ref,pilot_number,numbers,customer_name,account_number,street_number,street_name,city,province,postal_code,country,email,current_provider_id\n"

// caRow is a valid ca-port row porting number onto the sandbox's Toronto trunk.
func caRow(ref, number string) string {
	return ref + ",4165550100," + number + ",Harbourfront Physio,BC-7730-4418,390,Queens Quay West,Toronto,ON,M5V 3A6,CA,admin@harbourfront.example,311\n"
}

// thinktelRefs counts the sandbox's Thinktel port-ins per order_ref (it
// travels as CustomerReferenceNumber).
func (e *e2e) thinktelRefs() map[string]int {
	e.t.Helper()
	counts := map[string]int{}
	for _, o := range e.sim.Orders() {
		if o.Carrier != sim.CarrierThinktel {
			continue
		}
		var body struct {
			PortForm struct{ CustomerReferenceNumber string }
		}
		require.NoError(e.t, json.Unmarshal(o.Body, &body))
		counts[body.PortForm.CustomerReferenceNumber]++
	}
	return counts
}

// patientClients lets the carrier clients wait a minute for an answer, so
// that a request held by the sandbox is still in flight when the test acts.
func (e *e2e) patientClients() {
	e.t.Helper()
	yml, err := os.ReadFile(e.cfg)
	require.NoError(e.t, err)
	require.NoError(e.t, os.WriteFile(e.cfg, []byte(strings.ReplaceAll(string(yml), "timeout: 2s", "timeout: 60s")), 0o600))
}

// snapshot copies the installation (folders, ledger, config) as it is on
// disk now — what a kill -9 leaves behind — into a new folder, and returns
// an installation on that copy using the same sandbox.
func (e *e2e) snapshot() *e2e {
	e.t.Helper()
	dir := e.t.TempDir()
	require.NoError(e.t, os.CopyFS(dir, os.DirFS(e.dir)))
	return &e2e{t: e.t, dir: dir, cfg: filepath.Join(dir, "orderdrop.yaml"), sim: e.sim, srv: e.srv}
}

// waitUntil polls cond until it holds, failing the test after 20s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ledgerOrder reads one order of the installation's ledger.
func (e *e2e) ledgerOrder(key string) *ledger.Order {
	e.t.Helper()
	cfg, err := loadConfig(e.cfg)
	require.NoError(e.t, err)
	l, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(e.t, err)
	defer l.Close()
	o, err := l.Get(key)
	require.NoError(e.t, err)
	return o
}

// afterCrashWhileCreating is what both crash tests check once orderdrop died
// while Thinktel was still creating the port-in of CA-SLOW: the restarted
// pass finds nothing yet and must not send it again; once Thinktel has
// created it, a later pass finds it and settles it as submitted.
func afterCrashWhileCreating(t *testing.T, after *e2e, report string, created func()) {
	code, out := after.run(time.Now())
	assert.Equal(t, ExitAttention, code, out)
	rows := after.reportRows(report)
	require.Len(t, rows, 1)
	assert.Equal(t, "in_doubt", rows[0]["status"], "the resumed file must not send CA-SLOW again: %s", rows[0]["message"])
	assert.Contains(t, rows[0]["message"], "port-in status of 4165550177: not found")
	assert.Contains(t, rows[0]["message"], "orderdrop resolve")
	assert.Empty(t, after.thinktelRefs(), "nothing created while Thinktel is still creating the first request")

	// Thinktel finishes creating the port-in it received before the crash.
	require.Equal(t, 1, after.sim.ReleaseCreates())
	created()
	require.Equal(t, map[string]int{"CA-SLOW": 1}, after.thinktelRefs())
	ticket := after.sim.Orders()[0].Reference

	code, out = after.run(time.Now())
	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "ca-port/ref:CA-SLOW: found at thinktel (reference "+ticket+"): recorded as submitted")
	o := after.ledgerOrder("ca-port/ref:CA-SLOW")
	assert.Equal(t, ledger.Submitted, o.State)
	assert.Equal(t, ticket, o.Reference)

	// The file dropped again: already submitted, nothing sent.
	after.drop("ca.csv", []byte(caCSVHeader+caRow("CA-SLOW", "4165550177")))
	code, out = after.run(time.Now())
	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "1 already_submitted")
	assert.Equal(t, map[string]int{"CA-SLOW": 1}, after.thinktelRefs(), "one port-in per order_ref")
}

// orderdrop dies right after sending a port-in that Thinktel takes a while
// to create (issue 7.1): in-process, the crash is a copy of the disk taken
// while the request is held at the carrier.
func TestE2ECrashWhileThinktelStillCreatesOrdersOnce(t *testing.T) {
	e := newE2E(t, "recovery:\n  lookup_every: 1ms\n")
	e.patientClients()
	e.sim.SetFaults(sim.Faults{NextDelayCreate: 1})
	e.drop("ca.csv", []byte(caCSVHeader+caRow("CA-SLOW", "4165550177")))

	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	dying := make(chan struct{})
	go func() { // the run that "dies": it goes on in its own folder, unseen
		defer close(dying)
		_, _ = runPass(context.Background(), cfg, nil, time.Now, io.Discard, newLogger(io.Discard, cfg.Log))
	}()
	waitUntil(t, "the port-in to reach the sandbox", func() bool { return e.sim.HeldCreates() == 1 })
	after := e.snapshot()

	afterCrashWhileCreating(t, after, "ca.result.csv", func() {
		select {
		case <-dying:
		case <-time.After(30 * time.Second):
			t.Fatal("the first run did not finish after its request was answered")
		}
	})
}

// The same with a real process killed with SIGKILL.
func TestE2EKilledWhileThinktelStillCreatesOrdersOnce(t *testing.T) {
	e := newE2E(t, "recovery:\n  lookup_every: 1ms\n")
	e.sim.SetFaults(sim.Faults{NextDelayCreate: 1})
	e.drop("ca.csv", []byte(caCSVHeader+caRow("CA-SLOW", "4165550177")))

	cmd, out := e.child("run")
	waitUntil(t, "the port-in to reach the sandbox", func() bool { return e.sim.HeldCreates() == 1 })
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	require.FileExists(t, filepath.Join(e.dir, "processing", "ca.csv"), "child output:\n%s", out)

	afterCrashWhileCreating(t, e, "ca.result.csv", func() {})
}

// Releasing an order in doubt soon after its request may order it twice:
// resolve --not-submitted waits for recovery.settle_after unless --force.
func TestE2EResolveNotSubmittedWaitsForTheSettleTime(t *testing.T) {
	e := newE2E(t, "")
	e.sim.SetFaults(sim.Faults{NextDropAfterRead: 1})
	e.drop("one.csv", l2CSV(t, 1))
	code, out := e.run(time.Now())
	require.Equal(t, ExitAttention, code, out)
	require.Contains(t, out, "1 in_doubt")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	const key = "l2/ref:E2E-0001"

	var res strings.Builder
	err = runResolve(cfg, key, resolveOptions{notSubmitted: true, by: "alice"}, &res)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, ExitUsage, ee.Code)
	assert.Contains(t, err.Error(), "prizz may still be creating it")
	assert.Contains(t, err.Error(), "--force")
	zone, _ := time.Now().In(cfg.Location()).Zone()
	assert.Contains(t, err.Error(), " "+zone+", ", "times in the configured time zone")
	assert.NotRegexp(t, `T\d\d:\d\d:\d\dZ`, err.Error())
	assert.Equal(t, ledger.InDoubt, e.ledgerOrder(key).State)

	require.NoError(t, runResolve(cfg, key, resolveOptions{notSubmitted: true, force: true, by: "alice", why: "Prizz ADV: no such order"}, &res))
	assert.Contains(t, res.String(), "recorded as not submitted")
	assert.Equal(t, ledger.NotSubmitted, e.ledgerOrder(key).State)
}
