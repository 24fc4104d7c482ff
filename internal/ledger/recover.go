package ledger

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Stuck returns the orders left submitting, in key order: their requests
// were (perhaps) sent by a run that crashed before recording the outcome.
func (l *Ledger) Stuck() ([]*Order, error) {
	var stuck []*Order
	err := l.db.View(func(tx *bolt.Tx) error {
		orders := tx.Bucket(bucketOrders)
		return tx.Bucket(bucketInflight).ForEach(func(k, _ []byte) error {
			o, err := getOrder(orders, string(k))
			if err != nil {
				return err
			}
			if o != nil && o.State == Submitting {
				stuck = append(stuck, o)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return stuck, nil
}

// MarkInDoubt moves submitting orders to in_doubt in one transaction, with
// why in their history. Like RecordOutcomes, the allowed keys are committed
// even when others are refused; the error joins one ErrState or ErrNotFound
// per refused key.
func (l *Ledger) MarkInDoubt(keys []string, why string) error {
	if len(keys) == 0 {
		return nil
	}
	at := l.stamp()
	var refused []error
	err := l.db.Update(func(tx *bolt.Tx) error {
		refused = refused[:0]
		orders := tx.Bucket(bucketOrders)
		for _, k := range keys {
			o, err := getOrder(orders, k)
			if err != nil {
				return err
			}
			if o == nil || o.State != Submitting {
				refused = append(refused, stateError(k, stateOf(o), InDoubt))
				continue
			}
			o.State, o.Message = InDoubt, why
			o.History = append(o.History, Event{At: at, State: InDoubt, Message: why, By: byOrderdrop})
			if err := putOrder(tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark %d orders in doubt: %w", len(keys), err)
	}
	return errors.Join(refused...)
}

// Resolution is an operator's (or a reconciliation's) verdict on an order
// in doubt. Exactly one of Reference and NotSubmitted must be set.
type Resolution struct {
	// Reference is the carrier reference the order got: the order becomes
	// submitted.
	Reference string
	// NotSubmitted says the request never reached the carrier: the order
	// becomes not_submitted and may be sent again.
	NotSubmitted bool
	// By names who decided (an operator, or "orderdrop" for an automatic
	// reconciliation); required.
	By string
	// Why is recorded in the history and as the order's message.
	Why string
}

// Resolve settles an order that is in_doubt (or still submitting) and records
// who, when and why in its History. ErrInvalid for a malformed Resolution,
// ErrNotFound for an unknown key, ErrState from any other state.
func (l *Ledger) Resolve(key string, r Resolution) error {
	if (r.Reference == "") == !r.NotSubmitted {
		return fmt.Errorf("ledger: resolve %q: need exactly one of a reference or not-submitted: %w", key, ErrInvalid)
	}
	if r.By == "" {
		return fmt.Errorf("ledger: resolve %q: who resolves it is required: %w", key, ErrInvalid)
	}
	to := Submitted
	if r.NotSubmitted {
		to = NotSubmitted
	}
	at := l.stamp()
	return l.db.Update(func(tx *bolt.Tx) error {
		o, err := getOrder(tx.Bucket(bucketOrders), key)
		if err != nil {
			return err
		}
		if o == nil || !o.State.canResolve() {
			return stateError(key, stateOf(o), to)
		}
		o.State, o.Message = to, r.Why
		if to == Submitted {
			o.Reference, o.SubmittedAt = r.Reference, at
		}
		o.History = append(o.History, Event{At: at, State: to, Reference: r.Reference, Message: r.Why, By: r.By})
		return putOrder(tx, o)
	})
}
