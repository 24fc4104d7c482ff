package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

var repoRoot = filepath.Join("..", "..")

// productionSteps returns the README's production set-up steps: the first
// sh block of the "Production set-up" section.
func productionSteps(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	require.NoError(t, err)
	readme := string(data)
	start := strings.Index(readme, "\n## Production set-up")
	require.GreaterOrEqual(t, start, 0, "README has no Production set-up section")
	section := readme[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	_, block, ok := strings.Cut(section, "```sh\n")
	require.True(t, ok, "the Production set-up section has no ```sh block of steps")
	block, _, ok = strings.Cut(block, "```")
	require.True(t, ok)
	return block
}

// scratchPaths rewrites the absolute paths of an installation under root.
func scratchPaths(root string) *strings.Replacer {
	return strings.NewReplacer(
		"/etc/orderdrop", root+"/etc/orderdrop",
		"/etc/systemd/system", root+"/etc/systemd/system",
		"/var/lib/orderdrop", root+"/var/lib/orderdrop",
		"/usr/local/bin/", root+"/usr/local/bin/",
	)
}

// stubs writes the commands the steps run that change the machine itself
// (users, systemd) as scripts doing nothing of the kind, into a folder to
// put first in PATH. Run as root, the orderdrop user and group are played
// by nobody and nogroup, for real: install gives them the files, and
// runuser runs the check as nobody, so that a file the service user could
// not read fails the steps as it would fail the service. Otherwise the
// owners are left out and runuser runs the command as the test's user.
func stubs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755))
	}
	write("useradd", "echo \"useradd $*\"\n")
	write("systemctl", "echo \"systemctl $*\"\n")
	install, err := exec.LookPath("install")
	require.NoError(t, err)
	owner := `    -o|-g) shift 2 ;;`
	runAs := `exec "$@"`
	if setpriv, err := exec.LookPath("setpriv"); err == nil && os.Geteuid() == 0 {
		owner = `    -o|-g) args="$args $1 '$(echo "$2" | sed 's/^orderdrop$/nobody/')'"; [ "$1" = -g ] && args=$(echo "$args" | sed "s/'nobody'$/'nogroup'/"); shift 2 ;;`
		runAs = `exec ` + setpriv + ` --reuid=nobody --regid=nogroup --clear-groups "$@"`
	}
	// runuser -u USER -- CMD…
	write("runuser", "while [ \"$1\" != \"--\" ]; do shift; done; shift\n"+runAs+"\n")
	write("install", `args=""
while [ $# -gt 0 ]; do
  case "$1" in
`+owner+`
    *) args="$args '$1'"; shift ;;
  esac
done
eval exec `+install+` $args
`)
	return dir
}

// Following the README's production steps literally (in a scratch root)
// gives an installation whose configuration orderdrop config check, run by
// the steps themselves, accepts.
func TestReadmeProductionStepsGiveAUsableSetup(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the steps are for a Linux server")
	}
	root := t.TempDir()
	// The service's user must reach the scratch root, as it reaches /.
	require.NoError(t, os.Chmod(root, 0o755))
	require.NoError(t, os.Chmod(filepath.Dir(root), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "var", "lib"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "usr", "local", "bin"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "etc", "systemd", "system"), 0o755))
	paths := scratchPaths(root)

	// The source tree the steps run in: the shipped files, their absolute
	// paths under root, and bin/orderdrop running this test binary.
	src := t.TempDir()
	for _, f := range []string{"config.example.yaml", "samples/systemd/orderdrop.service", "samples/systemd/orderdrop-run.service", "samples/systemd/orderdrop-run.timer"} {
		data, err := os.ReadFile(filepath.Join(repoRoot, f))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(src, f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(src, f), []byte(paths.Replace(string(data))), 0o644))
	}
	// This test binary plays bin/orderdrop; copied where the service's
	// user can run it.
	exe, err := os.Executable()
	require.NoError(t, err)
	bin, err := os.ReadFile(exe)
	require.NoError(t, err)
	self := filepath.Join(root, "orderdrop.test")
	require.NoError(t, os.WriteFile(self, bin, 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(src, "bin"), 0o755))
	wrapper := `#!/bin/sh
sep=$(printf '\037')
args=""
for a in "$@"; do args="$args$sep$a"; done
ORDERDROP_E2E_ARGS="${args#?}" exec '` + self + `' -test.run='^$'
`
	require.NoError(t, os.WriteFile(filepath.Join(src, "bin", "orderdrop"), []byte(wrapper), 0o755))

	steps := paths.Replace(productionSteps(t))
	cmd := exec.Command("sh", "-eu", "-c", steps)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "PATH="+stubs(t)+":"+os.Getenv("PATH"), "ORDERDROP_CONFIG=")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the README's steps failed:\n%s\n--- steps:\n%s", out, steps)
	assert.Contains(t, string(out), filepath.Join(root, "etc/orderdrop/orderdrop.yaml")+": usable", "config check must accept the result:\n%s", out)
	assert.Contains(t, string(out), "systemctl daemon-reload", "the steps end with the service started")
}

// The units, the shipped configuration and the README's steps name the
// same files, user and state folder.
func TestSystemdUnitsAgreeWithTheSetup(t *testing.T) {
	steps := productionSteps(t)
	var example struct {
		StateDir string `yaml:"state_dir"`
	}
	data, err := os.ReadFile(filepath.Join(repoRoot, "config.example.yaml"))
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(data, &example))
	for _, unit := range []string{"orderdrop.service", "orderdrop-run.service"} {
		svc := unitDirectives(t, filepath.Join(systemdDir, unit))["Service"]
		require.NotNil(t, svc, unit)
		require.Len(t, svc["EnvironmentFile"], 1, unit)
		assert.Contains(t, steps, svc["EnvironmentFile"][0], "%s: the steps create its EnvironmentFile", unit)
		require.Len(t, svc["User"], 1, unit)
		assert.Contains(t, steps, "useradd --system", "%s: the steps create its user", unit)
		assert.Contains(t, steps, " "+svc["User"][0]+"\n", "%s: the steps create user %s", unit, svc["User"][0])
		assert.Equal(t, "/var/lib/"+svc["StateDirectory"][0], example.StateDir, "%s: state_dir of config.example.yaml is its StateDirectory", unit)
		assert.Contains(t, svc["ExecStart"][0], "--config /etc/orderdrop/orderdrop.yaml")
		assert.Contains(t, steps, " /etc/orderdrop/orderdrop.yaml\n", "the steps install the configuration the units read")
	}
	assert.NotContains(t, steps, "credentials.env", "one name for the credentials file")
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	require.NoError(t, err)
	assert.NotContains(t, string(readme), "credentials.env", "one name for the credentials file")
}

// config.example.yaml as shipped changes no behaviour with an example value.
func TestExampleConfigHasNoBehaviourChangingExamples(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "config.example.yaml"))
	require.NoError(t, err)
	for i, line := range strings.Split(string(data), "\n") {
		value, comment, ok := strings.Cut(line, "#")
		if !ok || strings.TrimSpace(value) == "" {
			continue
		}
		// "# example: X" shows another value in a comment; "# example"
		// alone marks the value set as one.
		if c := strings.TrimSpace(comment); strings.HasPrefix(c, "example") && !strings.HasPrefix(c, "example:") {
			t.Errorf("config.example.yaml line %d: %q sets an example value; ship the default and show the example in the comment", i+1, strings.TrimSpace(line))
		}
	}
}
