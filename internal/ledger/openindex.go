package ledger

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketOpen indexes the keys of the open orders (Order.Open: submitted,
// not final, polled or not), and bucketChanged those of the orders whose
// tracking recorded something since the latest tracking pass started
// (BeginTrackPass empties it), so that the open-orders workbook of every
// pass reads those orders, not every order. Both are derived data, built
// once by Open when missing (buildIndexes); the schema version is
// unchanged and an older orderdrop reading the file ignores them.
var (
	bucketOpen    = []byte("open")
	bucketChanged = []byte("changed")
)

// trackedSince reports whether o's tracking recorded an entry at or after
// t (never when t is zero: no pass started yet).
func (o *Order) trackedSince(t time.Time) bool {
	if o.Track == nil || t.IsZero() {
		return false
	}
	for _, e := range o.Track.History {
		if !e.At.Before(t) {
			return true
		}
	}
	return false
}

// markChanged adds key to the changed index.
func markChanged(tx *bolt.Tx, key string) error {
	idx := tx.Bucket(bucketChanged)
	if idx == nil {
		return nil
	}
	if err := idx.Put([]byte(key), nil); err != nil {
		return fmt.Errorf("ledger: index tracking change of %q: %w", key, err)
	}
	return nil
}

// ChangesKept is how long a tracking change stays in the changed index
// (and the open-orders workbook's Changes sheet).
const ChangesKept = 30 * 24 * time.Hour

// pruneChanged takes out of the changed index, as a new tracking pass
// starts, the orders with no tracking entry since cutoff.
func pruneChanged(tx *bolt.Tx, cutoff time.Time) error {
	idx := tx.Bucket(bucketChanged)
	if idx == nil {
		return nil
	}
	orders := tx.Bucket(bucketOrders)
	var old [][]byte
	err := idx.ForEach(func(k, _ []byte) error {
		o, err := getOrder(orders, string(k))
		if err != nil {
			return err
		}
		if o == nil || !o.trackedSince(cutoff) {
			old = append(old, slices.Clone(k))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ledger: prune bucket %s: %w", bucketChanged, err)
	}
	for _, k := range old {
		if err := idx.Delete(k); err != nil {
			return fmt.Errorf("ledger: prune bucket %s: %w", bucketChanged, err)
		}
	}
	return nil
}

// lastPassTx is when the latest tracking pass started (zero: none yet).
func lastPassTx(tx *bolt.Tx) (time.Time, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return time.Time{}, nil
	}
	raw := meta.Get(keyTrackPasses)
	if raw == nil {
		return time.Time{}, nil
	}
	var p TrackPasses
	if err := json.Unmarshal(raw, &p); err != nil {
		return time.Time{}, fmt.Errorf("ledger: decode tracking passes: %w", err)
	}
	return p.Last, nil
}

// ForEachOpen calls fn with every open order (Order.Open), in key order,
// reading only those through their index (every order of a ledger opened
// read-only before Open ever built it). An error from fn stops the walk.
func (s *Snapshot) ForEachOpen(fn func(*Order) error) error {
	return s.walkIndex(bucketOpen, (*Order).Open, fn)
}

// ForEachTrackedSince calls fn, in key order, with every order whose
// tracking recorded an entry at or after since, up to ChangesKept ago,
// reading only those through their index (every order of a ledger opened
// read-only before Open ever built it). An error from fn stops the walk.
func (s *Snapshot) ForEachTrackedSince(since time.Time, fn func(*Order) error) error {
	return s.walkIndex(bucketChanged, func(o *Order) bool { return o.trackedSince(since) }, fn)
}

// ForEachTrackedSinceLastPass calls fn, in key order, with every order
// whose tracking recorded an entry at or after the start of the latest
// tracking pass, reading only those through their index (every order of a
// ledger opened read-only before Open ever built it). An error from fn
// stops the walk.
func (s *Snapshot) ForEachTrackedSinceLastPass(fn func(*Order) error) error {
	last, err := lastPassTx(s.tx)
	if err != nil {
		return err
	}
	return s.walkIndex(bucketChanged, func(o *Order) bool { return o.trackedSince(last) }, fn)
}

// walkIndex calls fn with the orders of index name that satisfy in, or,
// when the index is missing, with every order that does.
func (s *Snapshot) walkIndex(name []byte, in func(*Order) bool, fn func(*Order) error) error {
	orders := s.tx.Bucket(bucketOrders)
	keys := s.tx.Bucket(name)
	if keys == nil {
		keys = orders
	}
	return keys.ForEach(func(k, _ []byte) error {
		o, err := getOrder(orders, string(k))
		if err != nil || o == nil || !in(o) {
			return err
		}
		return fn(o)
	})
}
