package ledger

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketInDoubt indexes the keys of the orders in state in_doubt, so that
// every pass can look them up at their carrier without reading every order.
// It is derived data: a ledger written before the index existed gets it built
// once by Open (orderIndex.init); the schema version is unchanged.
var bucketInDoubt = []byte("indoubt")

// orderIndex is a bucket holding the keys of the orders for which in is
// true, kept in step with every write of an order (order.go): derived
// data, built once by Open for a ledger written before it existed.
type orderIndex struct {
	bucket []byte
	what   string // for errors: "in_doubt"
	in     func(*Order) bool
}

var (
	inDoubtIndex   = orderIndex{bucket: bucketInDoubt, what: "in_doubt", in: func(o *Order) bool { return o.State == InDoubt }}
	attentionIndex = orderIndex{bucket: bucketAttention, what: "attention", in: (*Order).needsAttention}
)

// init creates the index when it is missing and fills it from the orders
// already stored.
func (ix orderIndex) init(tx *bolt.Tx) error {
	if tx.Bucket(ix.bucket) != nil {
		return nil
	}
	idx, err := tx.CreateBucket(ix.bucket)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", ix.bucket, err)
	}
	orders := tx.Bucket(bucketOrders)
	if orders == nil {
		return nil
	}
	return orders.ForEach(func(k, _ []byte) error {
		o, err := getOrder(orders, string(k))
		if err != nil {
			return err
		}
		if o != nil && ix.in(o) {
			return idx.Put(k, nil)
		}
		return nil
	})
}

// keep puts o's key in the index or takes it out, as o now is.
func (ix orderIndex) keep(tx *bolt.Tx, o *Order) error {
	idx := tx.Bucket(ix.bucket)
	if idx == nil {
		return nil // a ledger opened before the index was built: Open builds it
	}
	k := []byte(o.Key)
	var err error
	if ix.in(o) {
		err = idx.Put(k, nil)
	} else {
		err = idx.Delete(k)
	}
	if err != nil {
		return fmt.Errorf("ledger: index order %q for %s: %w", o.Key, ix.what, err)
	}
	return nil
}

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
