//go:build race

package review

// raceEnabled: the race detector slows reading a 100,000-row report ten
// times; the tests that measure such reads run without it (make heavy).
const raceEnabled = true
