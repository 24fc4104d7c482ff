package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestTuneMemory: orderdrop's GC defaults apply only where the environment
// sets none.
func TestTuneMemory(t *testing.T) {
	gc, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) })

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneMemory()
	if got := debug.SetGCPercent(100); got != defaultGCPercent {
		t.Errorf("got GC percent %d, want %d", got, defaultGCPercent)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != defaultMemoryLimit {
		t.Errorf("got memory limit %d, want %d", got, defaultMemoryLimit)
	}

	t.Setenv("GOGC", "50")
	t.Setenv("GOMEMLIMIT", "1GiB")
	tuneMemory()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set: got GC percent %d, want it left at 100", got)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set: got memory limit %d, want it left alone", got)
	}
}
