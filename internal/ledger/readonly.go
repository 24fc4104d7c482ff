package ledger

import (
	bolt "go.etcd.io/bbolt"
)

// OpenReadOnly opens an existing ledger for reading only (status): nothing
// is created or written, and several readers may hold it at once. bbolt's
// shared lock cannot be had while a pass holds the ledger: then, after
// opts.Timeout (0 = 1s), it returns ErrLocked. It returns ErrNotFound when
// there is no ledger file yet, and ErrDamaged and ErrSchema as Open does.
// A ledger of the previous schema is read as it is, through a migrated
// temporary copy removed by Close.
func OpenReadOnly(path string, opts Options) (*Ledger, error) {
	opts.ReadOnly = true
	return Open(path, opts)
}

// Recent returns, from one read transaction, the newest batches (at most
// limit; <= 0 means all) and the orders of as many of them, newest first,
// as fit in maxOrders orders: a consistent picture for a status snapshot.
// A batch whose orders did not fit has no entry in the map.
func (l *Ledger) Recent(limit, maxOrders int) ([]*Batch, map[string][]*Order, error) {
	var batches []*Batch
	orders := map[string][]*Order{}
	err := l.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketBatches).Cursor()
		ob := tx.Bucket(bucketOrders)
		room := maxOrders
		for k, v := c.Last(); k != nil && (limit <= 0 || len(batches) < limit); k, v = c.Prev() {
			b, err := decodeBatch(string(k), v)
			if err != nil {
				return err
			}
			batches = append(batches, b)
			if len(b.Keys) > room {
				room = 0 // keep newest first: no older batch jumps the queue
				continue
			}
			list := make([]*Order, 0, len(b.Keys))
			for _, key := range b.Keys {
				o, err := getOrder(ob, key)
				if err != nil {
					return err
				}
				if o != nil {
					list = append(list, o)
				}
			}
			orders[b.ID] = list
			room -= len(b.Keys)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return batches, orders, nil
}
