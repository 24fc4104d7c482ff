package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/review"
)

// main runs the command line with args and returns its exit code and
// output, failing the test on a panic.
func (e *e2e) main(args ...string) (int, string, string) {
	e.t.Helper()
	var stdout, stderr bytes.Buffer
	var code int
	require.NotPanics(e.t, func() {
		code = Main(context.Background(), append([]string{"--config", e.cfg}, args...), &stdout, &stderr)
	}, "orderdrop %s", strings.Join(args, " "))
	return code, stdout.String(), stderr.String()
}

// ordersPage returns the page number and page size of the ledger's orders
// bucket root, a page every read of an order goes through.
func ordersPage(t *testing.T, path string) (int64, int64) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	var root int64
	require.NoError(t, db.View(func(tx *bolt.Tx) error {
		root = int64(tx.Bucket([]byte("orders")).Root())
		return nil
	}))
	require.NotZero(t, root, "the orders bucket must span pages of its own")
	return root, int64(db.Info().PageSize)
}

func writeAt(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteAt(b, off)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// ledgerDamages are the ways a ledger file gets damaged that the commands
// must survive.
var ledgerDamages = []struct {
	name string
	do   func(t *testing.T, path string)
}{
	{"zeroed page", func(t *testing.T, path string) {
		root, size := ordersPage(t, path)
		writeAt(t, path, root*size, make([]byte, size))
	}},
	{"truncated", func(t *testing.T, path string) {
		root, size := ordersPage(t, path)
		require.NoError(t, os.Truncate(path, root*size+size/2))
	}},
	{"random bytes in the middle", func(t *testing.T, path string) {
		root, size := ordersPage(t, path)
		junk := make([]byte, size)
		r := rand.New(rand.NewPCG(5, 6))
		for i := range junk {
			junk[i] = byte(r.Uint32())
		}
		writeAt(t, path, root*size, junk)
	}},
}

// ledgerWithBackup runs a first pass (n l2 orders), takes a daily backup of
// its ledger and returns the configuration and the backup's path.
func ledgerWithBackup(t *testing.T, e *e2e, n int) (string, string) {
	t.Helper()
	e.drop("first.csv", l2CSV(t, n))
	code, out := e.run(time.Now())
	require.Equal(t, ExitOK, code, out)
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	backup := ledger.DailyBackupPath(cfg.Ledger, time.Now())
	require.NoError(t, ledger.BackupFile(cfg.Ledger, backup, time.Second))
	return cfg.Ledger, backup
}

func TestDamagedLedgerExits3NamingTheBackup(t *testing.T) {
	for _, d := range ledgerDamages {
		t.Run(d.name, func(t *testing.T) {
			e := newE2E(t, "schedule: \"@every 1h\"\nmetrics:\n  addr: \"off\"\n")
			path, backup := ledgerWithBackup(t, e, 12)
			d.do(t, path)
			damaged, err := os.ReadFile(path)
			require.NoError(t, err)
			e.drop("second.csv", l2CSV(t, 14)) // 2 new orders, if anything were sent

			for _, args := range [][]string{{"run"}, {"status"}, {"attention"}} {
				code, stdout, stderr := e.main(args...)
				assert.Equal(t, ExitFatal, code, "%s: %s%s", args, stdout, stderr)
				assert.Contains(t, stderr, "the ledger "+path+" is damaged", args)
				assert.Contains(t, stderr, "cp "+backup+" "+path, "%s names the backup to restore", args)
				assert.Contains(t, stderr, "Nothing was sent", args)
			}

			var stdout, stderr syncBuffer
			done := make(chan error, 1)
			go func() {
				defer func() {
					if r := recover(); r != nil {
						done <- errors.New("daemon panicked")
					}
				}()
				done <- runDaemon(context.Background(), e.cfg, daemonOptions{now: true}, nil, &stdout, &stderr)
			}()
			select {
			case err := <-done:
				var ee *ExitError
				require.True(t, errors.As(err, &ee), "got %v", err)
				assert.Equal(t, ExitFatal, ee.Code)
				assert.Contains(t, err.Error(), "cp "+backup+" "+path)
			case <-time.After(10 * time.Second):
				t.Fatal("daemon --now went on with a damaged ledger")
			}

			assert.Len(t, e.sim.Orders(), 12, "nothing sent")
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, damaged, after, "the damaged ledger is left as it was, for a person to look at")
		})
	}
}

