package ledger

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackupWhileAPassWrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "orderdrop.db")
	writeLedger(t, path, 200)
	l, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()

	// A pass goes on writing while the copy is taken.
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 50 {
			if err := l.BeginSubmits([]Intent{intent(fmt.Sprintf("l2/during-%02d", i), "fp")}); err != nil {
				t.Error(err)
				return
			}
		}
	})
	dst := filepath.Join(dir, "copy.db")
	require.NoError(t, l.Backup(dst))
	wg.Wait()

	fi, err := os.Stat(dst)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	tmp, err := filepath.Glob(filepath.Join(dir, ".copy.db.tmp-*"))
	require.NoError(t, err)
	assert.Empty(t, tmp, "no temporary file left")

	b, err := OpenReadOnly(dst, Options{})
	require.NoError(t, err)
	defer b.Close()
	got, err := b.Get("fr-port/ref-0199")
	require.NoError(t, err)
	assert.Equal(t, Submitting, got.State, "the copy holds what was there before it started")
	n := 0
	require.NoError(t, b.ForEach(func(*Order) error { n++; return nil }))
	assert.GreaterOrEqual(t, n, 200)
	assert.LessOrEqual(t, n, 250)
}

func TestBackupFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "orderdrop.db")
	dst := filepath.Join(dir, "manual.db")

	err := BackupFile(path, dst, 100*time.Millisecond)
	require.ErrorIs(t, err, ErrNotFound, "no ledger yet")

	writeLedger(t, path, 10)
	held, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	err = BackupFile(path, dst, 100*time.Millisecond)
	require.ErrorIs(t, err, ErrLocked, "a pass holds the ledger")
	assert.NoFileExists(t, dst)
	require.NoError(t, held.Close())

	require.NoError(t, BackupFile(path, dst, 100*time.Millisecond))
	require.NoError(t, CheckBackup(dst))
	err = BackupFile(path, path, 100*time.Millisecond)
	require.ErrorIs(t, err, ErrInvalid, "the ledger is never its own backup")

	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			bad := damagedLedger(t, d)
			dst := filepath.Join(t.TempDir(), "copy.db")
			var err error
			require.NotPanics(t, func() { err = BackupFile(bad, dst, 100*time.Millisecond) })
			require.ErrorIs(t, err, ErrDamaged)
			assert.NoFileExists(t, dst, "no copy of a damaged ledger")
		})
	}
}

func TestCheckBackup(t *testing.T) {
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			bad := damagedLedger(t, d)
			var err error
			require.NotPanics(t, func() { err = CheckBackup(bad) })
			require.ErrorIs(t, err, ErrDamaged)
		})
	}
}

// touch writes a file with the given modification time.
func touch(t *testing.T, path string, data []byte, mod time.Time) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, data, 0o600))
	require.NoError(t, os.Chtimes(path, mod, mod))
}

func TestNewestBackup(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "orderdrop.db")
	writeLedger(t, path, 5)
	good, err := os.ReadFile(path)
	require.NoError(t, err)
	day := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)

	got, bad, err := NewestBackup(path)
	require.NoError(t, err)
	assert.Empty(t, got, "no backup yet")
	assert.Empty(t, bad)

	touch(t, DailyBackupPath(path, day), good, day)
	touch(t, DailyBackupPath(path, day.AddDate(0, 0, 1)), good, day.AddDate(0, 0, 1))
	touch(t, migrationBackupPath(path, 1), good, day.AddDate(0, 0, 1).Add(time.Hour))
	touch(t, DailyBackupPath(path, day.AddDate(0, 0, 2)), []byte("half a copy"), day.AddDate(0, 0, 2))
	_, newer := newerLedger(t, "v9.0.0")
	touch(t, DailyBackupPath(path, day.AddDate(0, 0, 3)), newer, day.AddDate(0, 0, 3).Add(-time.Hour))
	touch(t, path+".backup-notes.txt", good, day.AddDate(0, 0, 3)) // not a backup's name
	touch(t, filepath.Join(dir, "other.db.backup-2026-12-09"), good, day.AddDate(0, 0, 3))

	all, err := Backups(path)
	require.NoError(t, err)
	assert.Equal(t, []string{DailyBackupPath(path, day.AddDate(0, 0, 3)), DailyBackupPath(path, day.AddDate(0, 0, 2)), migrationBackupPath(path, 1),
		DailyBackupPath(path, day.AddDate(0, 0, 1)), DailyBackupPath(path, day)}, all, "newest first")

	got, bad, err = NewestBackup(path)
	require.NoError(t, err)
	assert.Equal(t, migrationBackupPath(path, 1), got, "the newest that opens")
	assert.Equal(t, []string{DailyBackupPath(path, day.AddDate(0, 0, 3)), DailyBackupPath(path, day.AddDate(0, 0, 2))}, bad,
		"a newer orderdrop's copy cannot be restored by this one")
}

func TestKeepDailyBackups(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "orderdrop.db")
	day := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	var daily []string
	for i := range 9 {
		p := DailyBackupPath(path, day.AddDate(0, 0, i))
		// Written out of order: the day in the name counts, not the time.
		touch(t, p, []byte("x"), day.AddDate(0, 0, 9-i))
		daily = append(daily, p)
	}
	others := []string{migrationBackupPath(path, 1), path + ".backup-notes.txt", filepath.Join(dir, "other.db.backup-2026-11-01")}
	for _, p := range others {
		touch(t, p, []byte("x"), day)
	}

	tests := []struct {
		keep        int
		wantRemoved []string
		wantLeft    []string
	}{
		{7, daily[:2], daily[2:]},
		{7, nil, daily[2:]},
		{3, daily[2:6], daily[6:]},
		{0, daily[6:], nil},
	}
	for _, tt := range tests {
		removed, err := KeepDailyBackups(path, tt.keep)
		require.NoError(t, err)
		assert.Equal(t, tt.wantRemoved, removed, "keep %d", tt.keep)
		for _, p := range tt.wantLeft {
			assert.FileExists(t, p)
		}
	}
	for _, p := range others {
		assert.FileExists(t, p, "only daily backups are pruned")
	}
}
