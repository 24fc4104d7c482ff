package ledger

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAcknowledgeIsKeptAndReadReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	at := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	l, err := Open(path, Options{NoSync: true, Now: func() time.Time { return at }})
	require.NoError(t, err)
	got, err := l.Acks()
	require.NoError(t, err)
	assert.Empty(t, got)

	require.NoError(t, l.Acknowledge(Ack{ID: "3f9a2c1b", Kind: "rejected", Subject: "ca-port/ref:A", By: "alice", Note: "customer gave up"}))
	err = l.Acknowledge(Ack{ID: "", Note: "x", By: "alice"})
	assert.True(t, errors.Is(err, ErrInvalid), "got %v, want ErrInvalid for an ack without id", err)
	err = l.Acknowledge(Ack{ID: "12345678", By: "alice"})
	assert.True(t, errors.Is(err, ErrInvalid), "got %v, want ErrInvalid for an ack without note", err)
	require.NoError(t, l.Close())

	l, err = OpenReadOnly(path, Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	got, err = l.Acks()
	require.NoError(t, err)
	want := map[string]Ack{"3f9a2c1b": {ID: "3f9a2c1b", Kind: "rejected", Subject: "ca-port/ref:A", By: "alice", Note: "customer gave up", At: at}}
	assert.Equal(t, want, got)
}
