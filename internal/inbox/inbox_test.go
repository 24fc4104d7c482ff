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

// t0 is the tests' "now".
var t0 = time.Date(2026, 11, 23, 14, 5, 2, 0, time.UTC)

type env struct {
	root string
	opts Options
	box  *Inbox
}

func newEnv(t *testing.T) *env {
	t.Helper()
	root := t.TempDir()
	opts := Options{
		Inbox:      filepath.Join(root, "inbox"),
		Processing: filepath.Join(root, "processing"),
		Archive:    filepath.Join(root, "archive"),
		Failed:     filepath.Join(root, "failed"),
		Now:        func() time.Time { return t0 },
	}
	box, err := New(opts)
	require.NoError(t, err)
	return &env{root: root, opts: opts, box: box}
}

// write creates dir/name holding content, modified age before t0.
func write(t *testing.T, dir, name, content string, age time.Duration) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o640))
	require.NoError(t, os.Chtimes(p, t0.Add(-age), t0.Add(-age)))
	return p
}

func names(cs []Candidate) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return string(b)
}

func TestNew(t *testing.T) {
	e := newEnv(t)
	for _, d := range []string{e.opts.Inbox, e.opts.Processing, e.opts.Archive, e.opts.Failed} {
		fi, err := os.Stat(d)
		require.NoError(t, err)
		assert.True(t, fi.IsDir())
		assert.Equal(t, os.FileMode(0o750), fi.Mode().Perm(), d)
	}
	assert.Equal(t, e.opts.Inbox, e.box.Dir())

	tests := []struct {
		name   string
		change func(*Options)
		want   string
	}{
		{"no inbox", func(o *Options) { o.Inbox = "" }, "inbox folder is not set"},
		{"no failed", func(o *Options) { o.Failed = "" }, "failed folder is not set"},
		{"bad pattern", func(o *Options) { o.Skip = []string{"[a"} }, `skip pattern "[a"`},
		{"extension without dot", func(o *Options) { o.Extensions = []string{"csv"} }, `extension "csv"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := e.opts
			tt.change(&o)
			_, err := New(o)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestScanFilters(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"orders.xlsx", true},
		{"ORDERS-UPPER.CSV", true},
		{"macro.xlsm", true},
		{"old.xls", true},
		{"list.txt", true},
		{"~$l2-openpyxl.xlsx", false}, // Excel owner (lock) file
		{".~lock.x.xlsx#", false},     // LibreOffice lock file
		{"a.tmp", false},
		{"download.csv.part", false},
		{".hidden.csv", false},
		{"loa-harbourfront-physio.pdf", false}, // attachment: left alone
		{"README", false},
	}
	e := newEnv(t)
	var want []string
	for i, tt := range tests {
		write(t, e.opts.Inbox, tt.name, "x", time.Hour+time.Duration(i)*time.Second)
		if tt.want {
			want = append([]string{tt.name}, want...) // older ones were written later
		}
	}
	require.NoError(t, os.Mkdir(filepath.Join(e.opts.Inbox, "folder.csv"), 0o750))
	require.NoError(t, os.Symlink(filepath.Join(e.opts.Inbox, "orders.xlsx"), filepath.Join(e.opts.Inbox, "link.csv")))

	ready, waiting, err := e.box.Scan(context.Background())
	require.NoError(t, err)
	assert.Equal(t, want, names(ready))
	assert.Empty(t, waiting)
	for _, tt := range tests {
		assert.FileExists(t, filepath.Join(e.opts.Inbox, tt.name), "scanning never moves or removes")
	}
}

func TestScanCustomFilters(t *testing.T) {
	e := newEnv(t)
	o := e.opts
	o.Skip = []string{}
	o.Extensions = []string{".CSV"}
	box, err := New(o)
	require.NoError(t, err)
	write(t, o.Inbox, ".dot.csv", "x", time.Hour)
	write(t, o.Inbox, "b.xlsx", "x", time.Hour)
	ready, _, err := box.Scan(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{".dot.csv"}, names(ready))
}

func TestScanStability(t *testing.T) {
	tests := []struct {
		name        string
		age         time.Duration
		stableAfter time.Duration
		wantReady   bool
	}{
		{"young file waits", 10 * time.Second, 0, false},
		{"just old enough (default 30s)", 30 * time.Second, 0, true},
		{"old file", time.Hour, 0, true},
		{"mtime in the future waits", -time.Minute, 0, false},
		{"custom window", 3 * time.Minute, 5 * time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			o := e.opts
			o.StableAfter = tt.stableAfter
			box, err := New(o)
			require.NoError(t, err)
			write(t, o.Inbox, "f.csv", "a;b\n", tt.age)
			ready, waiting, err := box.Scan(context.Background())
			require.NoError(t, err)
			if tt.wantReady {
				assert.Equal(t, []string{"f.csv"}, names(ready))
				assert.Empty(t, waiting)
			} else {
				assert.Empty(t, ready)
				assert.Equal(t, []string{"f.csv"}, names(waiting))
			}
		})
	}
}

func TestScanSizeChangedBetweenScans(t *testing.T) {
	e := newEnv(t)
	p := write(t, e.opts.Inbox, "growing.csv", "a;b\n", time.Hour)
	ready, _, err := e.box.Scan(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"growing.csv"}, names(ready))

	// Grows but keeps its (old) mtime, like a copy tool preserving times.
	require.NoError(t, os.WriteFile(p, []byte("a;b\n1;2\n"), 0o640))
	require.NoError(t, os.Chtimes(p, t0.Add(-time.Hour), t0.Add(-time.Hour)))
	ready, waiting, err := e.box.Scan(context.Background())
	require.NoError(t, err)
	assert.Empty(t, ready)
	assert.Equal(t, []string{"growing.csv"}, names(waiting))

	ready, waiting, err = e.box.Scan(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"growing.csv"}, names(ready), "unchanged since the last scan: stable again")
	assert.Empty(t, waiting)
}

func TestScanOrder(t *testing.T) {
	e := newEnv(t)
	write(t, e.opts.Inbox, "new.csv", "x", time.Hour)
	write(t, e.opts.Inbox, "old.xlsx", "x", 3*time.Hour)
	write(t, e.opts.Inbox, "b-tie.csv", "x", 2*time.Hour)
	write(t, e.opts.Inbox, "a-tie.csv", "x", 2*time.Hour)
	write(t, e.opts.Inbox, "young.csv", "x", time.Second)
	write(t, e.opts.Processing, "resumed-new.csv", "x", 5*time.Hour)
	write(t, e.opts.Processing, "resumed-old.csv", "x", 9*time.Hour)
	write(t, e.opts.Processing, "~$lock.xlsx", "x", 9*time.Hour)

	ready, waiting, err := e.box.Scan(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"resumed-old.csv", "resumed-new.csv", "old.xlsx", "a-tie.csv", "b-tie.csv", "new.csv"}, names(ready))
	assert.Equal(t, []string{"young.csv"}, names(waiting))
	for i, c := range ready {
		assert.Equal(t, i < 2, c.Resumed, c.Name)
	}
	assert.Equal(t, filepath.Join(e.opts.Processing, "resumed-old.csv"), ready[0].Path)
}

func TestScanCancelled(t *testing.T) {
	e := newEnv(t)
	write(t, e.opts.Inbox, "a.csv", "x", time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := e.box.Scan(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}
