package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sim"
)

// ledgerOrders reads every order of the ledger at path.
func ledgerOrders(t *testing.T, path string) map[string]*ledger.Order {
	t.Helper()
	l, err := ledger.OpenReadOnly(path, ledger.Options{})
	require.NoError(t, err)
	defer l.Close()
	out := map[string]*ledger.Order{}
	require.NoError(t, l.View(func(s *ledger.Snapshot) error {
		return s.ForEach(func(o *ledger.Order) error { out[o.Key] = o; return nil })
	}))
	return out
}

// The ledger deleted after a run over the samples, rebuilt from the
// reports and the archived inputs: every submitted order comes back with
// its key, fingerprint, reference and batch, and the same files dropped
// again create nothing at the carriers.
func TestE2ELedgerRebuildRestoresEverySubmittedOrder(t *testing.T) {
	e := newE2E(t, "")
	cfg, sent, oldID := e.passOverSamples()
	before := ledgerOrders(t, cfg.Ledger)
	require.NoError(t, os.Remove(cfg.Ledger))

	var stdout bytes.Buffer
	code, err := runLedgerRebuild(context.Background(), cfg, rebuildOptions{now: samplesDay(t)}, &stdout, newLogger(io.Discard, cfg.Log))
	require.NoError(t, err, stdout.String())
	assert.Equal(t, ExitOK, code, stdout.String())
	assert.Contains(t, stdout.String(), "5 reports")

	after := ledgerOrders(t, cfg.Ledger)
	submitted := 0
	for key, o := range before {
		if o.State != ledger.Submitted {
			continue
		}
		submitted++
		got, ok := after[key]
		if !assert.True(t, ok, "%s: not restored", key) {
			continue
		}
		assert.Equal(t, ledger.Submitted, got.State, key)
		assert.Equal(t, o.Fingerprint, got.Fingerprint, "%s: fingerprint", key)
		assert.Equal(t, o.Reference, got.Reference, "%s: reference", key)
		assert.Equal(t, o.BatchID, got.BatchID, "%s: batch", key)
		// The report's submitted_at (the time a rebuild restores) is when the
		// carrier answered, to the second; the ledger's, when the outcome was
		// committed with its group, a moment later.
		assert.WithinDuration(t, o.SubmittedAt, got.SubmittedAt, 10*time.Second, "%s: time", key)
		assert.False(t, got.SubmittedAt.After(o.SubmittedAt), "%s: the answer comes before its commit", key)
		assert.Equal(t, o.Rows, got.Rows, "%s: rows", key)
	}
	assert.Equal(t, sent, submitted, "every order at the sandbox is a submitted order")
	rebuilt, err := ledger.OpenReadOnly(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	assert.Equal(t, oldID, rebuilt.ID(), "the rebuilt ledger is the one the reports name")
	origin, err := rebuilt.Origin()
	require.NoError(t, err)
	assert.Equal(t, ledger.OriginRebuilt, origin.How)
	require.NoError(t, rebuilt.Close())

	e.dropSamples()
	code, out := e.run(samplesDay(t))
	assert.NotEqual(t, ExitFatal, code, out)
	assert.Equal(t, sent, len(e.sim.Orders()), "after a rebuild, the same files dropped again create nothing")
	assert.Contains(t, out, "already_submitted")
	assert.NotContains(t, out, "conflict")
}

// A rebuild leaves a ledger that holds every reported batch as it is, and
// says what it could not restore.
func TestE2ELedgerRebuildRefusesALedgerInUseAndNamesWhatItCannot(t *testing.T) {
	e := newE2E(t, "")
	e.drop("one.csv", l2CSV(t, 2))
	code, out := e.run(samplesDay(t))
	require.Equal(t, ExitOK, code, out)
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)

	before := ledgerOrders(t, cfg.Ledger)
	code, stdout, stderr := e.cli("ledger", "rebuild")
	assert.Equal(t, ExitOK, code, stdout+stderr)
	assert.Contains(t, stdout, "nothing to add")
	assert.Equal(t, before, ledgerOrders(t, cfg.Ledger), "the ledger is left as it is")
	assert.NoFileExists(t, cfg.Ledger+".rebuild")

	// The input's archive copy lost: the report cannot be matched.
	archived, _ := filepath.Glob(filepath.Join(cfg.Archive, "*", "one.csv"))
	require.Len(t, archived, 1)
	require.NoError(t, os.Remove(archived[0]))
	require.NoError(t, os.Rename(cfg.Ledger, cfg.Ledger+".old"))
	code, stdout, stderr = e.cli("ledger", "rebuild")
	assert.Equal(t, ExitAttention, code, stdout+stderr)
	assert.Contains(t, stdout, "one.result.csv: its input one.csv")
	assert.Contains(t, stdout, "2 rows reported submitted or in_doubt not restored")
}

// A row reported in_doubt comes back in doubt: never resent, still waiting
// for orderdrop resolve.
func TestE2ELedgerRebuildKeepsOrdersInDoubt(t *testing.T) {
	e := newE2E(t, "")
	e.sim.SetFaults(sim.Faults{Next500AfterCreate: 1})
	e.drop("one.csv", l2CSV(t, 2))
	code, out := e.run(time.Now())
	require.Equal(t, ExitAttention, code, out)
	require.Contains(t, out, "1 in_doubt")
	sent := len(e.sim.Orders())
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	before := ledgerOrders(t, cfg.Ledger)
	require.NoError(t, os.Remove(cfg.Ledger))

	code, stdout, stderr := e.cli("ledger", "rebuild")
	require.Equal(t, ExitOK, code, stdout+stderr)
	assert.Contains(t, stdout, "1 submitted, 1 in_doubt")
	after := ledgerOrders(t, cfg.Ledger)
	require.Len(t, after, len(before))
	for key, o := range before {
		assert.Equal(t, o.State, after[key].State, key)
		assert.Equal(t, o.Fingerprint, after[key].Fingerprint, key)
	}

	e.drop("one.csv", l2CSV(t, 2))
	code, out = e.run(time.Now())
	assert.Equal(t, ExitAttention, code, out)
	assert.Contains(t, out, "1 already_submitted, 1 in_doubt")
	assert.Equal(t, sent, len(e.sim.Orders()), "an order in doubt is never resent")
}

