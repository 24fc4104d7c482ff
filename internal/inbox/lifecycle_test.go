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

func scanOne(t *testing.T, e *env) Candidate {
	t.Helper()
	ready, _, err := e.box.Scan(context.Background())
	require.NoError(t, err)
	require.Len(t, ready, 1)
	return ready[0]
}

func TestClaim(t *testing.T) {
	e := newEnv(t)
	write(t, e.opts.Inbox, "orders.xlsx", "new content", time.Hour)
	write(t, e.opts.Processing, "orders.xlsx", "earlier file", 2*time.Hour) // a clash, resumed
	ready, _, err := e.box.Scan(context.Background())
	require.NoError(t, err)
	require.Equal(t, []string{"orders.xlsx", "orders.xlsx"}, names(ready))

	got, err := e.box.Claim(ready[0])
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(e.opts.Processing, "orders.xlsx"), got, "a resumed file is returned as it is")

	got, err = e.box.Claim(ready[1])
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(e.opts.Processing, "orders.2.xlsx"), got)
	assert.Equal(t, "new content", read(t, got))
	assert.Equal(t, "earlier file", read(t, filepath.Join(e.opts.Processing, "orders.xlsx")), "never overwritten")
	assert.NoFileExists(t, filepath.Join(e.opts.Inbox, "orders.xlsx"))
	fi, err := os.Stat(got)
	require.NoError(t, err)
	assert.True(t, fi.ModTime().Equal(t0.Add(-time.Hour)), "a move keeps the file as it is")
}

func TestClaimRefused(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, p string)
		want   error
	}{
		{"grew", func(t *testing.T, p string) {
			require.NoError(t, os.WriteFile(p, []byte("a;b\n1;2\n"), 0o640))
			require.NoError(t, os.Chtimes(p, t0.Add(-time.Hour), t0.Add(-time.Hour)))
		}, ErrNotStable},
		{"touched", func(t *testing.T, p string) {
			require.NoError(t, os.Chtimes(p, t0, t0))
		}, ErrNotStable},
		{"vanished", func(t *testing.T, p string) { require.NoError(t, os.Remove(p)) }, ErrGone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			p := write(t, e.opts.Inbox, "f.csv", "a;b\n", time.Hour)
			c := scanOne(t, e)
			tt.change(t, p)
			got, err := e.box.Claim(c)
			require.ErrorIs(t, err, tt.want)
			assert.Empty(t, got)
			entries, err := os.ReadDir(e.opts.Processing)
			require.NoError(t, err)
			assert.Empty(t, entries, "nothing claimed")
		})
	}
}

func TestClaimResumedGone(t *testing.T) {
	e := newEnv(t)
	p := write(t, e.opts.Processing, "f.csv", "x", time.Hour)
	c := scanOne(t, e)
	require.NoError(t, os.Remove(p))
	_, err := e.box.Claim(c)
	assert.ErrorIs(t, err, ErrGone)
}

func TestArchive(t *testing.T) {
	e := newEnv(t)
	day := time.Date(2026, 11, 23, 23, 30, 0, 0, time.Local)
	dayDir := filepath.Join(e.opts.Archive, "2026-11-23")
	tests := []struct {
		content string
		want    string
	}{
		{"first", filepath.Join(dayDir, "orders.xlsx")},
		{"second", filepath.Join(dayDir, "orders.2.xlsx")},
		{"third", filepath.Join(dayDir, "orders.3.xlsx")},
	}
	for _, tt := range tests {
		p := write(t, e.opts.Processing, "orders.xlsx", tt.content, time.Hour)
		got, err := e.box.Archive(p, day)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
		assert.NoFileExists(t, p)
	}
	for _, tt := range tests {
		assert.Equal(t, tt.content, read(t, tt.want), "nothing overwritten")
	}
	_, err := e.box.Archive(filepath.Join(e.opts.Processing, "nope.csv"), day)
	assert.ErrorIs(t, err, ErrGone)
}

func TestFail(t *testing.T) {
	e := newEnv(t)
	// An orphan error file holds the .2 name: the next free pair is .3.
	write(t, e.opts.Failed, "old.2.xlsx"+errorSuffix, "earlier reason", 0)
	tests := []struct {
		content, reason string
		want            string
	}{
		{"ole2-1", "It is an old .xls (Excel 97) file renamed .xlsx. Save it as .xlsx and drop it again.", "old.xlsx"},
		{"ole2-2", "Damaged or incomplete file.", "old.3.xlsx"},
	}
	for _, tt := range tests {
		p := write(t, e.opts.Processing, "old.xlsx", tt.content, time.Hour)
		got, err := e.box.Fail(p, tt.reason)
		require.NoError(t, err)
		assert.Equal(t, filepath.Join(e.opts.Failed, tt.want), got)
		assert.Equal(t, tt.content, read(t, got))
		assert.NoFileExists(t, p)
		msg := read(t, got+errorSuffix)
		assert.Contains(t, msg, `"old.xlsx"`)
		assert.Contains(t, msg, tt.reason)
		assert.Contains(t, msg, e.opts.Inbox, "says where to drop it again")
		fi, err := os.Stat(got + errorSuffix)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o640), fi.Mode().Perm())
	}
	assert.Equal(t, "earlier reason", read(t, filepath.Join(e.opts.Failed, "old.2.xlsx"+errorSuffix)), "never overwritten")
	entries, err := os.ReadDir(e.opts.Failed)
	require.NoError(t, err)
	assert.Len(t, entries, 5, "no temp file left behind")

	_, err = e.box.Fail(filepath.Join(e.opts.Processing, "nope.csv"), "x")
	assert.ErrorIs(t, err, ErrGone)
}

// A crash between a move's link and its removal leaves the file under two
// names; the next Scan must finish the move, not process the file twice.
func TestScanFinishesInterruptedMoves(t *testing.T) {
	e := newEnv(t)
	// Claim interrupted: inbox/a.csv is also processing/a.csv.
	a := write(t, e.opts.Inbox, "a.csv", "A", time.Hour)
	require.NoError(t, os.Link(a, filepath.Join(e.opts.Processing, "a.csv")))
	// Archive interrupted: processing/b.csv is also archive/2026-11-22/b.csv.
	b := write(t, e.opts.Processing, "b.csv", "B", 2*time.Hour)
	day := filepath.Join(e.opts.Archive, "2026-11-22")
	require.NoError(t, os.Mkdir(day, 0o750))
	require.NoError(t, os.Link(b, filepath.Join(day, "b.csv")))
	// Fail interrupted: processing/c.csv is also failed/c.csv.
	c := write(t, e.opts.Processing, "c.csv", "C", 3*time.Hour)
	require.NoError(t, os.Link(c, filepath.Join(e.opts.Failed, "c.csv")))
	// A user's unrelated file with two links stays a normal resumed file.
	d := write(t, e.opts.Processing, "d.csv", "D", 4*time.Hour)
	require.NoError(t, os.Link(d, filepath.Join(e.root, "elsewhere.csv")))

	ready, waiting, err := e.box.Scan(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"d.csv", "a.csv"}, names(ready))
	assert.True(t, ready[1].Resumed, "a.csv is resumed from processing/")
	assert.Empty(t, waiting)
	assert.NoFileExists(t, a)
	assert.NoFileExists(t, b)
	assert.NoFileExists(t, c)
	assert.Equal(t, "A", read(t, filepath.Join(e.opts.Processing, "a.csv")))
	assert.Equal(t, "B", read(t, filepath.Join(day, "b.csv")))
	assert.Equal(t, "C", read(t, filepath.Join(e.opts.Failed, "c.csv")))
}
