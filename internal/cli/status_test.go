package cli

import (
	"bytes"
	"context"
	"encoding/json"
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
	"github.com/orderdrop/orderdrop/internal/snapshot"
)

// unsetCredentials removes the carriers' credentials from the environment
// for the rest of the test, as on an operator's shell without them.
func unsetCredentials(t *testing.T) {
	t.Helper()
	for _, k := range []string{"E2E_NETWO_KEY", "E2E_NETWO_SLUG", "E2E_PRIZZ_EMAIL", "E2E_PRIZZ_PASSWORD", "E2E_TT_USER", "E2E_TT_PASSWORD"} {
		t.Setenv(k, "") // restored at the end of the test
		require.NoError(t, os.Unsetenv(k))
	}
}

// status runs `orderdrop status ARGS…` as the command line does.
func (e *e2e) status(args ...string) (int, string, string) {
	e.t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), append([]string{"--config", e.cfg, "status"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestStatusWhileTheLedgerIsHeld(t *testing.T) {
	e := newE2E(t, "")
	e.drop("one.csv", l2CSV(t, 2))
	code, out := e.run(time.Now())
	require.Equal(t, ExitOK, code, out)
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)

	// Free ledger: read directly (read-only), with each batch's id in JSON.
	code, js, stderr := e.status("--json")
	require.Equal(t, ExitOK, code, stderr)
	var free []map[string]any
	require.NoError(t, json.Unmarshal([]byte(js), &free))
	require.Len(t, free, 1)
	id, _ := free[0]["id"].(string)
	require.NotEmpty(t, id, "status --json carries each batch's id: %s", js)
	assert.Equal(t, "one.csv", free[0]["file"])

	// Another process holds the ledger (a pass running) and the carriers'
	// credentials are not in this shell.
	unsetCredentials(t)
	held, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	defer held.Close()

	code, text, stderr := e.status()
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, text, "a pass is running")
	assert.Regexp(t, `status as of \d\d:\d\d:\d\d`, text)
	assert.Contains(t, text, id)
	assert.Contains(t, text, "2 submitted")

	code, js, stderr = e.status("--json")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stderr, "a pass is running", "the JSON stays JSON; the note goes to stderr")
	var snap []map[string]any
	require.NoError(t, json.Unmarshal([]byte(js), &snap))
	require.Len(t, snap, 1)
	assert.Equal(t, id, snap[0]["id"])

	code, text, stderr = e.status(id)
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, text, "l2/ref:E2E-0001")
	assert.Contains(t, text, "submitted")

	code, js, stderr = e.status(id, "--json")
	require.Equal(t, ExitOK, code, stderr)
	var one struct {
		Batch struct {
			ID string `json:"id"`
		} `json:"batch"`
		Orders []struct {
			Key   string `json:"key"`
			State string `json:"state"`
		} `json:"orders"`
	}
	require.NoError(t, json.Unmarshal([]byte(js), &one))
	assert.Equal(t, id, one.Batch.ID)
	require.Len(t, one.Orders, 2)
	assert.Equal(t, "l2/ref:E2E-0001", one.Orders[0].Key)

	code, _, stderr = e.status("20200101T000000-0001")
	assert.Equal(t, ExitUsage, code)
	assert.Contains(t, stderr, "while a pass runs")

	// No snapshot at all (an older orderdrop holds the ledger): say so.
	require.NoError(t, os.Remove(snapshot.Path(cfg.Ledger)))
	code, _, stderr = e.status()
	assert.Equal(t, ExitFatal, code)
	assert.Contains(t, stderr, "has written no status yet")
}

func TestStatusBeforeAnyPass(t *testing.T) {
	e := newE2E(t, "")
	unsetCredentials(t)
	code, out, stderr := e.status()
	require.Equal(t, ExitOK, code, stderr)
	assert.Equal(t, "BATCH  FILE  STARTED  ROWS  REPORT\n", out)
	assert.NoFileExists(t, filepath.Join(e.dir, "orderdrop.db"), "status creates nothing")
}

// A real pass in another process, mid-file: status shows its progress.
func TestE2EStatusDuringAPass(t *testing.T) {
	const n = 40
	e := newE2E(t, "")
	e.sim.SetFaults(sim.Faults{Latency: 40 * time.Millisecond})
	e.drop("big.csv", l2CSV(t, n))
	cmd, out := e.child("run")
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGKILL); _ = cmd.Wait() })
	e.waitOrders(3, 20*time.Second)
	// Hold the next order-creating requests at the sandbox so the pass is
	// surely mid-file while status looks, however fast this machine is.
	e.sim.SetFaults(sim.Faults{NextDelayCreate: n})
	t.Cleanup(func() { e.sim.SetFaults(sim.Faults{}); e.sim.ReleaseCreates() })

	unsetCredentials(t)
	var text string
	deadline := time.Now().Add(20 * time.Second)
	for {
		code, got, stderr := e.status()
		require.Equal(t, ExitOK, code, "stderr: %s\nchild: %s", stderr, out)
		text = got
		if strings.Contains(text, "now processing big.csv") && !strings.Contains(text, ", 0 of") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status never showed the file's progress; last output:\n%s", text)
		}
		time.Sleep(50 * time.Millisecond)
	}
	assert.Contains(t, text, "a pass is running")
	assert.Contains(t, text, "big.csv")
	assert.Regexp(t, `now processing big.csv, \d+ of 40 rows done`, text)
}
