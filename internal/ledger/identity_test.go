package ledger

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

func TestOpenGivesANewLedgerAnID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	id := l.ID()
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{16}$`), id)
	require.NoError(t, l.Close())

	l, err = Open(path, Options{NoSync: true})
	require.NoError(t, err)
	assert.Equal(t, id, l.ID(), "the id is the ledger's for life")
	require.NoError(t, l.Close())

	ro, err := OpenReadOnly(path, Options{})
	require.NoError(t, err)
	assert.Equal(t, id, ro.ID())
	require.NoError(t, ro.Close())

	other, err := Open(filepath.Join(t.TempDir(), "ledger.db"), Options{NoSync: true})
	require.NoError(t, err)
	defer other.Close()
	assert.NotEqual(t, id, other.ID(), "each ledger its own id")
}

// A ledger written before ids existed (here the version-1 file, migrated)
// gets one the next time a pass opens it, with no schema change.
func TestOpenGivesAnOlderLedgerAnID(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "ledger-v1.db"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "ledger.db")
	require.NoError(t, os.WriteFile(path, src, 0o600))

	ro, err := OpenReadOnly(path, Options{})
	if err == nil { // a version-1 file is refused read-only: nothing to check then
		assert.Equal(t, "", ro.ID(), "a read-only open writes nothing")
		require.NoError(t, ro.Close())
	}
	l, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	id := l.ID()
	assert.NotEmpty(t, id)
	require.NoError(t, l.Close())

	db, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.View(func(tx *bolt.Tx) error {
		assert.Equal(t, "2", string(tx.Bucket(bucketMeta).Get(keySchema)), "no schema version bump")
		assert.Equal(t, id, string(tx.Bucket(bucketMeta).Get(keyID)))
		return nil
	}))
}

func TestEmpty(t *testing.T) {
	l, _ := openTest(t)
	got, err := l.Empty()
	require.NoError(t, err)
	assert.True(t, got, "a new ledger is empty")

	require.NoError(t, l.PutBatch(&Batch{ID: l.NewBatchID(l.stamp()), File: "a.csv"}))
	got, err = l.Empty()
	require.NoError(t, err)
	assert.False(t, got, "a ledger with a batch is not empty")
}

func TestStartFreshIsRecorded(t *testing.T) {
	l, c := openTest(t)
	require.NoError(t, l.StartFresh("reports/ holds 3 reports of ledger 0123456789abcdef"))
	got, err := l.Origin()
	require.NoError(t, err)
	assert.Equal(t, OriginFresh, got.How)
	assert.Equal(t, c.Now(), got.At)
	assert.Contains(t, got.Note, "0123456789abcdef")
	empty, err := l.Empty()
	require.NoError(t, err)
	assert.False(t, empty, "a deliberate fresh start is not a lost ledger")
}
