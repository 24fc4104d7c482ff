package ledger

import (
	bolt "go.etcd.io/bbolt"
)

// OpenAfter looks at up to limit keys of the open orders' index (every
// order's key when the index is missing, as in a ledger opened read-only
// before Open built it) after the key after ("" = from the first), in key
// order, in one short read transaction. It returns the open orders
// (Order.Open) among them and the key to continue after ("" when there are
// no more), so that a reader walking every open order in such steps (the
// review page) never holds the ledger for long. limit <= 0 means 100.
func (l *Ledger) OpenAfter(after string, limit int) ([]*Order, string, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []*Order
	next := ""
	err := l.db.View(func(tx *bolt.Tx) error {
		orders := tx.Bucket(bucketOrders)
		keys := tx.Bucket(bucketOpen)
		if keys == nil {
			keys = orders
		}
		c := keys.Cursor()
		k, _ := c.First()
		if after != "" {
			k, _ = c.Seek([]byte(after))
			if k != nil && string(k) == after {
				k, _ = c.Next()
			}
		}
		last := ""
		for n := 0; k != nil; k, _ = c.Next() {
			if n == limit {
				next = last
				return nil
			}
			n++
			last = string(k)
			o, err := getOrder(orders, last)
			if err != nil {
				return err
			}
			if o != nil && o.Open() {
				out = append(out, o)
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}
