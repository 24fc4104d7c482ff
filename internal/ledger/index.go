package ledger

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// index is one derived index: a bucket holding the keys of the orders for
// which in is true. Derived data: Open builds a missing index from the
// orders (buildIndexes), so that a ledger written before it existed, or
// whose index was lost, gets it without a schema change; an older
// orderdrop reading the file ignores it.
type index struct {
	bucket []byte
	what   string // for errors: "in_doubt"
	// in reports whether o belongs in the index; last is when the latest
	// tracking pass started (zero: none yet).
	in func(o *Order, last time.Time) bool
	// kept: putOrder keeps the index in step with every write of an order.
	// false: others mark it (the changed index, by tracking).
	kept bool
	// schema: readers need it (checkSchema), so it is built in the
	// transaction that checks or migrates the schema, never left missing.
	schema bool
	// fill is the bucket's FillPercent on writes (0 = bbolt's default).
	fill float64
	// revKey and rev, when set: the meta key recording the rule the index
	// was built with, and the current rule's mark. An index built under
	// another mark (in changed since) is rebuilt once by Open. nil = never.
	revKey []byte
	rev    string
}

// indexes are every derived index of the ledger, the one table of them.
var indexes = []index{
	{bucket: bucketInflight, what: "submitting", kept: true, schema: true,
		in: func(o *Order, _ time.Time) bool { return o.State == Submitting }},
	{bucket: bucketTracking, what: "tracking", kept: true, schema: true, fill: appendFill,
		in: func(o *Order, _ time.Time) bool { return o.tracked() }},
	{bucket: bucketInDoubt, what: "in_doubt", kept: true,
		in: func(o *Order, _ time.Time) bool { return o.State == InDoubt }},
	{bucket: bucketOpen, what: "open", kept: true,
		in: func(o *Order, _ time.Time) bool { return o.Open() }},
	{bucket: bucketAttention, what: "attention", kept: true, revKey: keyAttentionIndex, rev: attentionIndexMark,
		in: func(o *Order, _ time.Time) bool { return o.needsAttention() }},
	// changed: rebuilt as the orders tracked within ChangesKept of the
	// latest pass (as pruneChanged keeps it).
	{bucket: bucketChanged, what: "changed", in: func(o *Order, last time.Time) bool {
		return !last.IsZero() && o.trackedSince(last.Add(-ChangesKept))
	}},
}

// build creates the index when it is missing and fills it from the orders
// already stored.
func (ix index) build(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if ix.revKey != nil && meta != nil && string(meta.Get(ix.revKey)) != ix.rev {
		if tx.Bucket(ix.bucket) != nil {
			if err := tx.DeleteBucket(ix.bucket); err != nil {
				return fmt.Errorf("rebuild the %s index: %w", ix.what, err)
			}
		}
		if err := meta.Put(ix.revKey, []byte(ix.rev)); err != nil {
			return fmt.Errorf("mark the %s index: %w", ix.what, err)
		}
	}
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
	last, err := lastPassTx(tx)
	if err != nil {
		return err
	}
	return orders.ForEach(func(k, _ []byte) error {
		o, err := getOrder(orders, string(k))
		if err != nil {
			return err
		}
		if o != nil && ix.in(o, last) {
			return idx.Put(k, nil)
		}
		return nil
	})
}

// keep puts o's key in the index or takes it out, as o now is.
func (ix index) keep(tx *bolt.Tx, o *Order) error {
	idx := tx.Bucket(ix.bucket)
	if idx == nil {
		return nil // a ledger opened before the index was built: Open builds it
	}
	if ix.fill != 0 {
		idx.FillPercent = ix.fill
	}
	k := []byte(o.Key)
	var err error
	if ix.in(o, time.Time{}) {
		err = idx.Put(k, nil)
	} else {
		err = idx.Delete(k)
	}
	if err != nil {
		return fmt.Errorf("ledger: index order %q for %s: %w", o.Key, ix.what, err)
	}
	return nil
}

// keepIndexes keeps every kept index in step with o, as written.
func keepIndexes(tx *bolt.Tx, o *Order) error {
	for _, ix := range indexes {
		if !ix.kept {
			continue
		}
		if err := ix.keep(tx, o); err != nil {
			return err
		}
	}
	return nil
}

// buildSchemaIndexes builds the missing indexes readers need, inside the
// transaction that checks or migrates the schema.
func buildSchemaIndexes(tx *bolt.Tx) error {
	for _, ix := range indexes {
		if !ix.schema {
			continue
		}
		if err := ix.build(tx); err != nil {
			return err
		}
	}
	return nil
}

// indexSteps are the builds of the other missing indexes, one transaction
// each, for Open after the schema step.
func indexSteps() []func(*bolt.Tx) error {
	var out []func(*bolt.Tx) error
	for _, ix := range indexes {
		if !ix.schema {
			out = append(out, ix.build)
		}
	}
	return out
}
