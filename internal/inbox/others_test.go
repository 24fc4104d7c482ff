package inbox

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNotOrderFiles: files the inbox cannot take are listed, so that the
// pass reports them instead of leaving them unnoticed; lock and temporary
// files, attachments, folders and links are not; nothing is moved.
func TestNotOrderFiles(t *testing.T) {
	e := newEnv(t)
	files := []string{"orders.ods", "orders.tsv", "Orders.NUMBERS", "notes.docx", "README",
		"orders.csv", "orders.xlsx", "loa-client.pdf", "LOA.PDF", "~$orders.xlsx", ".~lock.orders.ods#", "a.tmp", "x.part", ".hidden.ods"}
	for _, name := range files {
		write(t, e.opts.Inbox, name, "x", time.Hour)
	}
	require.NoError(t, os.Mkdir(filepath.Join(e.opts.Inbox, "old.ods"), 0o750))
	require.NoError(t, os.Symlink(filepath.Join(e.opts.Inbox, "orders.ods"), filepath.Join(e.opts.Inbox, "link.ods")))
	write(t, e.opts.Processing, "stale.ods", "x", time.Hour)

	got, err := e.box.NotOrderFiles(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"Orders.NUMBERS", "README", "notes.docx", "orders.ods", "orders.tsv"}, got)
	for _, name := range files {
		assert.FileExists(t, filepath.Join(e.opts.Inbox, name), "listing never moves or removes")
	}

	ready, _, err := e.box.Scan(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"orders.csv", "orders.xlsx"}, names(ready), "the order files are still taken")
}

func TestNotOrderFilesCustomAttachments(t *testing.T) {
	e := newEnv(t)
	o := e.opts
	o.Attachments = []string{".pdf", ".PNG"}
	box, err := New(o)
	require.NoError(t, err)
	write(t, o.Inbox, "scan.png", "x", time.Hour)
	write(t, o.Inbox, "scan.jpg", "x", time.Hour)
	got, err := box.NotOrderFiles(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"scan.jpg"}, got)
}

func TestNotOrderFilesCancelled(t *testing.T) {
	e := newEnv(t)
	write(t, e.opts.Inbox, "a.ods", "x", time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.box.NotOrderFiles(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}
