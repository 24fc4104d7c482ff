package ledger

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenReadOnlyCreatesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	_, err := OpenReadOnly(path, Options{})
	require.ErrorIs(t, err, ErrNotFound, "no ledger yet")
	assert.NoFileExists(t, path, "a read-only open creates nothing")

	w, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	require.NoError(t, w.PutBatch(&Batch{ID: "b1", File: "o.csv"}))

	// While a pass holds the ledger, a reader cannot have it.
	_, err = OpenReadOnly(path, Options{Timeout: 50 * time.Millisecond})
	require.ErrorIs(t, err, ErrLocked)
	require.NoError(t, w.Close())

	// Free: two readers at once.
	r1, err := OpenReadOnly(path, Options{})
	require.NoError(t, err)
	defer r1.Close()
	r2, err := OpenReadOnly(path, Options{})
	require.NoError(t, err)
	defer r2.Close()
	b, err := r2.Batch("b1")
	require.NoError(t, err)
	assert.Equal(t, "o.csv", b.File)
}

func TestRecent(t *testing.T) {
	l, _ := openTest(t)
	require.NoError(t, l.BeginSubmits([]Intent{intent("k1", "f1"), intent("k2", "f2"), intent("k3", "f3")}))
	require.NoError(t, l.PutBatch(&Batch{ID: "20261123T100000-0001", Keys: []string{"k1"}}))
	require.NoError(t, l.PutBatch(&Batch{ID: "20261123T110000-0001", Keys: []string{"k2", "k3"}}))
	require.NoError(t, l.PutBatch(&Batch{ID: "20261123T120000-0001", Keys: []string{"k1"}}))

	tests := []struct {
		limit, maxOrders int
		wantBatches      []string
		withOrders       []string
	}{
		{0, 100, []string{"20261123T120000-0001", "20261123T110000-0001", "20261123T100000-0001"},
			[]string{"20261123T120000-0001", "20261123T110000-0001", "20261123T100000-0001"}},
		{2, 100, []string{"20261123T120000-0001", "20261123T110000-0001"}, []string{"20261123T120000-0001", "20261123T110000-0001"}},
		{0, 2, []string{"20261123T120000-0001", "20261123T110000-0001", "20261123T100000-0001"}, []string{"20261123T120000-0001"}},
	}
	for _, tt := range tests {
		bs, orders, err := l.Recent(tt.limit, tt.maxOrders)
		require.NoError(t, err)
		var ids, with []string
		for _, b := range bs {
			ids = append(ids, b.ID)
			if _, ok := orders[b.ID]; ok {
				with = append(with, b.ID)
			}
		}
		assert.Equal(t, tt.wantBatches, ids)
		assert.Equal(t, tt.withOrders, with, "limit %d, max %d", tt.limit, tt.maxOrders)
	}
	_, orders, err := l.Recent(0, 100)
	require.NoError(t, err)
	require.Len(t, orders["20261123T110000-0001"], 2)
	assert.Equal(t, "k2", orders["20261123T110000-0001"][0].Key)
	assert.Equal(t, Submitting, orders["20261123T110000-0001"][0].State)
}
