package ledger

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

func TestOpenCreatesPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "nested", "ledger.db")
	l, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	require.NoError(t, l.Close())

	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(filepath.Dir(path))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	first, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	defer first.Close()

	start := time.Now()
	second, err := Open(path, Options{Timeout: 100 * time.Millisecond, NoSync: true})
	took := time.Since(start)
	require.ErrorIs(t, err, ErrLocked)
	assert.Nil(t, second)
	assert.ErrorContains(t, err, "another orderdrop is using "+path)
	// bbolt gives up one 50ms retry step before Timeout.
	assert.GreaterOrEqual(t, took, 40*time.Millisecond, "it must wait for the lock")
	assert.Less(t, took, 900*time.Millisecond, "must give up around Timeout, not the 1s default")

	require.NoError(t, first.Close())
	again, err := Open(path, Options{Timeout: 100 * time.Millisecond, NoSync: true})
	require.NoError(t, err, "the lock is released by Close")
	require.NoError(t, again.Close())
}

func TestOpenSchema(t *testing.T) {
	tests := []struct {
		name  string
		setup func(tx *bolt.Tx) error
		want  error
	}{
		{"newer version", func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket(bucketMeta)
			if err != nil {
				return err
			}
			return b.Put(keySchema, []byte("3"))
		}, ErrSchema},
		{"garbage version", func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket(bucketMeta)
			if err != nil {
				return err
			}
			return b.Put(keySchema, []byte("v1-beta"))
		}, ErrSchema},
		{"foreign bbolt file", func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket([]byte("something-else"))
			return err
		}, ErrSchema},
		{"current version", func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket(bucketMeta)
			if err != nil {
				return err
			}
			return b.Put(keySchema, []byte("1"))
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ledger.db")
			db, err := bolt.Open(path, 0o600, nil)
			require.NoError(t, err)
			require.NoError(t, db.Update(tt.setup))
			require.NoError(t, db.Close())

			l, err := Open(path, Options{NoSync: true})
			if tt.want != nil {
				require.ErrorIs(t, err, tt.want)
				assert.ErrorContains(t, err, path)
				return
			}
			require.NoError(t, err)
			require.NoError(t, l.Close())
		})
	}
}

func TestOpenNotBbolt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	require.NoError(t, os.WriteFile(path, []byte("order,ref\n1,2\n"), 0o600))
	_, err := Open(path, Options{NoSync: true})
	assert.ErrorContains(t, err, path)
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := Open(path, Options{})
	require.NoError(t, err)
	require.NoError(t, l.BeginSubmits([]Intent{intent("k", "fp")}))
	require.NoError(t, l.Close())

	l, err = Open(path, Options{})
	require.NoError(t, err)
	defer l.Close()
	got, err := l.Get("k")
	require.NoError(t, err)
	assert.Equal(t, Submitting, got.State)
}

func TestOpenReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")

	_, err := Open(path, Options{ReadOnly: true})
	require.ErrorIs(t, err, os.ErrNotExist, "a missing ledger is not created by a reader")
	assert.NoFileExists(t, path)

	w, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	require.NoError(t, w.BeginSubmits([]Intent{intent("k", "fp")}))
	_, err = Open(path, Options{ReadOnly: true, Timeout: 100 * time.Millisecond})
	require.ErrorIs(t, err, ErrLocked, "a writer holds the file")
	require.NoError(t, w.Close())

	r1, err := Open(path, Options{ReadOnly: true})
	require.NoError(t, err)
	r2, err := Open(path, Options{ReadOnly: true, Timeout: 100 * time.Millisecond})
	require.NoError(t, err, "readers share the file")
	got, err := r2.Get("k")
	require.NoError(t, err)
	assert.Equal(t, Submitting, got.State)
	assert.Error(t, r1.BeginSubmits([]Intent{intent("k2", "fp")}), "a reader cannot write")
	_, err = Open(path, Options{Timeout: 100 * time.Millisecond, NoSync: true})
	require.ErrorIs(t, err, ErrLocked, "a writer waits for the readers")
	require.NoError(t, r1.Close())
	require.NoError(t, r2.Close())

	w, err = Open(path, Options{Timeout: 100 * time.Millisecond, NoSync: true})
	require.NoError(t, err, "the readers' lock is released by Close")
	require.NoError(t, w.Close())
}

func TestOpenReadOnlySchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(keySchema, []byte("2"))
	}))
	require.NoError(t, db.Close())
	_, err = Open(path, Options{ReadOnly: true})
	require.ErrorIs(t, err, ErrSchema)
}
