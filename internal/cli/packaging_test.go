package cli

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var systemdDir = filepath.Join("..", "..", "samples", "systemd")

// unitDirectives reads a systemd unit into section → key → values.
func unitDirectives(t *testing.T, path string) map[string]map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	out := map[string]map[string][]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
			out[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			require.True(t, ok, "%s: %q is not key=value", path, line)
			require.NotEmpty(t, section, "%s: %q before any section", path, line)
			out[section][k] = append(out[section][k], v)
		}
	}
	require.NoError(t, sc.Err())
	return out
}

func TestSystemdUnitsAreHardened(t *testing.T) {
	want := map[string]string{
		"NoNewPrivileges":         "yes",
		"ProtectSystem":           "strict",
		"ProtectHome":             "yes",
		"PrivateTmp":              "yes",
		"User":                    "orderdrop",
		"Group":                   "orderdrop",
		"StateDirectory":          "orderdrop",
		"EnvironmentFile":         "/etc/orderdrop/orderdrop.env",
		"CapabilityBoundingSet":   "",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
	}
	for _, unit := range []string{"orderdrop.service", "orderdrop-run.service"} {
		t.Run(unit, func(t *testing.T) {
			svc := unitDirectives(t, filepath.Join(systemdDir, unit))["Service"]
			require.NotNil(t, svc)
			for k, v := range want {
				assert.Equal(t, []string{v}, svc[k], "%s: %s", unit, k)
			}
			require.Len(t, svc["ExecStart"], 1)
			assert.Contains(t, svc["ExecStart"][0], "orderdrop --config /etc/orderdrop/orderdrop.yaml ")
		})
	}
	daemon := unitDirectives(t, filepath.Join(systemdDir, "orderdrop.service"))
	assert.True(t, strings.HasSuffix(daemon["Service"]["ExecStart"][0], " daemon"))
	assert.Equal(t, []string{"multi-user.target"}, daemon["Install"]["WantedBy"])
	run := unitDirectives(t, filepath.Join(systemdDir, "orderdrop-run.service"))
	assert.Equal(t, []string{"oneshot"}, run["Service"]["Type"])
	assert.Equal(t, []string{"1"}, run["Service"]["SuccessExitStatus"], "exit 1 (rows need attention) is not a unit failure")
	timer := unitDirectives(t, filepath.Join(systemdDir, "orderdrop-run.timer"))
	assert.Equal(t, []string{"orderdrop-run.service"}, timer["Timer"]["Unit"])
	assert.NotEmpty(t, timer["Timer"]["OnCalendar"])
	assert.Equal(t, []string{"timers.target"}, timer["Install"]["WantedBy"])
}

// TestSystemdAnalyzeVerify lets systemd itself check the units when
// systemd-analyze is installed, with ExecStart pointed at an executable
// that exists here (this test binary).
func TestSystemdAnalyzeVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed; TestSystemdUnitsAreHardened checks the directives")
	}
	self, err := os.Executable()
	require.NoError(t, err)
	dir := t.TempDir()
	var units []string
	for _, name := range []string{"orderdrop.service", "orderdrop-run.service", "orderdrop-run.timer"} {
		data, err := os.ReadFile(filepath.Join(systemdDir, name))
		require.NoError(t, err)
		data = bytes.ReplaceAll(data, []byte("/usr/local/bin/orderdrop"), []byte(self))
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o644))
		units = append(units, p)
	}
	out, err := exec.Command(analyze, append([]string{"verify", "--man=no"}, units...)...).CombinedOutput()
	assert.NoError(t, err, "systemd-analyze verify:\n%s", out)
	assert.Empty(t, strings.TrimSpace(string(out)), "systemd-analyze verify warns")
}

func TestCompletionScripts(t *testing.T) {
	for _, shell := range []struct{ name, want string }{
		{"bash", "# bash completion V2 for orderdrop"},
		{"zsh", "#compdef orderdrop"},
		{"fish", "complete -c orderdrop"},
	} {
		var out, errOut bytes.Buffer
		code := Main(context.Background(), []string{"completion", shell.name}, &out, &errOut)
		assert.Equal(t, ExitOK, code, errOut.String())
		assert.Contains(t, out.String(), shell.want, shell.name)
	}
}

func TestManPages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man")
	var out bytes.Buffer
	code := Main(context.Background(), []string{"man", "--dir", dir}, &out, &out)
	require.Equal(t, ExitOK, code, out.String())
	for _, page := range []string{"orderdrop.1", "orderdrop-run.1", "orderdrop-daemon.1", "orderdrop-resolve.1"} {
		data, err := os.ReadFile(filepath.Join(dir, page))
		require.NoError(t, err, page)
		assert.Contains(t, string(data), `.TH "ORDERDROP" "1"`, page)
	}
	run, err := os.ReadFile(filepath.Join(dir, "orderdrop-run.1"))
	require.NoError(t, err)
	assert.Contains(t, string(run), "print-digest")
	assert.Contains(t, string(run), "Exit code 0")
}
