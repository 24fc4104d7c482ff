package ledger

import (
	bolt "go.etcd.io/bbolt"
)

// bucketAttention indexes the keys of the orders an operator may have to
// look at (see needsAttention), so that the attention list of every pass
// reads those orders, not every order. Like the in_doubt index it is derived
// data: a ledger written before it existed gets it built once by Open
// (buildIndexes); the schema version is unchanged, and an older
// orderdrop reading the file ignores it.
var bucketAttention = []byte("attention")

// needsAttention reports whether o belongs in the attention index: sent
// but not settled (submitting, in_doubt), not sent for a fault to fix or
// wait out (retryable), or rejected by its carrier after it accepted it.
func (o *Order) needsAttention() bool {
	switch o.State {
	case Submitting, InDoubt, Retryable:
		return true
	case Submitted:
		return o.Track != nil && o.Track.Stage == StageRejected
	}
	return false
}

// NeedingAttention calls fn, in key order and inside one read transaction,
// with every order an operator may have to look at: submitting, in_doubt,
// retryable, or submitted and then rejected at its carrier. It reads only
// those orders, through their index; a ledger opened read-only before Open
// ever built the index is read whole. An error from fn stops the walk and
// is returned.
func (l *Ledger) NeedingAttention(fn func(*Order) error) error {
	return l.db.View(func(tx *bolt.Tx) error {
		orders := tx.Bucket(bucketOrders)
		idx := tx.Bucket(bucketAttention)
		if idx == nil {
			return orders.ForEach(func(k, _ []byte) error {
				o, err := getOrder(orders, string(k))
				if err != nil || !o.needsAttention() {
					return err
				}
				return fn(o)
			})
		}
		return idx.ForEach(func(k, _ []byte) error {
			o, err := getOrder(orders, string(k))
			if err != nil {
				return err
			}
			if o == nil || !o.needsAttention() {
				return nil
			}
			return fn(o)
		})
	})
}
