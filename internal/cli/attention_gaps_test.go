package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/snapshot"
)

// While a pass holds the ledger, `attention --all` still shows what a
// person acknowledged, with the ack, and plain `attention` leaves it out.
func TestAttentionAllDuringAPassShowsAcknowledged(t *testing.T) {
	e := newE2E(t, "")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	held, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	defer held.Close()
	in := ledger.Intent{Key: "ca-port/CA-9", Kind: "ca-port", Carrier: "thinktel", Ref: "CA-9", Fingerprint: "fp", BatchID: "b1",
		File: "ports.csv", Rows: []int{4}, Fields: map[string]string{"numbers": "4165550109"}}
	require.NoError(t, held.BeginSubmits([]ledger.Intent{in}))
	require.NoError(t, held.RecordOutcomes([]ledger.Outcome{{Key: in.Key, State: ledger.Rejected, Message: "number not portable"}}))
	e.drop("orders.ods", []byte("not read"))
	items, err := attention.Collect(context.Background(), attention.Sources{Ledger: held, Inbox: cfg.Inbox})
	require.NoError(t, err)
	require.Len(t, items, 2)
	for _, it := range items {
		require.NoError(t, held.Acknowledge(ledger.Ack{ID: it.ID, By: "ana", Note: "customer withdrew"}))
	}
	snapshot.Start(held, slog.New(slog.DiscardHandler), time.Hour).Close()

	var out bytes.Buffer
	code, err := runAttention(context.Background(), cfg, attentionOptions{json: true}, &out)
	require.NoError(t, err)
	assert.Equal(t, ExitOK, code, out.String())
	var got []attention.Item
	require.NoError(t, json.Unmarshal(out.Bytes(), &got), out.String())
	assert.Empty(t, got, "an acknowledged item is left out of the plain list")

	out.Reset()
	_, err = runAttention(context.Background(), cfg, attentionOptions{json: true, all: true}, &out)
	require.NoError(t, err)
	got = nil
	require.NoError(t, json.Unmarshal(out.Bytes(), &got), out.String())
	require.Len(t, got, 2, "--all shows the acknowledged items during a pass")
	for _, it := range got {
		if assert.NotNil(t, it.Ack, "%s %s", it.Kind, it.File) {
			assert.Equal(t, "customer withdrew", it.Ack.Note)
		}
	}
}

// A file of an all-or-nothing kind with an invalid row: `orderdrop
// attention` lists the hold as its own item, with the setting and what to
// do, beside the invalid rows.
func TestAttentionListsAllOrNothingHold(t *testing.T) {
	e := newE2E(t, "kinds:\n  l2:\n    all_or_nothing: true\n")
	e.drop("links.csv", withInvalidRow(t, 2))
	code, out := e.runCommand()
	require.Equal(t, ExitAttention, code, out)

	code, stdout, stderr := e.cli("attention", "--json")
	require.Equal(t, ExitAttention, code, stderr)
	var got []attention.Item
	require.NoError(t, json.Unmarshal([]byte(stdout), &got), stdout)
	kinds := map[attention.Kind]attention.Item{}
	for _, it := range got {
		kinds[it.Kind] = it
	}
	require.Contains(t, kinds, attention.AllOrNothingHold, stdout)
	require.Contains(t, kinds, attention.InvalidRows, stdout)
	hold := kinds[attention.AllOrNothingHold]
	assert.Equal(t, "links.csv", hold.File)
	assert.Contains(t, hold.What, "2 valid l2 rows held back because of 1 invalid l2 row")
	assert.Contains(t, hold.What, "kinds.l2.all_or_nothing")
	assert.Contains(t, hold.Action, "links.to-fix.xlsx")
}

// An unsupported file or folder dropped in the inbox reaches the person who
// dropped it: it triggers a digest by itself, once (by name and
// modification time), not only in digests something else triggers.
func TestUnsupportedFileTriggersOneDigest(t *testing.T) {
	e, smtpSrv, hook := observedE2E(t)
	require.NoError(t, os.MkdirAll(filepath.Join(e.dir, "node"), 0o750))
	e.drop("orders.ods", []byte("PK not read"))
	code, out := e.runCommand()
	assert.NotEqual(t, ExitFatal, code, out)

	bodies := hook.bodies()
	require.Len(t, bodies, 1, "an unsupported file alone sends a digest: %s", out)
	assert.Contains(t, bodies[0].Text, "orders.ods")
	assert.Contains(t, bodies[0].Text, "save it as .xlsx or .csv")
	assert.NotContains(t, bodies[0].Text, e.dir, "the file's name, not its path on the server")
	require.Len(t, smtpSrv.Received(), 1, "and a mail")

	// Told once: a later pass with the file still there sends nothing.
	code, out = e.runCommand()
	assert.NotEqual(t, ExitFatal, code, out)
	assert.Len(t, hook.bodies(), 1, "the same file is not told twice")

	// The same name saved again (a new modification time) is told again;
	// so is a folder.
	later := time.Now().Add(-time.Minute)
	require.NoError(t, os.Chtimes(filepath.Join(e.dir, "inbox", "orders.ods"), later, later))
	require.NoError(t, os.Mkdir(filepath.Join(e.dir, "inbox", "march"), 0o750))
	code, out = e.runCommand()
	assert.NotEqual(t, ExitFatal, code, out)
	bodies = hook.bodies()
	require.Len(t, bodies, 2, out)
	assert.Contains(t, bodies[1].Text, "orders.ods")
	assert.Contains(t, bodies[1].Text, "march")
}
