package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/inbox"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/observe"
	"github.com/orderdrop/orderdrop/internal/review"
	"github.com/orderdrop/orderdrop/internal/snapshot"
)

var samplesDir = filepath.Join("..", "..", "samples")

// samplesDay is the day the committed samples were generated (their
// fr-port dates are valid from there), at noon Paris.
func samplesDay(t *testing.T) time.Time {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	return time.Date(2026, 12, 2, 12, 0, 0, 0, paris)
}

// sampleFiles are the order files of samples/ (and the letter of
// authorization one of them names).
var sampleFiles = []string{"all-kinds.xlsx", "ca-port-orders.xlsx", "fr-port-excel-fr.csv", "fr-port-orders.xlsx", "l2-orders.xlsx", "loa-lakeshore-dental.pdf"}

func (e *e2e) dropSamples() {
	e.t.Helper()
	for _, name := range sampleFiles {
		e.dropFile(filepath.Join(samplesDir, name))
	}
}

// cli runs the command line in this process.
func (e *e2e) cli(args ...string) (int, string, string) {
	e.t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), append([]string{"--config", e.cfg}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// Today's accident: the ledger moved away, the archived files dropped
// again. The pass refuses, says what it found and the ways out; with
// --new-ledger it proceeds, and the new ledger records the fresh start.
// passOverSamples runs a pass over the samples and returns the
// configuration, how many orders reached the sandbox and the ledger's id.
func (e *e2e) passOverSamples() (cfg *config.Config, sent int, ledgerID string) {
	t := e.t
	t.Helper()
	e.dropSamples()
	code, out := e.run(samplesDay(t))
	require.NotEqual(t, ExitFatal, code, out)
	sent = len(e.sim.Orders())
	require.Positive(t, sent)
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	l, err := ledger.OpenReadOnly(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	ledgerID = l.ID()
	require.NoError(t, l.Close())
	require.NotEmpty(t, ledgerID)
	return cfg, sent, ledgerID
}

func TestE2ELostLedgerRefusesToResend(t *testing.T) {
	e := newE2E(t, "")
	cfg, sent, oldID := e.passOverSamples()

	require.NoError(t, os.Rename(cfg.Ledger, cfg.Ledger+".moved"))
	e.dropSamples()
	for _, cmd := range []string{"run", "track"} {
		code, stdout, stderr := e.cli(cmd)
		assert.Equal(t, ExitFatal, code, "%s: %s%s", cmd, stdout, stderr)
		assert.Contains(t, stderr, "reports/ holds 5 reports", cmd)
		assert.Contains(t, stderr, "ledger "+oldID, cmd)
		assert.Contains(t, stderr, "l2-orders.result.xlsx", cmd)
		assert.Contains(t, stderr, "orderdrop ledger rebuild", cmd)
		assert.Contains(t, stderr, "--new-ledger", cmd)
		assert.NoFileExists(t, cfg.Ledger, "%s: no ledger is created", cmd)
	}
	assert.Equal(t, sent, len(e.sim.Orders()), "nothing sent again")
	for _, name := range sampleFiles {
		assert.FileExists(t, filepath.Join(e.dir, "inbox", name), "nothing read")
	}

	// An empty ledger in its place is no better.
	empty, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	require.NoError(t, empty.Close())
	code, _, stderr := e.cli("run")
	assert.Equal(t, ExitFatal, code, stderr)
	assert.Contains(t, stderr, "is empty")
	assert.Equal(t, sent, len(e.sim.Orders()), "nothing sent again")

	code, stdout, stderr := e.cli("run", "--new-ledger")
	assert.NotEqual(t, ExitFatal, code, stdout+stderr)
	assert.Greater(t, len(e.sim.Orders()), sent, "a deliberate fresh start sends")
	fresh, err := ledger.OpenReadOnly(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	defer fresh.Close()
	origin, err := fresh.Origin()
	require.NoError(t, err)
	assert.Equal(t, ledger.OriginFresh, origin.How)
	assert.Contains(t, origin.Note, oldID)
	assert.NotEqual(t, oldID, fresh.ID())
}

// A new installation, its folders empty, starts as it always did.
func TestE2ENewInstallationStarts(t *testing.T) {
	e := newE2E(t, "")
	e.drop("one.csv", l2CSV(t, 1))
	code, stdout, stderr := e.cli("run")
	assert.Equal(t, ExitOK, code, stdout+stderr)
	assert.Len(t, e.sim.Orders(), 1)
}

// The status snapshot a pass keeps beside the ledger names the ledger, as
// the reports do.
func TestStatusSnapshotNamesTheLedger(t *testing.T) {
	e := newE2E(t, "")
	e.drop("one.csv", l2CSV(t, 1))
	code, out := e.run(time.Now())
	require.Equal(t, ExitOK, code, out)
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	snap, err := snapshot.Read(cfg.Ledger)
	require.NoError(t, err)
	l, err := ledger.OpenReadOnly(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	defer l.Close()
	assert.Equal(t, l.ID(), snap.LedgerID)
	raw, err := os.ReadFile(snapshot.Path(cfg.Ledger))
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"ledger_id":"`+l.ID()+`"`)
}

// The daemon's passes open the ledger through the gate, with the same guard.
func TestDaemonPassRefusesALostLedger(t *testing.T) {
	e := newE2E(t, "")
	e.drop("one.csv", l2CSV(t, 1))
	code, out := e.run(time.Now())
	require.Equal(t, ExitOK, code, out)
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	require.NoError(t, os.Remove(cfg.Ledger))

	var g review.Gate
	_, err = g.OpenForPass(func() (*ledger.Ledger, error) { return openPassLedger(cfg, false, newLogger(io.Discard, cfg.Log)) })
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, ExitFatal, ee.Code)
	assert.Contains(t, err.Error(), "orderdrop ledger rebuild")
	assert.NoFileExists(t, cfg.Ledger)

	l, err := g.OpenForPass(func() (*ledger.Ledger, error) { return openPassLedger(cfg, true, newLogger(io.Discard, cfg.Log)) })
	require.NoError(t, err)
	require.NoError(t, g.ClosePass(l))
}

// The daemon's --new-ledger allows one fresh start, not one every time the
// ledger goes missing while it runs.
func TestDaemonNewLedgerAllowsOneFreshStart(t *testing.T) {
	e := newE2E(t, "")
	e.drop("one.csv", l2CSV(t, 1))
	code, out := e.run(time.Now())
	require.Equal(t, ExitOK, code, out)
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	log := newLogger(io.Discard, cfg.Log)
	d := newDaemon(io.Discard, log, metrics.New(), true)
	require.NoError(t, d.configure(cfg))
	passes := 0
	pass := func(*ledger.Ledger, *config.Config, *inbox.Inbox, *observe.Record) (int, error) {
		passes++
		return ExitOK, nil
	}

	require.NoError(t, os.Remove(cfg.Ledger))
	d.jobs.Exclusive(context.Background(), "run", "pass", "", pass)
	assert.Equal(t, 1, passes, "the fresh start asked for")
	assert.FileExists(t, cfg.Ledger)

	require.NoError(t, os.Remove(cfg.Ledger))
	d.jobs.Exclusive(context.Background(), "run", "pass", "", pass)
	assert.Equal(t, 1, passes, "a ledger lost again is refused")
	assert.NoFileExists(t, cfg.Ledger)
}