func TestLedgerBackupCommand(t *testing.T) {
	e := newE2E(t, "")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	dst := filepath.Join(e.dir, "copies", "before-upgrade.db")
	require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o700))

	code, _, stderr := e.main("ledger", "backup", dst)
	assert.Equal(t, ExitFatal, code)
	assert.Contains(t, stderr, "no ledger at "+cfg.Ledger+" yet")

	e.drop("first.csv", l2CSV(t, 3))
	code, out := e.run(time.Now())
	require.Equal(t, ExitOK, code, out)

	// A pass holds the ledger longer than --wait: said, nothing written.
	held, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(t, err)
	code, _, stderr = e.main("ledger", "backup", "--wait", "200ms", dst)
	assert.Equal(t, ExitFatal, code)
	assert.Contains(t, stderr, "a pass has held the ledger "+cfg.Ledger+" for longer than --wait 200ms")
	assert.NoFileExists(t, dst)
	require.NoError(t, held.Close())

	code, stdout, stderr := e.main("ledger", "backup", dst)
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, dst)
	copied, err := ledger.OpenReadOnly(dst, ledger.Options{})
	require.NoError(t, err)
	n := 0
	require.NoError(t, copied.ForEach(func(*ledger.Order) error { n++; return nil }))
	require.NoError(t, copied.Close())
	assert.Equal(t, 3, n)

	// The ledger is damaged: no copy of it, the newest good backup named.
	ledgerDamages[0].do(t, cfg.Ledger)
	other := filepath.Join(e.dir, "copies", "after.db")
	code, _, stderr = e.main("ledger", "backup", other)
	assert.Equal(t, ExitFatal, code)
	assert.Contains(t, stderr, "is damaged")
	assert.NoFileExists(t, other)
}

func TestDaemonKeepsDailyBackups(t *testing.T) {
	e := newE2E(t, "schedule: \"@every 1h\"\nmetrics:\n  addr: \"off\"\nledger_backups: 2\n")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	old := []string{
		ledger.DailyBackupPath(cfg.Ledger, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
		ledger.DailyBackupPath(cfg.Ledger, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)),
	}
	for _, p := range old {
		require.NoError(t, os.WriteFile(p, []byte("an old copy"), 0o600))
	}
	e.drop("first.csv", l2CSV(t, 2))
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- runDaemon(ctx, e.cfg, daemonOptions{now: true}, nil, &stdout, &stderr) }()

	today := ledger.DailyBackupPath(cfg.Ledger, time.Now().In(cfg.Location()))
	waitFor(t, "the daily backup", func() bool {
		_, err := os.Stat(old[0])
		return fileExists(today) && err != nil
	}, &stdout, &stderr)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the daemon did not stop")
	}
	assert.NoFileExists(t, old[0], "beyond ledger_backups")
	assert.FileExists(t, old[1])
	require.NoError(t, ledger.CheckBackup(today))
	b, err := ledger.OpenReadOnly(today, ledger.Options{})
	require.NoError(t, err)
	defer b.Close()
	bs, err := b.Batches(0)
	require.NoError(t, err)
	require.Len(t, bs, 1, "taken after the day's first pass")
	assert.Equal(t, "first.csv", bs[0].File)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// v1Ledger puts the version-1 ledger of the ledger package's tests (written
// before tracking existed: ca-port/sub-1 and sub-2 submitted, ca-port/doubt
// in_doubt, one batch of ports.csv) where the configuration has its ledger.
func v1Ledger(t *testing.T, e *e2e) (*config.Config, []byte) {
	t.Helper()
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join("..", "ledger", "testdata", "ledger-v1.db"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfg.Ledger, data, 0o600))
	return cfg, data
}

func TestReadersReadThePreviousSchemaAsItIs(t *testing.T) {
	e := newE2E(t, "")
	cfg, before := v1Ledger(t, e)

	code, stdout, stderr := e.main("status")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "ports.csv")
	code, stdout, stderr = e.main("attention")
	require.Equal(t, ExitAttention, code, stderr)
	assert.Contains(t, stdout, "ca-port/doubt")

	page := review.NewSource(&review.Gate{}, func() *config.Config { return cfg })
	bs, err := page.Batches(context.Background(), 10)
	require.NoError(t, err, "the review page reads it too")
	require.Len(t, bs, 1)

	after, err := os.ReadFile(cfg.Ledger)
	require.NoError(t, err)
	assert.Equal(t, before, after, "only a pass migrates")
	assert.NoFileExists(t, cfg.Ledger+".v1.bak")
}

