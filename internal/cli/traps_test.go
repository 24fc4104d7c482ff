package cli

import (
	"github.com/orderdrop/orderdrop/internal/frdata"
	"github.com/orderdrop/orderdrop/internal/pass"

	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeConfig writes an orderdrop.yaml with mode perm in a fresh folder.
func writeConfig(t *testing.T, yml string, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "orderdrop.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yml), 0o600))
	require.NoError(t, os.Chmod(path, perm))
	return path
}

// TestStableAfterZeroTakesFilesAtOnce: stable_after: 0s means no wait, not
// the 30 s default.
func TestStableAfterZeroTakesFilesAtOnce(t *testing.T) {
	cfgPath := writeConfig(t, "stable_after: 0s\n", 0o600)
	cfg, err := loadConfig(cfgPath)
	require.NoError(t, err)
	box, err := pass.NewInbox(cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	p := filepath.Join(cfg.Inbox, "orders.csv")
	require.NoError(t, os.WriteFile(p, []byte("a;b\n"), 0o600))
	justNow := time.Now().Add(-2 * time.Second)
	require.NoError(t, os.Chtimes(p, justNow, justNow))
	ready, waiting, err := box.Scan(context.Background())
	require.NoError(t, err)
	assert.Len(t, ready, 1, "got %d ready, %d waiting: a file 2 s old must be taken with stable_after: 0s", len(ready), len(waiting))
}

// TestRunLiteralSecret: a credential written in a file others can read
// stops orderdrop with the fix; in a 0600 file it runs, with a warning.
func TestRunLiteralSecret(t *testing.T) {
	const yml = "log:\n  format: text\ncarriers:\n  thinktel:\n    base_url: http://127.0.0.1:1/rest.svc\n    username: ops\n    password: hunter2\n"

	path := writeConfig(t, yml, 0o644)
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"--config", path, "run"}, &stdout, &stderr)
	assert.Equal(t, ExitUsage, code, "stderr: %s", stderr.String())
	assert.Contains(t, stderr.String(), "carriers.thinktel.password")
	assert.Contains(t, stderr.String(), "chmod 600 "+path)
	assert.NotContains(t, stderr.String(), "hunter2")

	path = writeConfig(t, yml, 0o600)
	stdout.Reset()
	stderr.Reset()
	code = Main(context.Background(), []string{"--config", path, "run"}, &stdout, &stderr)
	assert.Equal(t, ExitOK, code, "stdout: %s stderr: %s", stdout.String(), stderr.String())
	assert.Contains(t, stderr.String(), "carriers.thinktel.password is written in the configuration file")
	assert.Contains(t, stderr.String(), "${THINKTEL_PASSWORD}")
	assert.NotContains(t, stderr.String(), "hunter2")
}

// TestTemplateRefusesToOverwrite: template never replaces an existing file
// unless --force says so.
func TestTemplateRefusesToOverwrite(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		file     string
		wantCode int
		wantKept bool
	}{
		{"-o existing", []string{"template", "l2", "-o", "mine.xlsx"}, "mine.xlsx", ExitUsage, true},
		{"default name existing", []string{"template", "l2", "--csv"}, "l2-template.csv", ExitUsage, true},
		{"--force replaces", []string{"template", "l2", "-o", "mine.xlsx", "--force"}, "mine.xlsx", ExitOK, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			require.NoError(t, os.WriteFile(tt.file, []byte("my own work"), 0o600))
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), tt.args, &stdout, &stderr)
			assert.Equal(t, tt.wantCode, code, "stderr: %s", stderr.String())
			got, err := os.ReadFile(tt.file)
			require.NoError(t, err)
			if tt.wantKept {
				assert.Equal(t, "my own work", string(got), "the existing file must be left alone")
				assert.Contains(t, stderr.String(), tt.file+" already exists")
				assert.Contains(t, stderr.String(), "--force")
			} else {
				assert.NotEqual(t, "my own work", string(got))
			}
		})
	}
}

func TestVersionFlag(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--version"}, "orderdrop " + Version() + "\n"},
		// The schema of the ledger it writes: a ledger from a newer
		// schema is refused, an older one migrated by the next pass.
		// And the date of the embedded French reference data.
		{[]string{"version"}, "orderdrop " + Version() + "\nledger schema 2\nFrench reference data " + frdata.Date() + " (postcodes; ARCEP number blocks)\n"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Main(context.Background(), tt.args, &stdout, &stderr)
		assert.Equal(t, ExitOK, code, "%v: stderr %s", tt.args, stderr.String())
		assert.Equal(t, tt.want, stdout.String(), "%v", tt.args)
	}
}

// TestFlagErrorsHaveNoGoNames: a wrong flag value is explained in words,
// without Go function or type names.
func TestFlagErrorsHaveNoGoNames(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"status", "--limit", "ten"}, &stdout, &stderr)
	assert.Equal(t, ExitUsage, code)
	t.Log(stderr.String())
	assert.Contains(t, stderr.String(), "--limit")
	assert.NotContains(t, stderr.String(), "strconv")
	assert.NotContains(t, stderr.String(), "ParseInt")
}

// TestRunReportsNotOrderFiles: a .ods or .tsv dropped in the inbox is named
// once per pass with what to do, and left where it is.
func TestRunReportsNotOrderFiles(t *testing.T) {
	cfgPath := writeConfig(t, "stable_after: 1ms\n", 0o600)
	inbox := filepath.Join(filepath.Dir(cfgPath), "inbox")
	require.NoError(t, os.MkdirAll(inbox, 0o750))
	for _, name := range []string{"orders.ods", "orders.tsv", "loa-client.pdf", "~$orders.xlsx"} {
		require.NoError(t, os.WriteFile(filepath.Join(inbox, name), []byte("x"), 0o600))
	}
	for pass := 1; pass <= 2; pass++ {
		var stdout, stderr bytes.Buffer
		code := Main(context.Background(), []string{"--config", cfgPath, "run"}, &stdout, &stderr)
		assert.Equal(t, ExitAttention, code, "pass %d: a file needs attention; stderr: %s", pass, stderr.String())
		want := "not an order file: orders.ods; save it as .xlsx or .csv\nnot an order file: orders.tsv; save it as .xlsx or .csv\n"
		assert.Equal(t, want, stdout.String(), "pass %d", pass)
		for _, name := range []string{"orders.ods", "orders.tsv", "loa-client.pdf", "~$orders.xlsx"} {
			assert.FileExists(t, filepath.Join(inbox, name), "pass %d leaves %s alone", pass, name)
		}
	}
}
