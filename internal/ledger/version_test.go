package ledger

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// copyV1 copies testdata/ledger-v1.db (see TestOpenMigratesVersion1) to a
// temporary folder and returns its path and bytes.
func copyV1(t *testing.T) (string, []byte) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "ledger-v1.db"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "orderdrop.db")
	require.NoError(t, os.WriteFile(path, src, 0o600))
	return path, src
}

// metaOf reads the meta bucket's values of the ledger file at path.
func metaOf(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	m := map[string]string{}
	require.NoError(t, db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).ForEach(func(k, v []byte) error { m[string(k)] = string(v); return nil })
	}))
	return m
}

// newerLedger writes a ledger of schema version 3, last opened for writing
// by writer ("" = not recorded).
func newerLedger(t *testing.T, writer string) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "orderdrop.db")
	writeLedger(t, path, 3)
	db, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.Update(func(tx *bolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if err := m.Put(keySchema, []byte("3")); err != nil {
			return err
		}
		if writer == "" {
			return m.Delete(keyWriter)
		}
		return m.Put(keyWriter, []byte(writer))
	}))
	require.NoError(t, db.Close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return path, data
}

func TestOpenRecordsItsWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orderdrop.db")
	l, err := Open(path, Options{NoSync: true, Version: "v1.4.0"})
	require.NoError(t, err)
	require.NoError(t, l.Close())
	assert.Equal(t, "v1.4.0", metaOf(t, path)["writer"])

	r, err := OpenReadOnly(path, Options{})
	require.NoError(t, err)
	require.NoError(t, r.Close())
	l, err = Open(path, Options{NoSync: true, Version: "v1.5.0"})
	require.NoError(t, err)
	require.NoError(t, l.Close())
	assert.Equal(t, "v1.5.0", metaOf(t, path)["writer"], "the latest writer")
}

func TestOpenNewerSchemaNamesItsWriter(t *testing.T) {
	tests := []struct {
		name, writer, wantMsg string
		readOnly              bool
	}{
		{"pass", "v2.0.1", "was written by orderdrop v2.0.1 (schema 3)", false},
		{"reader", "v2.0.1", "was written by orderdrop v2.0.1 (schema 3)", true},
		{"writer unrecorded", "", "was written by a newer orderdrop (schema 3)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, before := newerLedger(t, tt.writer)
			l, err := Open(path, Options{NoSync: true, ReadOnly: tt.readOnly, Version: "v1.4.0"})
			require.Nil(t, l)
			require.ErrorIs(t, err, ErrSchema)
			var ne *NewerError
			require.True(t, errors.As(err, &ne), "got %v", err)
			assert.Equal(t, 3, ne.Schema)
			assert.Equal(t, tt.writer, ne.Writer)
			assert.ErrorContains(t, err, tt.wantMsg)
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, before, after, "a newer ledger is never changed")
		})
	}
}

func TestMigrationBacksUpFirst(t *testing.T) {
	path, _ := copyV1(t)
	l, err := Open(path, Options{NoSync: true, Version: "v1.4.0"})
	require.NoError(t, err)
	assert.Equal(t, Migration{From: 1, To: SchemaVersion, Backup: path + ".v1.bak"}, l.Migrated())
	require.NoError(t, l.Close())

	assert.Equal(t, "1", metaOf(t, path+".v1.bak")["schema"], "the backup is the ledger before the migration")
	assert.Equal(t, "2", metaOf(t, path)["schema"])
	require.NoError(t, CheckBackup(path+".v1.bak"))

	l, err = Open(path, Options{NoSync: true})
	require.NoError(t, err)
	assert.Equal(t, Migration{}, l.Migrated(), "nothing to migrate the second time")
	require.NoError(t, l.Close())
}

func TestOpenReadOnlyReadsThePreviousSchema(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	path, before := copyV1(t)

	l, err := OpenReadOnly(path, Options{})
	require.NoError(t, err, "a reader never fails on the previous schema")
	assert.Equal(t, Migration{}, l.Migrated(), "a reader migrates nothing")
	tracked, _, err := l.Tracked("", 10)
	require.NoError(t, err)
	require.Len(t, tracked, 2)
	assert.Equal(t, "ca-port/sub-1", tracked[0].Key)
	stuck, err := l.Stuck()
	require.NoError(t, err)
	require.Len(t, stuck, 1)
	n, err := l.CountInDoubt()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	bs, err := l.Batches(0)
	require.NoError(t, err)
	require.Len(t, bs, 1)
	assert.Equal(t, "ports.csv", bs[0].File)
	assert.Error(t, l.BeginSubmits([]Intent{intent("k", "fp")}), "a reader cannot write")

	require.NoError(t, l.Close())
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the ledger is read as it is, never changed")
	assert.NoFileExists(t, path+".v1.bak", "only a pass migrates, and backs up")
	left, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, left, "the migrated copy is removed on Close")
}