func TestPassMigratesAfterABackupAndSaysSo(t *testing.T) {
	e := newE2E(t, "")
	cfg, before := v1Ledger(t, e)
	var out, logs bytes.Buffer
	code, err := runPass(context.Background(), cfg, nil, time.Now, &out, newLogger(&logs, config.Log{Format: "json", Level: "info"}))
	require.NoError(t, err)
	require.NotEqual(t, ExitFatal, code, out.String())

	assert.Contains(t, logs.String(), `"msg":"ledger migrated to the schema of this orderdrop; the file as it was is kept"`)
	assert.Contains(t, logs.String(), `"from_schema":1,"to_schema":2,"backup":"`+cfg.Ledger+`.v1.bak"`)
	require.NoError(t, ledger.CheckBackup(cfg.Ledger+".v1.bak"))
	assert.Equal(t, "1", schemaOf(t, cfg.Ledger+".v1.bak"), "the copy is the file as it was")
	assert.Equal(t, "2", schemaOf(t, cfg.Ledger))
	assert.NotEqual(t, before, mustRead(t, cfg.Ledger))
}

// schemaOf reads the schema version of the ledger file at path.
func schemaOf(t *testing.T, path string) string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	var v string
	require.NoError(t, db.View(func(tx *bolt.Tx) error {
		v = string(tx.Bucket([]byte("meta")).Get([]byte("schema")))
		return nil
	}))
	return v
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

// newerSchema makes the ledger at path one of schema 3, last written by
// orderdrop v9.9.9.
func newerSchema(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket([]byte("meta"))
		if err := meta.Put([]byte("schema"), []byte("3")); err != nil {
			return err
		}
		return meta.Put([]byte("writer"), []byte("v9.9.9"))
	}))
	require.NoError(t, db.Close())
}

func TestNewerLedgerIsRefusedNamingItsWriter(t *testing.T) {
	e := newE2E(t, "schedule: \"@every 1h\"\nmetrics:\n  addr: \"off\"\n")
	path, backup := ledgerWithBackup(t, e, 2)
	newerSchema(t, path)
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	e.drop("second.csv", l2CSV(t, 4))

	want := "the ledger " + path + " was written by orderdrop v9.9.9 (schema 3); this is orderdrop " + Version() +
		" (schema 2): upgrade orderdrop or restore the newest backup that opens: cp " + backup + " " + path
	for _, args := range [][]string{{"run"}, {"status"}, {"attention"}} {
		code, stdout, stderr := e.main(args...)
		assert.Equal(t, ExitFatal, code, "%s: %s%s", args, stdout, stderr)
		assert.Contains(t, stderr, want, args)
	}
	err = runDaemon(context.Background(), e.cfg, daemonOptions{now: true}, nil, io.Discard, io.Discard)
	var ee *ExitError
	require.True(t, errors.As(err, &ee), "got %v", err)
	assert.Equal(t, ExitFatal, ee.Code)
	assert.Contains(t, err.Error(), want)

	assert.Len(t, e.sim.Orders(), 2, "nothing sent")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after, "a newer ledger is never changed")
}

func TestDamagedLedgerSkipsABackupThatDoesNotOpen(t *testing.T) {
	e := newE2E(t, "")
	path, good := ledgerWithBackup(t, e, 12)
	bad := ledger.DailyBackupPath(path, time.Now().AddDate(0, 0, 1))
	require.NoError(t, os.WriteFile(bad, []byte("cut short"), 0o600))
	ledgerDamages[0].do(t, path)

	code, _, stderr := e.main("run")
	assert.Equal(t, ExitFatal, code)
	assert.Contains(t, stderr, "restore the newest backup that opens: cp "+good+" "+path)
	assert.Contains(t, stderr, "newer backups that this orderdrop cannot open: "+bad)

	// No backup opens at all.
	require.NoError(t, os.Remove(good))
	code, _, stderr = e.main("status")
	assert.Equal(t, ExitFatal, code)
	assert.Contains(t, stderr, "restore a backup: none beside it opens")
}

func TestPanicInTheNowPassIsLogged(t *testing.T) {
	var logs bytes.Buffer
	d := &daemon{log: newLogger(&logs, config.Log{Format: "json", Level: "info"})} // recoverPass needs only the log
	require.NotPanics(t, func() {
		defer d.recoverPass("pass")
		panic("bbolt: invalid page type")
	})
	assert.Contains(t, logs.String(), `"msg":"pass panicked; the next one retries"`)
	assert.Contains(t, logs.String(), "invalid page type")
}

func TestAttentionBeforeTheFirstPass(t *testing.T) {
	e := newE2E(t, "")
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	code, stdout, stderr := e.main("attention")
	assert.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stdout, "nothing needs attention")
	assert.NoFileExists(t, cfg.Ledger, "a reader creates no ledger")
}
