package ledger

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// writeLedger writes a closed ledger with n orders at path, enough for the
// orders bucket to span several pages.
func writeLedger(t *testing.T, path string, n int) {
	t.Helper()
	l, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	intents := make([]Intent, n)
	for i := range intents {
		intents[i] = intent(fmt.Sprintf("fr-port/ref-%04d", i), fmt.Sprintf("fp-%d", i))
	}
	require.NoError(t, l.BeginSubmits(intents))
	require.NoError(t, l.PutBatch(&Batch{ID: "20261123T140502-0001", File: "ports.csv"}))
	require.NoError(t, l.Close())
}

// ordersRoot returns the page number and the page size of the orders
// bucket's root page, a page every read of an order goes through.
func ordersRoot(t *testing.T, path string) (int64, int64) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	var root int64
	require.NoError(t, db.View(func(tx *bolt.Tx) error {
		root = int64(tx.Bucket(bucketOrders).Root())
		return nil
	}))
	require.NotZero(t, root, "the orders bucket must not be inline")
	return root, int64(db.Info().PageSize)
}

// usedSize is the size of the pages in use (the file may be longer:
// bbolt grows it ahead).
func usedSize(t *testing.T, path string) int64 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	require.NoError(t, err)
	defer db.Close()
	var size int64
	require.NoError(t, db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil }))
	return size
}

// damage is one way a ledger file gets damaged.
type damage struct {
	name string
	do   func(t *testing.T, path string)
}

var damages = []damage{
	{"zeroed page", func(t *testing.T, path string) {
		root, size := ordersRoot(t, path)
		overwrite(t, path, root*size, make([]byte, size))
	}},
	{"truncated", func(t *testing.T, path string) {
		require.NoError(t, os.Truncate(path, usedSize(t, path)/2))
	}},
	{"truncated by a page", func(t *testing.T, path string) {
		_, size := ordersRoot(t, path)
		require.NoError(t, os.Truncate(path, usedSize(t, path)-size))
	}},
	{"random bytes in the middle", func(t *testing.T, path string) {
		root, size := ordersRoot(t, path)
		junk := make([]byte, size)
		r := rand.New(rand.NewPCG(1, 2))
		for i := range junk {
			junk[i] = byte(r.Uint32())
		}
		overwrite(t, path, root*size, junk)
	}},
	{"random bytes after the page header", func(t *testing.T, path string) {
		root, size := ordersRoot(t, path)
		junk := make([]byte, size-16)
		r := rand.New(rand.NewPCG(3, 4))
		for i := range junk {
			junk[i] = byte(r.Uint32())
		}
		overwrite(t, path, root*size+16, junk)
	}},
	{"zeroed free list", func(t *testing.T, path string) {
		// bbolt reads the free list while opening, after mapping the file.
		_, size := ordersRoot(t, path)
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		for _, meta := range []int64{0, size} {
			freelist := int64(binary.LittleEndian.Uint64(data[meta+48:]))
			overwrite(t, path, freelist*size, make([]byte, size))
		}
	}},
	{"not a bbolt file", func(t *testing.T, path string) {
		require.NoError(t, os.WriteFile(path, []byte("order_ref,kind\nA,l2\n"), 0o600))
	}},
}

func overwrite(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteAt(b, off)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// damagedLedger writes a ledger of a few hundred orders and damages it.
func damagedLedger(t *testing.T, d damage) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "orderdrop.db")
	writeLedger(t, path, 400)
	d.do(t, path)
	return path
}

func TestOpenDamagedIsErrDamaged(t *testing.T) {
	for _, d := range damages {
		for _, ro := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/readonly=%v", d.name, ro), func(t *testing.T) {
				path := damagedLedger(t, d)
				before, err := os.ReadFile(path)
				require.NoError(t, err)

				var l *Ledger
				require.NotPanics(t, func() {
					l, err = Open(path, Options{NoSync: true, ReadOnly: ro, Timeout: 200e6})
				})
				if l != nil {
					_ = l.Close()
				}
				require.ErrorIs(t, err, ErrDamaged, "got %v", err)
				assert.ErrorContains(t, err, path)

				after, rerr := os.ReadFile(path)
				require.NoError(t, rerr)
				assert.Equal(t, before, after, "a damaged ledger is never changed")

				// The file handle and its lock are released: opening again
				// says damaged again, not locked.
				_, err = Open(path, Options{NoSync: true, ReadOnly: ro, Timeout: 200e6})
				require.ErrorIs(t, err, ErrDamaged)
			})
		}
	}
}
