package attention

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

func TestCollect(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clock := now
	l, err := ledger.Open(filepath.Join(dir, "ledger.db"), ledger.Options{Now: func() time.Time { return clock }, NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	in := func(k string) ledger.Intent {
		return ledger.Intent{Key: "ca-port/" + k, Kind: "ca-port", Carrier: "thinktel", Ref: k, Fingerprint: "fp", BatchID: "b",
			Fields: map[string]string{"numbers": "4165550120"}, File: "ports.xlsx", Rows: []int{4}}
	}
	require.NoError(t, l.BeginSubmits([]ledger.Intent{in("DOUBT"), in("FLY"), in("AUTH"), in("DOWN"), in("OK"), in("REJ"), in("BAD"), in("TERM"), in("ODD")}))
	require.NoError(t, l.RecordOutcomes([]ledger.Outcome{
		{Key: "ca-port/DOUBT", State: ledger.InDoubt, Message: "request sent, then timeout"},
		{Key: "ca-port/AUTH", State: ledger.Retryable, Message: "HTTP 401: authentication failed"},
		{Key: "ca-port/DOWN", State: ledger.Retryable, Message: "HTTP 503 (gave up after 5 attempts)"},
		{Key: "ca-port/OK", State: ledger.Submitted, Reference: "PI-1"},
		{Key: "ca-port/REJ", State: ledger.Submitted, Reference: "PI-2"},
		{Key: "ca-port/BAD", State: ledger.Rejected, Message: "HTTP 400"},
		{Key: "ca-port/TERM", State: ledger.Submitted, Reference: "PI-3"},
		{Key: "ca-port/ODD", State: ledger.Submitted, Reference: "PI-4"},
	}))
	clock = clock.Add(time.Hour)
	_, err = l.RecordTracking([]ledger.TrackUpdate{
		{Key: "ca-port/OK", Stage: ledger.StageScheduled, Status: "CONFIRMED", Date: "2026-12-01"},
		{Key: "ca-port/REJ", Stage: ledger.StageRejected, Status: "REJECTED", Message: "End user name does not match"},
		{Key: "ca-port/TERM", Stage: ledger.StageCancelled, Status: "terminated", Message: "Adresse introuvable"},
		{Key: "ca-port/ODD", Stage: ledger.StageUnknown, Status: "SIDEWAYS"},
	})
	require.NoError(t, err)

	failed, processing := filepath.Join(dir, "failed"), filepath.Join(dir, "processing")
	require.NoError(t, os.MkdirAll(failed, 0o700))
	require.NoError(t, os.MkdirAll(processing, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(failed, "broken.xlsx"), []byte("x"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(failed, "broken.xlsx.error.txt"), []byte(
		"orderdrop could not process \"broken.xlsx\".\n\norderdrop could not read broken.xlsx:\n\nthe file is damaged\n\nThe file was moved here unchanged on 2026-11-23.\nTo try again, correct it.\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(processing, "left.csv"), []byte("x"), 0o600))

	items, err := Collect(context.Background(), Sources{Ledger: l, Failed: failed, Processing: processing, Inbox: "inbox"})
	require.NoError(t, err)
	got := map[string]Item{}
	for _, it := range items {
		k := it.Key
		if k == "" {
			k = filepath.Base(it.File)
		}
		got[k] = it
	}
	wantKinds := map[string]Kind{
		"ca-port/DOUBT": InDoubt, "ca-port/FLY": InDoubt, "ca-port/AUTH": NotSubmittedCredentials,
		"ca-port/DOWN": NotSubmittedOutage, "ca-port/REJ": RejectedAtCarrier, "broken.xlsx": FailedFile, "left.csv": StalledFile,
		"ca-port/BAD": RejectedAtSubmission, "ca-port/TERM": CancelledAtCarrier, "ca-port/ODD": UnknownStatus,
	}
	gotKinds := map[string]Kind{}
	for k, it := range got {
		gotKinds[k] = it.Kind
		assert.NotEmpty(t, it.What, k)
		assert.NotEmpty(t, it.Action, k)
		assert.False(t, it.Since.IsZero(), k)
	}
	assert.Equal(t, wantKinds, gotKinds, "OK (scheduled) needs nobody")
	ids := map[string]bool{}
	for k, it := range got {
		assert.Len(t, it.ID, 8, "%s: a short id to acknowledge it", k)
		assert.False(t, ids[it.ID], "%s: ids are unique", k)
		ids[it.ID] = true
	}

	doubt := got["ca-port/DOUBT"]
	assert.Contains(t, doubt.What, "request sent, then timeout")
	assert.Contains(t, doubt.Action, `orderdrop resolve "ca-port/DOUBT" --reference REF`)
	assert.Contains(t, doubt.Action, "numbers 4165550120", "says what to look up")
	assert.Equal(t, "ports.xlsx", doubt.File)
	assert.Equal(t, "row 4", doubt.Rows)
	assert.Contains(t, got["ca-port/FLY"].Action, "next `orderdrop run`")
	assert.Contains(t, got["ca-port/AUTH"].Action, "carriers.thinktel")
	assert.Contains(t, got["ca-port/REJ"].What, "End user name does not match")
	assert.Contains(t, got["ca-port/REJ"].Action, "same order_ref")
	assert.Contains(t, got["ca-port/TERM"].What, "Adresse introuvable")
	assert.Contains(t, got["ca-port/TERM"].What, "cancelled")
	assert.Contains(t, got["ca-port/ODD"].What, "unknown status SIDEWAYS: needs a look")
	assert.Contains(t, got["ca-port/BAD"].What, "HTTP 400")
	assert.Equal(t, now.Add(time.Hour), got["ca-port/REJ"].Since)
	assert.Equal(t, "orderdrop could not read broken.xlsx: the file is damaged", got["broken.xlsx"].What)

	empty, err := Collect(context.Background(), Sources{})
	require.NoError(t, err)
	assert.Empty(t, empty)
}

// An acknowledged item leaves the list, and comes back with its note under
// All; a new cause (the next attempt turned down) is a new item.
func TestCollectLeavesAcknowledgedItems(t *testing.T) {
	dir := t.TempDir()
	l, err := ledger.Open(filepath.Join(dir, "ledger.db"), ledger.Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	in := func(k, fp string) ledger.Intent {
		return ledger.Intent{Key: "l2/" + k, Kind: "l2", Carrier: "prizz", Ref: k, Fingerprint: fp, BatchID: "b", File: "l2.xlsx", Rows: []int{2}}
	}
	require.NoError(t, l.BeginSubmits([]ledger.Intent{in("GONE", "fp1")}))
	require.NoError(t, l.RecordOutcomes([]ledger.Outcome{{Key: "l2/GONE", State: ledger.Rejected, Message: "HTTP 400"}}))

	items, err := Collect(context.Background(), Sources{Ledger: l})
	require.NoError(t, err)
	require.Len(t, items, 1)
	id := items[0].ID
	require.NoError(t, l.Acknowledge(ledger.Ack{ID: id, By: "alice", Note: "customer gave up"}))

	items, err = Collect(context.Background(), Sources{Ledger: l})
	require.NoError(t, err)
	assert.Empty(t, items, "got %d items, want the acknowledged one gone", len(items))
	items, err = Collect(context.Background(), Sources{Ledger: l, All: true})
	require.NoError(t, err)
	require.Len(t, items, 1)
	require.NotNil(t, items[0].Ack)
	assert.Equal(t, "customer gave up", items[0].Ack.Note)
	assert.Equal(t, "alice", items[0].Ack.By)

	// Sent again, rejected again: attempt 2 is a new item.
	require.NoError(t, l.BeginSubmits([]ledger.Intent{in("GONE", "fp2")}))
	require.NoError(t, l.RecordOutcomes([]ledger.Outcome{{Key: "l2/GONE", State: ledger.Rejected, Message: "HTTP 400 again"}}))
	items, err = Collect(context.Background(), Sources{Ledger: l})
	require.NoError(t, err)
	require.Len(t, items, 1)
	assert.NotEqual(t, id, items[0].ID)
}

// Files with invalid rows (until a later drop of the same file), files and
// folders the inbox cannot take, and files waiting with a modification
// time in the future are listed, one line per file.
func TestCollectFiles(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	l, err := ledger.Open(filepath.Join(dir, "ledger.db"), ledger.Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	reports := filepath.Join(dir, "reports")
	put := func(id, file string, invalid int) {
		b := &ledger.Batch{ID: id, File: file, Report: filepath.Join(reports, strings.TrimSuffix(file, filepath.Ext(file))+".result.xlsx"),
			Finished: now, Done: true, Counts: map[string]int{"submitted": 2, "invalid": invalid}}
		require.NoError(t, l.PutBatch(b))
	}
	put("20261207T080000-0001", "ports.xlsx", 23)
	put("20261207T080100-0001", "all.csv", 1)
	put("20261207T080000-0002", "links.csv", 2)
	put("20261207T080500-0001", "links.csv", 0) // corrected
	put("20261207T080600-0001", "fr.xlsx", 3)
	put("20261207T080700-0001", "fr.to-fix.xlsx", 0) // its to-fix file, corrected and dropped back

	inbox := filepath.Join(dir, "inbox")
	require.NoError(t, os.MkdirAll(filepath.Join(inbox, "sub folder"), 0o700))
	for _, n := range []string{"orders.ods", "orders.tsv", "later.xlsx", "fine.csv", "~$lock.xlsx", "loa.pdf"} {
		require.NoError(t, os.WriteFile(filepath.Join(inbox, n), []byte("x"), 0o600))
	}
	require.NoError(t, os.Chtimes(filepath.Join(inbox, "later.xlsx"), now.Add(48*time.Hour), now.Add(48*time.Hour)))
	require.NoError(t, os.Chtimes(filepath.Join(inbox, "fine.csv"), now.Add(-time.Hour), now.Add(-time.Hour)))

	items, err := Collect(context.Background(), Sources{Ledger: l, Inbox: inbox, Now: func() time.Time { return now }})
	require.NoError(t, err)
	got := map[string]Item{}
	for _, it := range items {
		got[filepath.Base(it.File)] = it
	}
	gotKinds := map[string]Kind{}
	for k, it := range got {
		gotKinds[k] = it.Kind
		assert.NotEmpty(t, it.ID, k)
	}
	assert.Equal(t, map[string]Kind{"ports.xlsx": InvalidRows, "all.csv": InvalidRows, "orders.ods": UnsupportedFile, "orders.tsv": UnsupportedFile,
		"sub folder": UnsupportedFile, "later.xlsx": FutureFile}, gotKinds)
	assert.Contains(t, got["ports.xlsx"].What, "23 invalid rows")
	assert.Contains(t, got["ports.xlsx"].Action, "ports.to-fix.xlsx, in the reports folder beside ports.result.xlsx")
	assert.Contains(t, got["orders.ods"].Action, "save it as .xlsx or .csv")
	assert.Contains(t, got["sub folder"].What, "folder")
	assert.Contains(t, got["later.xlsx"].What, "in the future")
}

// An all-or-nothing hold is its own item: the file, how many valid rows it
// held back for how many invalid ones, the setting, and what to do; it
// leaves when a later batch reads the same file name.
func TestCollectAllOrNothingHold(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	l, err := ledger.Open(filepath.Join(dir, "ledger.db"), ledger.Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	reports := filepath.Join(dir, "reports")
	held := &ledger.Batch{ID: "20261207T080100-0001", File: "all.csv", Report: filepath.Join(reports, "all.result.csv"), Finished: now, Done: true,
		Counts: map[string]int{"invalid": 1, "not_submitted": 4},
		Holds:  []ledger.Hold{{Kind: "fr-port", Held: 4, Invalid: 1, Setting: "kinds.fr-port.all_or_nothing"}}}
	require.NoError(t, l.PutBatch(held))
	// Counts alone (a batch of an outage, say) are no hold.
	require.NoError(t, l.PutBatch(&ledger.Batch{ID: "20261207T080200-0001", File: "other.csv", Finished: now, Done: true,
		Counts: map[string]int{"invalid": 2, "not_submitted": 3}}))

	items, err := Collect(context.Background(), Sources{Ledger: l})
	require.NoError(t, err)
	var kinds []string
	var hold Item
	for _, it := range items {
		kinds = append(kinds, filepath.Base(it.File)+" "+string(it.Kind))
		if it.Kind == AllOrNothingHold {
			hold = it
		}
	}
	assert.ElementsMatch(t, []string{"all.csv invalid_rows", "all.csv all_or_nothing_hold", "other.csv invalid_rows"}, kinds)
	assert.Equal(t, "all.csv", hold.File)
	assert.NotEmpty(t, hold.ID)
	assert.Contains(t, hold.What, "4 valid fr-port rows held back because of 1 invalid fr-port row")
	assert.Contains(t, hold.What, "kinds.fr-port.all_or_nothing")
	assert.Contains(t, hold.Action, "all.to-fix.xlsx")
	assert.Contains(t, hold.Action, "drop the whole file again")
	assert.Contains(t, hold.Action, "set kinds.fr-port.all_or_nothing to false")

	// The corrected file read again: the hold leaves.
	require.NoError(t, l.PutBatch(&ledger.Batch{ID: "20261207T090000-0001", File: "all.csv", Finished: now, Done: true,
		Counts: map[string]int{"submitted": 5}}))
	items, err = Collect(context.Background(), Sources{Ledger: l})
	require.NoError(t, err)
	for _, it := range items {
		assert.NotEqual(t, AllOrNothingHold, it.Kind, "%+v", it)
	}
}
