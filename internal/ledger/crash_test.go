package ledger

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Environment of the helper child process.
const (
	envHelperPath = "ORDERDROP_LEDGER_HELPER_PATH"
	envHelperHow  = "ORDERDROP_LEDGER_HELPER_HOW" // "kill" or "exit"
)

// TestHelperProcess is not a test: run as a child by TestCrash*, it writes to
// the ledger like a run would, then dies without Close.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(envHelperPath)
	if path == "" {
		t.Skip("helper process for the crash tests")
	}
	if err := crashingRun(path, os.Getenv(envHelperHow)); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(3)
	}
	os.Exit(4) // not reached: crashingRun dies first
}

// crashingRun is the child: one group fully done, a second group in flight,
// then death (real fsync: NoSync is false).
func crashingRun(path, how string) error {
	l, err := Open(path, Options{Timeout: 5e9})
	if err != nil {
		return err
	}
	if err := l.BeginSubmits([]Intent{intent("done-1", "fp-done")}); err != nil {
		return err
	}
	if err := l.RecordOutcomes([]Outcome{{Key: "done-1", State: Submitted, Reference: "NW-100"}}); err != nil {
		return err
	}
	if err := l.BeginSubmits([]Intent{intent("fly-1", "fp-a"), intent("fly-2", "fp-b"), intent("fly-3", "fp-c")}); err != nil {
		return err
	}
	if err := l.SaveCheckpoint("fly-2", map[string]string{"cart_id": "CART-7"}); err != nil {
		return err
	}
	switch how {
	case "kill":
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // wait for the signal
	case "exit":
		os.Exit(1)
	}
	return errors.New("unknown way to die: " + how)
}

func TestCrashSafety(t *testing.T) {
	tests := []struct {
		how      string
		wantExit string
	}{
		{"kill", "signal: killed"},
		{"exit", "exit status 1"},
	}
	for _, tt := range tests {
		t.Run(tt.how, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ledger.db")
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
			cmd.Env = append(os.Environ(), envHelperPath+"="+path, envHelperHow+"="+tt.how)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "child output: %s", out)
			assert.Equal(t, tt.wantExit, exit.Error(), "child output: %s", out)

			l, err := Open(path, Options{Timeout: 100e6})
			require.NoError(t, err, "the dead child's lock must be gone")
			defer l.Close()

			stuck, err := l.Stuck()
			require.NoError(t, err)
			got := map[string]string{}
			for _, o := range stuck {
				assert.Equal(t, Submitting, o.State)
				got[o.Key] = o.Fingerprint
			}
			assert.Equal(t, map[string]string{"fly-1": "fp-a", "fly-2": "fp-b", "fly-3": "fp-c"}, got)

			fly2, err := l.Get("fly-2")
			require.NoError(t, err)
			assert.Equal(t, map[string]string{"cart_id": "CART-7"}, fly2.Checkpoint, "checkpoint survives the crash")

			done, err := l.Get("done-1")
			require.NoError(t, err)
			assert.Equal(t, Submitted, done.State)
			assert.Equal(t, "NW-100", done.Reference)
			assert.False(t, done.SubmittedAt.IsZero())

			// The next run's recovery: in doubt, never resent automatically.
			require.NoError(t, l.MarkInDoubt([]string{"fly-1", "fly-2", "fly-3"}, "interrupted run"))
			stuck, err = l.Stuck()
			require.NoError(t, err)
			assert.Empty(t, stuck)
			assert.ErrorIs(t, l.BeginSubmits([]Intent{intent("fly-1", "fp-a")}), ErrState)
		})
	}
}
