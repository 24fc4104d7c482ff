package ledger

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketInDoubt indexes the keys of the orders in state in_doubt, so that
// every pass can look them up at their carrier without reading every order.
// It is derived data: a ledger written before the index existed gets it built
// once by Open (buildIndexes); the schema version is unchanged.
var bucketInDoubt = []byte("indoubt")

// InDoubt returns the orders in state in_doubt, in key order: their requests
// may or may not have reached the carrier.
func (l *Ledger) InDoubt() ([]*Order, error) {
	var out []*Order
	err := l.db.View(func(tx *bolt.Tx) error {
		orders := tx.Bucket(bucketOrders)
		idx := tx.Bucket(bucketInDoubt)
		if idx == nil {
			return nil
		}
		return idx.ForEach(func(k, _ []byte) error {
			o, err := getOrder(orders, string(k))
			if err != nil {
				return err
			}
			if o != nil && o.State == InDoubt {
				out = append(out, o)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RecordLookup records a carrier lookup that did not settle an in_doubt order
// (nothing found, something unsure, or the lookup failed): Lookups grows by
// one, LastLookup is now and LookupNote is note. The order stays in_doubt.
// ErrState when the order is not in_doubt, ErrNotFound when unknown.
func (l *Ledger) RecordLookup(key, note string) error {
	at := l.stamp()
	return l.db.Update(func(tx *bolt.Tx) error {
		o, err := getOrder(tx.Bucket(bucketOrders), key)
		if err != nil {
			return err
		}
		if o == nil || o.State != InDoubt {
			return stateError(key, stateOf(o), InDoubt)
		}
		o.Lookups++
		o.LastLookup, o.LookupNote = at, note
		return putOrder(tx, o)
	})
}

// SentAt is when the order's last request was (about to be) sent: the time
// its last submitting event was committed, just before the request left.
// Zero when the order was never sent.
func (o *Order) SentAt() time.Time {
	for i := len(o.History) - 1; i >= 0; i-- {
		if o.History[i].State == Submitting {
			return o.History[i].At
		}
	}
	return time.Time{}
}

// Now is the ledger's clock (Options.Now), the one its history is stamped
// with: compare an order's times with it.
func (l *Ledger) Now() time.Time { return l.stamp() }
