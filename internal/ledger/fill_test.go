package ledger

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// TestAppendedOrdersFillTheirPages writes orders whose keys follow each
// other, as a file of consecutive order_refs does, and checks that the
// pages holding them are mostly full: bbolt's default splits a page half
// way, which leaves every appended page half empty and doubles the file and
// the memory its mapping takes.
func TestAppendedOrdersFillTheirPages(t *testing.T) {
	l, _ := openTest(t)
	for g := range 20 {
		in := make([]Intent, 100)
		outs := make([]Outcome, len(in))
		for i := range in {
			key := fmt.Sprintf("l2/ref:L2-%06d", g*100+i)
			in[i] = intent(key, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
			in[i].Fields["street_name"] = "de la République"
			outs[i] = Outcome{Key: key, State: Submitted, Reference: fmt.Sprintf("PZ-%d", g*100+i), Attempts: 1}
		}
		require.NoError(t, l.BeginSubmits(in))
		require.NoError(t, l.RecordOutcomes(outs))
	}
	require.NoError(t, l.db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketOrders, bucketTracking} {
			s := tx.Bucket(name).Stats()
			got := float64(s.LeafInuse) / float64(s.LeafAlloc)
			if got < 0.75 {
				t.Errorf("bucket %s: leaf pages %.0f%% full, want at least 75%%", name, got*100)
			}
		}
		return nil
	}))
}
