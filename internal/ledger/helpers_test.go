package ledger

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openTest opens a fresh ledger in a temp folder, closed at cleanup.
func openTest(t *testing.T) (*Ledger, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 23, 14, 5, 2, 0, time.UTC)}
	l, err := Open(filepath.Join(t.TempDir(), "ledger.db"), Options{Now: c.Now, NoSync: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	return l, c
}

func intent(key, fp string) Intent {
	return Intent{Key: key, Kind: "fr-port", Carrier: "netwo", Ref: key, Fingerprint: fp,
		BatchID: "20261123T140502-0001", Fields: map[string]string{"idn": "0261910210", "fp": fp}}
}

// stateOfKey returns the stored state of key, "" when absent.
func stateOfKey(t *testing.T, l *Ledger, key string) State {
	t.Helper()
	got, err := l.Lookup([]string{key})
	require.NoError(t, err)
	if o, ok := got[key]; ok {
		return o.State
	}
	return ""
}
