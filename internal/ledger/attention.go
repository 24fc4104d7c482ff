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

// keyAttentionIndex marks, in the meta bucket, the attention index built
// with needsAttention as it is now (rejections at submission,
// cancellations and unknown carrier statuses included): an index built
// before, without the mark, is rebuilt once by Open (index.rev).
var keyAttentionIndex = []byte("attention_index")

// attentionIndexMark is the value of keyAttentionIndex.
const attentionIndexMark = "2"

// needsAttention reports whether o belongs in the attention index: sent
// but not settled (submitting, in_doubt), not sent for a fault to fix or
// wait out (retryable), rejected at submission, or, after its carrier
// accepted it, rejected, cancelled (terminated, expired) or in a status
// orderdrop does not know. An order sent again leaves it once accepted.
func (o *Order) needsAttention() bool {
	switch o.State {
	case Submitting, InDoubt, Retryable, Rejected:
		return true
	case Submitted:
		if o.Track == nil {
			return false
		}
		switch o.Track.Stage {
		case StageRejected, StageCancelled, StageUnknown:
			return true
		}
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
