package ledger

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPendingFilesRoundTripAndSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)

	got, err := l.Pending("orders.csv")
	require.NoError(t, err)
	assert.Nil(t, got, "a ledger without the bucket has no pending file")
	require.NoError(t, l.DeletePending("orders.csv"), "deleting nothing is fine")

	mod := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	p := &PendingFile{Name: "orders.csv", Size: 120, ModTime: mod, Attempts: 2, First: mod, NextTry: mod.Add(10 * time.Minute), Reason: "Thinktel unreachable"}
	require.NoError(t, l.PutPending(p))
	require.NoError(t, l.PutPending(&PendingFile{Name: "other.xlsx", Attempts: 1}))
	assert.ErrorIs(t, l.PutPending(&PendingFile{}), ErrInvalid)
	require.NoError(t, l.Close())

	l, err = Open(path, Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	got, err = l.Pending("orders.csv")
	require.NoError(t, err)
	assert.Equal(t, p, got)
	assert.True(t, got.Matches(120, mod))
	assert.False(t, got.Matches(121, mod), "another file of the same name")
	all, err := l.PendingFiles()
	require.NoError(t, err)
	assert.Len(t, all, 2)

	require.NoError(t, l.DeletePending("orders.csv"))
	got, err = l.Pending("orders.csv")
	require.NoError(t, err)
	assert.Nil(t, got)
}
