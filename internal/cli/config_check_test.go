package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// configCheck runs orderdrop config check on path; it returns the exit
// code and everything printed.
func configCheck(t *testing.T, path string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := Main(context.Background(), []string{"--config", path, "config", "check"}, &out, &out)
	return code, out.String()
}

func TestConfigCheckListsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	notAFolder := filepath.Join(dir, "not-a-folder")
	require.NoError(t, os.WriteFile(notAFolder, []byte("x"), 0o600))
	yml := "inbx: typo\n" +
		"inbox: " + notAFolder + "\n" +
		"ledger: " + filepath.Join(notAFolder, "orderdrop.db") + "\n" +
		"carriers:\n  prizz:\n    base_url: https://my.prizz-telecom.fr\n    email: ${CHECK_PRIZZ_EMAIL}\n    password: ${CHECK_PRIZZ_PASSWORD}\n"
	path := filepath.Join(dir, "orderdrop.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yml), 0o640))

	code, out := configCheck(t, path)
	assert.Equal(t, ExitUsage, code, out)
	for _, want := range []string{
		"unknown key `inbx` (line 1): did you mean `inbox`?",
		"carriers.prizz.email: environment variable CHECK_PRIZZ_EMAIL is not set",
		"carriers.prizz.password: environment variable CHECK_PRIZZ_PASSWORD is not set",
		"inbox: " + notAFolder + " is not a folder",
		"ledger: " + filepath.Join(notAFolder, "orderdrop.db") + ": cannot be created",
		"5 problems",
	} {
		assert.Contains(t, out, want, "got:\n%s\nwant it to list %q", out, want)
	}
}

func TestConfigCheckAcceptsAUsableConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "orderdrop.yaml")
	require.NoError(t, os.WriteFile(path, []byte("state_dir: state\n"), 0o640))
	code, out := configCheck(t, path)
	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, path+": usable")
	_, err := os.Stat(filepath.Join(dir, "state"))
	assert.ErrorIs(t, err, os.ErrNotExist, "config check creates nothing")
}

func TestConfigCheckUnreadableFolders(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads and writes every folder; TestConfigCheckListsEveryProblem checks the rest")
	}
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	require.NoError(t, os.MkdirAll(filepath.Join(ro, "inbox"), 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(ro, "orderdrop.db"), nil, 0o600))
	require.NoError(t, os.Chmod(filepath.Join(ro, "inbox"), 0o500))
	require.NoError(t, os.Chmod(filepath.Join(ro, "orderdrop.db"), 0o400))
	require.NoError(t, os.Chmod(ro, 0o500))
	t.Cleanup(func() { _ = os.Chmod(ro, 0o750); _ = os.Chmod(filepath.Join(ro, "inbox"), 0o750) })
	path := filepath.Join(dir, "orderdrop.yaml")
	require.NoError(t, os.WriteFile(path, []byte("state_dir: ro\n"), 0o640))
	code, out := configCheck(t, path)
	assert.Equal(t, ExitUsage, code, out)
	for _, want := range []string{"inbox: " + filepath.Join(ro, "inbox") + " is not writable", "ledger: " + filepath.Join(ro, "orderdrop.db") + " is not writable"} {
		assert.True(t, strings.Contains(out, want), "got:\n%s\nwant %q", out, want)
	}
}
