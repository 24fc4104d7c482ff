package pass

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

func TestDailyBackupOffAndOncePerDay(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "orderdrop.db")
	l, err := ledger.Open(path, ledger.Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	day := time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC) // already the 7th in Paris
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)

	off := 0
	DailyBackup(l, &config.Config{LedgerBackups: &off, TimeZone: "Europe/Paris"}, day, log)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "ledger_backups: 0 takes no copy")

	keep := 7
	cfg := &config.Config{LedgerBackups: &keep, TimeZone: "Europe/Paris"}
	DailyBackup(l, cfg, day, log)
	want := ledger.DailyBackupPath(path, day.In(paris))
	assert.FileExists(t, want)
	assert.Contains(t, want, "2026-12-07", "the day in the configured time zone")
	info, err := os.Stat(want)
	require.NoError(t, err)
	DailyBackup(l, cfg, day.Add(time.Hour), log)
	again, err := os.Stat(want)
	require.NoError(t, err)
	assert.Equal(t, info.ModTime(), again.ModTime(), "once a day")
	assert.Equal(t, 1, strings.Count(logs.String(), `"msg":"ledger backed up"`))
}
