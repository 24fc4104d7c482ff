package cli

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

// list returns the names in a folder, sorted; none when it does not exist.
func list(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	var out []string
	for _, d := range des {
		out = append(out, d.Name())
	}
	sort.Strings(out)
	return out
}

// resultReports lists the per-file reports in dir, leaving out the
// open-orders workbook every run rewrites.
func resultReports(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, n := range list(t, dir) {
		if !strings.HasPrefix(n, "open-orders.") && !sheet.IsSummaryFile(n) { // nor a CSV report's summary
			out = append(out, n)
		}
	}
	return out
}

// A file whose move to archive/ fails for good is not read again, makes no
// report copies and does not stop the files after it; once archive/ is
// fixed, the next pass only moves it.
func TestE2EArchiveFailureBlocksNothing(t *testing.T) {
	e := newE2E(t, "")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	// Today's (and, around midnight, tomorrow's) day folder is a plain file:
	// every move to archive/ fails, after the orders were sent.
	var blockers []string
	for _, d := range []time.Time{time.Now(), time.Now().Add(24 * time.Hour)} {
		p := filepath.Join(cfg.Archive, d.In(cfg.Location()).Format(time.DateOnly))
		require.NoError(t, os.MkdirAll(cfg.Archive, 0o750))
		require.NoError(t, os.WriteFile(p, []byte("not a folder"), 0o640))
		blockers = append(blockers, p)
	}

	e.drop("a.csv", l2CSV(t, 2))
	code, out := e.run(time.Now())
	assert.Equal(t, ExitAttention, code, "not a fatal error: %s", out)
	assert.Contains(t, out, "a.csv: processed, but not moved to archive")
	assert.Len(t, e.sim.Orders(), 2)
	assert.Equal(t, []string{"a.csv"}, list(t, cfg.Processing))

	// A new file arrives while archive/ is still broken.
	b := l2CSV(t, 3)
	b = []byte(strings.ReplaceAll(string(b), "E2E-", "E2E-B-"))
	e.drop("b.csv", b)
	code, out = e.run(time.Now())
	assert.Equal(t, ExitAttention, code, out)
	assert.Contains(t, out, "a.csv: processed by an earlier pass", "a is not read again")
	assert.Contains(t, out, "b.csv: 3 rows, 3 submitted", "b is processed all the same")
	assert.Len(t, e.sim.Orders(), 5, "nothing sent twice, b's orders sent")
	assert.Equal(t, []string{"a.result.csv", "b.result.csv"}, resultReports(t, cfg.Reports), "no report copies")

	// The operator fixes archive/: the next pass only moves the files.
	for _, p := range blockers {
		require.NoError(t, os.Remove(p))
	}
	code, out = e.run(time.Now())
	assert.Equal(t, ExitOK, code, out)
	assert.Empty(t, list(t, cfg.Processing))
	archived, _ := filepath.Glob(filepath.Join(cfg.Archive, "*", "*.csv"))
	assert.Len(t, archived, 2)
	assert.Equal(t, []string{"a.result.csv", "b.result.csv"}, resultReports(t, cfg.Reports))
	assert.Len(t, e.sim.Orders(), 5)

	// Dropped again: a real re-drop gets a new report name, without spaces or brackets.
	e.drop("a.csv", l2CSV(t, 2))
	code, out = e.run(time.Now())
	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "2 already_submitted")
	assert.Equal(t, []string{"a.result.2.csv", "a.result.csv", "b.result.csv"}, resultReports(t, cfg.Reports))
}

// archive/ on another filesystem (tmpfs): files are copied there.
func TestE2EArchiveOnAnotherFilesystem(t *testing.T) {
	shm, err := os.MkdirTemp("/dev/shm", "orderdrop-e2e-")
	if err != nil {
		t.Skipf("no tmpfs at /dev/shm: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(shm) })
	e := newE2E(t, "archive: "+filepath.Join(shm, "archive")+"\n")
	e.drop("x.csv", l2CSV(t, 1))
	code, out := e.run(time.Now())
	assert.Equal(t, ExitOK, code, out)
	archived, _ := filepath.Glob(filepath.Join(shm, "archive", "*", "x.csv"))
	assert.Len(t, archived, 1)
	assert.Empty(t, list(t, filepath.Join(e.dir, "processing")))
}

// A folder that cannot be created stops the pass before anything is sent,
// and says which folder.
func TestE2EUnusableFolderStopsBeforeSending(t *testing.T) {
	e := newE2E(t, "reports: a-file/reports\n")
	require.NoError(t, os.WriteFile(filepath.Join(e.dir, "a-file"), []byte("x"), 0o640))
	e.drop("x.csv", l2CSV(t, 1))
	code, out := e.run(time.Now())
	assert.Equal(t, ExitFatal, code, out)
	assert.Contains(t, out, "the reports folder "+filepath.Join(e.dir, "a-file", "reports")+" does not exist and cannot be created")
	assert.Empty(t, e.sim.Orders())
}
