package ledger

import (
	bolt "go.etcd.io/bbolt"
)

// Snapshot is a consistent read-only view of the orders: what one read
// transaction sees. It is valid only inside the View call that gave it.
type Snapshot struct {
	tx *bolt.Tx
}

// View calls fn with a snapshot of the ledger, so that several walks over
// the orders (one to count and size, one to write) see the same orders
// while writers go on. Keep fn short: a read transaction held open keeps
// the pages it saw from being reused.
func (l *Ledger) View(fn func(*Snapshot) error) error {
	return l.db.View(func(tx *bolt.Tx) error { return fn(&Snapshot{tx: tx}) })
}

// ForEach calls fn with every order, in key order; an error from fn stops
// the walk and is returned.
func (s *Snapshot) ForEach(fn func(*Order) error) error {
	orders := s.tx.Bucket(bucketOrders)
	return orders.ForEach(func(k, _ []byte) error {
		o, err := getOrder(orders, string(k))
		if err != nil {
			return err
		}
		return fn(o)
	})
}

// Lookup returns the orders among keys; unknown keys are absent from the
// map.
func (s *Snapshot) Lookup(keys []string) (map[string]*Order, error) {
	return lookupTx(s.tx, keys)
}

// lookupTx is Lookup inside tx.
func lookupTx(tx *bolt.Tx, keys []string) (map[string]*Order, error) {
	found := make(map[string]*Order, len(keys))
	b := tx.Bucket(bucketOrders)
	for _, k := range keys {
		o, err := getOrder(b, k)
		if err != nil {
			return nil, err
		}
		if o != nil {
			found[k] = o
		}
	}
	return found, nil
}
