package inbox

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// otherFilesystem makes link and rename answer EXDEV between folders, as
// the kernel does when archive/ is on another filesystem than processing/.
func otherFilesystem(t *testing.T) {
	t.Helper()
	saved := sys
	t.Cleanup(func() { sys = saved })
	exdev := func(call func(string, string) error) func(string, string) error {
		return func(oldpath, newpath string) error {
			if filepath.Dir(oldpath) != filepath.Dir(newpath) {
				return &os.LinkError{Op: "link", Old: oldpath, New: newpath, Err: syscall.EXDEV}
			}
			return call(oldpath, newpath)
		}
	}
	sys.link, sys.rename = exdev(os.Link), exdev(os.Rename)
}

// entries lists a folder's names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := []string{}
	for _, d := range des {
		out = append(out, d.Name())
	}
	return out
}

func TestArchiveAcrossFilesystems(t *testing.T) {
	otherFilesystem(t)
	e := newEnv(t)
	day := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	dayDir := filepath.Join(e.opts.Archive, "2026-11-23")
	tests := []struct{ content, want string }{
		{"first", "orders.xlsx"},
		{"second", "orders.2.xlsx"}, // a clash across filesystems gets a free name too
	}
	for _, tt := range tests {
		p := write(t, e.opts.Processing, "orders.xlsx", tt.content, time.Hour)
		require.NoError(t, os.Chmod(p, 0o604))
		got, err := e.box.Archive(p, day)
		require.NoError(t, err, "EXDEV falls back to copy + fsync + link + remove")
		assert.Equal(t, filepath.Join(dayDir, tt.want), got)
		assert.NoFileExists(t, p, "the original is removed once the copy is in place")
		assert.Equal(t, tt.content, read(t, got))
		fi, err := os.Stat(got)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o604), fi.Mode().Perm(), "the mode is kept")
		assert.True(t, fi.ModTime().Equal(t0.Add(-time.Hour)), "the modification time is kept")
	}
	assert.Equal(t, []string{"orders.2.xlsx", "orders.xlsx"}, entries(t, dayDir), "no temporary file left")

	// Claim and Fail cross filesystems the same way.
	write(t, e.opts.Inbox, "in.csv", "a;b\n", time.Hour)
	claimed, err := e.box.Claim(scanOne(t, e))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(e.opts.Processing, "in.csv"), claimed)
	failed, err := e.box.Fail(claimed, "damaged")
	require.NoError(t, err)
	assert.Equal(t, "a;b\n", read(t, failed))
	assert.Empty(t, entries(t, e.opts.Processing))
}

func TestArchiveOnARealOtherFilesystem(t *testing.T) {
	shm, err := os.MkdirTemp("/dev/shm", "orderdrop-test-")
	if err != nil {
		t.Skipf("no tmpfs at /dev/shm: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(shm) })
	root := t.TempDir()
	if d1, ok1 := device(root); !ok1 {
		t.Skip("no device numbers here")
	} else if d2, _ := device(shm); d1 == d2 {
		t.Skip("/dev/shm is on the same filesystem as the temp folder")
	}
	box, err := New(Options{Inbox: filepath.Join(root, "inbox"), Processing: filepath.Join(root, "processing"),
		Archive: filepath.Join(shm, "archive"), Failed: filepath.Join(root, "failed"), Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	assert.Equal(t, []string{"archive"}, box.OtherFilesystems(), "New tells which folders need a copy")
	p := write(t, filepath.Join(root, "processing"), "o.csv", "data", time.Hour)
	got, err := box.Archive(p, t0)
	require.NoError(t, err)
	assert.Equal(t, "data", read(t, got))
	assert.NoFileExists(t, p)
}

func TestArchiveFailsForGood(t *testing.T) {
	otherFilesystem(t)
	e := newEnv(t)
	disk := errors.New("input/output error")
	sys.copy = func(dst io.Writer, src io.Reader) (int64, error) {
		n, _ := io.CopyN(dst, src, 2) // half written, then the disk fails
		return n, disk
	}
	p := write(t, e.opts.Processing, "orders.xlsx", "content", time.Hour)
	got, err := e.box.Archive(p, t0)
	require.ErrorIs(t, err, disk)
	assert.Empty(t, got)
	assert.Equal(t, "content", read(t, p), "the original stays where it was, whole")
	assert.Empty(t, entries(t, filepath.Join(e.opts.Archive, "2026-11-23")), "no partial copy left in archive/")
}

func TestNewChecksFolders(t *testing.T) {
	root := t.TempDir()
	file := write(t, root, "a-file", "x", 0)
	opts := Options{Inbox: filepath.Join(root, "inbox"), Processing: filepath.Join(root, "processing"),
		Archive: filepath.Join(file, "archive"), Failed: filepath.Join(root, "failed")}
	_, err := New(opts)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the archive folder "+opts.Archive+" does not exist and cannot be created")

	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(root, "ro")
		require.NoError(t, os.Mkdir(ro, 0o500))
		opts.Archive = ro
		_, err = New(opts)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "the archive folder "+ro+" is not writable")
	}

	opts.Archive = filepath.Join(root, "archive")
	box, err := New(opts)
	require.NoError(t, err)
	assert.Nil(t, box.OtherFilesystems(), "all on one filesystem")
	assert.Empty(t, entries(t, opts.Archive), "the write check leaves nothing behind")
}

func TestErrorFileAndArchiveDayInLocation(t *testing.T) {
	root := t.TempDir()
	toronto, err := time.LoadLocation("America/Toronto")
	require.NoError(t, err)
	now := time.Date(2026, 11, 24, 2, 30, 0, 0, time.UTC) // 21:30 the day before in Toronto
	box, err := New(Options{Inbox: filepath.Join(root, "inbox"), Processing: filepath.Join(root, "processing"),
		Archive: filepath.Join(root, "archive"), Failed: filepath.Join(root, "failed"), Now: func() time.Time { return now }, Location: toronto})
	require.NoError(t, err)
	p := write(t, filepath.Join(root, "processing"), "x.csv", "x", 0)
	got, err := box.Fail(p, "damaged")
	require.NoError(t, err)
	assert.Contains(t, read(t, got+errorSuffix), "2026-11-23 21:30:00 -05:00")
	p = write(t, filepath.Join(root, "processing"), "y.csv", "y", 0)
	got, err = box.Archive(p, now)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, "archive", "2026-11-23", "y.csv"), got)
}
