package ledger

import (
	bolt "go.etcd.io/bbolt"
)

// CountInDoubt returns how many orders are in state in_doubt (for metrics),
// from the in_doubt index: it costs the index's size, not the ledger's.
func (l *Ledger) CountInDoubt() (int, error) {
	n := 0
	err := l.db.View(func(tx *bolt.Tx) error {
		if idx := tx.Bucket(bucketInDoubt); idx != nil { // nil: a read-only ledger of an older orderdrop
			n = idx.Stats().KeyN
		}
		return nil
	})
	return n, err
}
