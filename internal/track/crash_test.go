package track

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

const envCrashLedger = "ORDERDROP_TRACK_CRASH_LEDGER"

func crashAnswers() map[string]carrier.Status {
	m := map[string]carrier.Status{}
	for i := range 10 {
		m[fmt.Sprintf("R%02d", i)] = carrier.Status{Stage: ledger.StageScheduled, Word: "CONFIRMED", Date: "2026-12-01"}
	}
	return m
}

// TestTrackHelperProcess is not a test: run as a child by
// TestPassKilledMidway, it tracks with real fsync and is killed (SIGKILL)
// during the sixth look-up, in the middle of the second page.
func TestTrackHelperProcess(t *testing.T) {
	path := os.Getenv(envCrashLedger)
	if path == "" {
		t.Skip("helper process for TestPassKilledMidway")
	}
	l, err := ledger.Open(path, ledger.Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(3)
	}
	f := &fakeTracker{answers: crashAnswers(), errs: map[string]error{}, onAsk: func(n int) {
		if n == 6 {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	}}
	_, err = Pass(context.Background(), Held(l), Options{Trackers: map[string]Tracker{"thinktel": f}, PageSize: 4, Concurrency: map[string]int{"thinktel": 1}})
	fmt.Fprintln(os.Stderr, "helper: not killed:", err)
	os.Exit(4)
}

func TestPassKilledMidway(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := ledger.Open(path, ledger.Options{})
	require.NoError(t, err)
	var refs []string
	for r := range crashAnswers() {
		refs = append(refs, r)
	}
	submit(t, l, "thinktel", refs...)
	require.NoError(t, l.Close())

	cmd := exec.Command(os.Args[0], "-test.run=^TestTrackHelperProcess$")
	cmd.Env = append(os.Environ(), envCrashLedger+"="+path)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "child output: %s", out)
	assert.Equal(t, "signal: killed", exit.Error(), "child output: %s", out)

	l, err = ledger.Open(path, ledger.Options{Timeout: time.Second})
	require.NoError(t, err, "the dead child's lock must be gone")
	defer l.Close()
	recorded := 0
	for _, r := range refs {
		switch h := history(t, l, "thinktel/"+r); len(h) {
		case 0:
		case 1:
			recorded++
		default:
			t.Errorf("%s: history %v, want at most one entry", r, h)
		}
	}
	assert.Equal(t, 4, recorded, "the first page was committed before the kill; the second was not")

	s, err := Pass(context.Background(), Held(l), Options{Trackers: map[string]Tracker{"thinktel": &fakeTracker{answers: crashAnswers(), errs: map[string]error{}}}, PageSize: 4})
	require.NoError(t, err)
	assert.Equal(t, 6, s.Changed)
	for _, r := range refs {
		assert.Equal(t, []ledger.Stage{ledger.StageScheduled}, history(t, l, "thinktel/"+r), r)
	}
}
