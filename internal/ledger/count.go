package ledger

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// CountStates returns how many orders the ledger holds in each state (for
// metrics). It reads only each order's state.
func (l *Ledger) CountStates() (map[State]int, error) {
	counts := map[State]int{}
	err := l.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOrders).ForEach(func(k, v []byte) error {
			var o struct {
				State State `json:"state"`
			}
			if err := json.Unmarshal(v, &o); err != nil {
				return fmt.Errorf("order %s: %w", k, err)
			}
			counts[o.State]++
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("count orders: %w", err)
	}
	return counts, nil
}
