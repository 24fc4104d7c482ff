//go:build race

package carrier

// raceEnabled: the race detector changes allocation counts.
const raceEnabled = true
