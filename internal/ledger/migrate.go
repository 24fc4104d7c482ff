package ledger

import (
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// migrate brings a ledger of version from up to schemaVersion, inside the
// transaction that opens it: a crash leaves the file at its old version,
// and the next Open migrates again.
func migrate(tx *bolt.Tx, meta *bolt.Bucket, from int) error {
	if from == 1 {
		if err := indexTracking(tx); err != nil {
			return fmt.Errorf("migrate version 1 to 2: %w", err)
		}
	}
	if err := meta.Put(keySchema, []byte(strconv.Itoa(schemaVersion))); err != nil {
		return fmt.Errorf("write schema version: %w", err)
	}
	return nil
}

// indexTracking fills the tracking index from the orders: every submitted
// order of a version-1 ledger is followed from now on.
func indexTracking(tx *bolt.Tx) error {
	orders, idx := tx.Bucket(bucketOrders), tx.Bucket(bucketTracking)
	return orders.ForEach(func(k, _ []byte) error {
		o, err := getOrder(orders, string(k))
		if err != nil {
			return err
		}
		if o.tracked() {
			return idx.Put(k, nil)
		}
		return nil
	})
}
