package main

import (
	"os"
	"runtime/debug"
)

// Memory defaults, unless GOGC or GOMEMLIMIT say otherwise: a pass streams
// its file, so its live heap stays small (tens of MiB for 100,000 rows) and
// the collector's default pacing (a new cycle each time the heap doubles)
// mostly costs time. orderdrop lets the heap grow to three times its live
// size, but past a soft limit of 128 MiB the collector runs sooner. Above
// the limit a larger live heap is still served: the runtime then collects
// more often, at most half the CPU, rather than fail.
const (
	defaultGCPercent   = 200
	defaultMemoryLimit = 128 << 20
)

// tuneMemory applies the defaults above where the environment sets none.
func tuneMemory() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
