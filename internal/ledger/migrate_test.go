package ledger

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// testdata/ledger-v1.db was written by the version-1 code of this package
// (before tracking): ca-port/sub-1 and sub-2 submitted, ca-port/doubt
// in_doubt, ca-port/rej rejected, ca-port/fly left submitting, one batch.
func TestOpenMigratesVersion1(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "ledger-v1.db"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "ledger.db")
	require.NoError(t, os.WriteFile(path, src, 0o600))

	l, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)

	tracked, next, err := l.Tracked("", 10)
	require.NoError(t, err)
	assert.Equal(t, "", next)
	var keys []string
	for _, o := range tracked {
		keys = append(keys, o.Key)
	}
	assert.Equal(t, []string{"ca-port/sub-1", "ca-port/sub-2"}, keys, "every submitted order is followed after the migration")

	sub, err := l.Get("ca-port/sub-1")
	require.NoError(t, err)
	assert.Equal(t, "PI-0000001", sub.Reference)
	assert.Nil(t, sub.Track)
	assert.Empty(t, sub.File, "version 1 did not record the input file")
	stuck, err := l.Stuck()
	require.NoError(t, err)
	require.Len(t, stuck, 1)
	assert.Equal(t, "ca-port/fly", stuck[0].Key)
	b, err := l.Batch("20261102T090000-0001")
	require.NoError(t, err)
	assert.Equal(t, "ports.csv", b.File)
	require.NoError(t, l.Close())

	db, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.View(func(tx *bolt.Tx) error {
		assert.Equal(t, "2", string(tx.Bucket(bucketMeta).Get(keySchema)))
		return nil
	}))
	require.NoError(t, db.Close())

	// Opening the migrated file again changes nothing.
	l, err = Open(path, Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	again, _, err := l.Tracked("", 10)
	require.NoError(t, err)
	assert.Len(t, again, 2)
}