// A row reported submitted but without a carrier reference (a report edited
// by hand) is named, not restored.
func TestE2ELedgerRebuildNamesRowsWithoutAReference(t *testing.T) {
	e := newE2E(t, "")
	e.drop("one.csv", l2CSV(t, 2))
	code, out := e.run(time.Now())
	require.Equal(t, ExitOK, code, out)
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	report := filepath.Join(cfg.Reports, "one.result.csv")
	raw, err := os.ReadFile(report)
	require.NoError(t, err)
	ref := e.sim.Orders()[0].Reference
	require.Contains(t, string(raw), ","+ref+",")
	require.NoError(t, os.WriteFile(report, []byte(strings.Replace(string(raw), ","+ref+",", ",,", 1)), 0o640))
	require.NoError(t, os.Remove(cfg.Ledger))

	code, stdout, stderr := e.cli("ledger", "rebuild")
	assert.Equal(t, ExitAttention, code, stdout+stderr)
	assert.Regexp(t, `one\.result\.csv, row \d: submitted without a carrier reference: not restored`, stdout)
	assert.Contains(t, stdout, "restored 1 order (1 submitted, 0 in_doubt)")
	assert.Len(t, ledgerOrders(t, cfg.Ledger), 1)
}

// An operator's shell without the carriers' credentials can rebuild all
// the same (without reference data).
func TestE2ELedgerRebuildWithoutCredentials(t *testing.T) {
	e := newE2E(t, "")
	e.drop("one.csv", l2CSV(t, 2))
	code, out := e.run(time.Now())
	require.Equal(t, ExitOK, code, out)
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	before := ledgerOrders(t, cfg.Ledger)
	require.NoError(t, os.Remove(cfg.Ledger))

	unsetCredentials(t)
	code, stdout, stderr := e.cli("ledger", "rebuild")
	assert.Equal(t, ExitOK, code, stdout+stderr)
	assert.Contains(t, stderr, "reference data is not read")
	after := ledgerOrders(t, cfg.Ledger)
	require.Len(t, after, len(before))
	for key, o := range before {
		assert.Equal(t, o.Fingerprint, after[key].Fingerprint, key)
	}
}

// Yesterday's backup restored over the ledger: it lacks the orders sent
// since. A pass refuses (nothing read or sent) rather than send them again;
// ledger rebuild adds them from the reports, keeping what the ledger holds,
// and the same files dropped again then create nothing.
func TestE2ERestoredOlderLedgerRefusesThenRebuildAddsWhatWasSentSince(t *testing.T) {
	e := newE2E(t, "")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	fileA := l2CSV(t, 3)
	fileB := bytes.ReplaceAll(l2CSV(t, 4), []byte("E2E-"), []byte("E2B-"))

	e.drop("a.csv", fileA)
	code, out := e.run(samplesDay(t))
	require.Equal(t, ExitOK, code, out)
	backup := filepath.Join(e.dir, "yesterday.db")
	code, stdout, stderr := e.main("ledger", "backup", backup)
	require.Equal(t, ExitOK, code, stdout+stderr)

	e.drop("b.csv", fileB)
	code, out = e.run(samplesDay(t))
	require.Equal(t, ExitOK, code, out)
	sent := len(e.sim.Orders())
	require.Equal(t, 7, sent)
	before := ledgerOrders(t, cfg.Ledger)

	data, err := os.ReadFile(backup)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfg.Ledger, data, 0o600))

	e.drop("a.csv", fileA)
	e.drop("b.csv", fileB)
	code, out = e.run(samplesDay(t))
	assert.Equal(t, ExitFatal, code, out)
	assert.Contains(t, out, "looks restored from an older copy")
	assert.Contains(t, out, "orderdrop ledger rebuild")
	assert.Equal(t, sent, len(e.sim.Orders()), "a restored older ledger sends nothing")

	code, stdout, stderr = e.main("ledger", "rebuild")
	require.Equal(t, ExitOK, code, stdout+stderr)
	assert.Contains(t, stdout, "b.result.csv: 4 submitted")
	assert.NotContains(t, stdout, "a.result.csv:", "the batch the ledger holds is left as it is")

	after := ledgerOrders(t, cfg.Ledger)
	for key, o := range before {
		got, ok := after[key]
		if !assert.True(t, ok, "%s: not restored", key) {
			continue
		}
		assert.Equal(t, o.State, got.State, key)
		assert.Equal(t, o.Fingerprint, got.Fingerprint, "%s: fingerprint", key)
		assert.Equal(t, o.Reference, got.Reference, "%s: reference", key)
		assert.Equal(t, o.BatchID, got.BatchID, "%s: batch", key)
	}

	code, out = e.run(samplesDay(t))
	assert.Equal(t, ExitOK, code, out)
	assert.Equal(t, sent, len(e.sim.Orders()), "after the rebuild, the same files dropped again create nothing")
	assert.Contains(t, out, "already_submitted")
	assert.NotContains(t, out, "conflict")
}
