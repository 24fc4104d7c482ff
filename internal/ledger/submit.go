package ledger

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Intent is an order about to be sent.
type Intent struct {
	Key, Kind, Carrier, Ref, Fingerprint, BatchID string
	Fields                                        map[string]string
	// File, Sheet and Rows say where the order was read from (the input as
	// dropped, "" for a CSV's sheet, spreadsheet row numbers); optional.
	File, Sheet string
	Rows        []int
	// Environment and BaseURL say where the order is sent: the carrier
	// environment ("" = production) and base URL.
	Environment, BaseURL string
}

// BeginSubmits moves every intent's order to submitting in ONE write
// transaction, committed (fsync'd) before it returns: call it before sending
// any of the group's requests. The transaction may also hold other writes
// made at the same time (outcomes, checkpoints), never part of another
// call's failure.
//
// Each key must be new, or stored as not_submitted or retryable (with the
// same or a new fingerprint; a kept Checkpoint survives only when the
// fingerprint is unchanged), or turned down by its carrier (Order.TurnedDown):
// that attempt is then kept in Order.Attempts and the intent is the next
// attempt, committed like a first one so that a crash never sends it twice. Otherwise, or when a key appears twice in the
// group, it returns ErrState naming the key and writes nothing of the group.
// An intent without Key or Fingerprint is ErrInvalid.
func (l *Ledger) BeginSubmits(intents []Intent) error {
	if len(intents) == 0 {
		return nil
	}
	at := l.stamp()
	err := l.writes.update(func(tx *bolt.Tx) error {
		orders := tx.Bucket(bucketOrders)
		for _, in := range intents {
			if in.Key == "" || in.Fingerprint == "" {
				return fmt.Errorf("ledger: intent %q without key or fingerprint: %w", in.Key, ErrInvalid)
			}
			o, err := getOrder(orders, in.Key)
			if err != nil {
				return err
			}
			if o == nil {
				o = &Order{Key: in.Key}
			}
			_, _, turnedDown := o.TurnedDown()
			if !o.State.canBegin() && !turnedDown {
				return fmt.Errorf("ledger: order %q is %s, cannot become %s: %w", in.Key, o.State, Submitting, ErrState)
			}
			msg := "batch " + in.BatchID
			if turnedDown {
				o.keepAttempt()
				msg = fmt.Sprintf("attempt %d, batch %s", o.AttemptNo(), in.BatchID)
			}
			if o.Fingerprint != "" && o.Fingerprint != in.Fingerprint {
				msg += " (content changed)"
				o.Checkpoint = nil
			}
			o.Kind, o.Carrier, o.Ref = in.Kind, in.Carrier, in.Ref
			o.Fingerprint, o.Fields, o.BatchID = in.Fingerprint, maps.Clone(in.Fields), in.BatchID
			o.File, o.Sheet, o.Rows = in.File, in.Sheet, slices.Clone(in.Rows)
			o.Env, o.BaseURL = in.Environment, in.BaseURL
			o.Track = nil // a new submission is followed afresh
			o.State, o.Reference, o.Message = Submitting, "", ""
			o.Lookups, o.LastLookup, o.LookupNote = 0, time.Time{}, ""
			o.History = append(o.History, Event{At: at, State: Submitting, Message: msg, By: byOrderdrop})
			if err := putOrder(tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("begin %d submits: %w", len(intents), err)
	}
	return nil
}

// Outcome is the result of one request.
type Outcome struct {
	Key string
	// State is submitted, rejected, in_doubt or retryable.
	State              State
	Reference, Message string
	Attempts           int
}

// RecordOutcomes records the outcomes in ONE write transaction (shared, like
// BeginSubmits', with writes made at the same time). Each order
// must be submitting; submitted sets SubmittedAt and Reference. Every outcome
// appends to the order's History.
//
// Outcomes are facts about the carrier and are never dropped for a
// neighbour's fault: the allowed ones are committed even when others are
// refused, and the returned error joins one error per refused outcome
// (ErrNotFound, ErrState or ErrInvalid, each naming its key). A failed
// commit writes nothing.
func (l *Ledger) RecordOutcomes(outs []Outcome) error {
	if len(outs) == 0 {
		return nil
	}
	at := l.stamp()
	var refused []error
	err := l.writes.update(func(tx *bolt.Tx) error {
		refused = refused[:0]
		orders := tx.Bucket(bucketOrders)
		for _, out := range outs {
			out.Message = boundText(out.Message) // as a tracking answer's (bound.go)
			if !out.State.isOutcome() {
				refused = append(refused, fmt.Errorf("ledger: order %q: outcome %q: %w", out.Key, out.State, ErrInvalid))
				continue
			}
			o, err := getOrder(orders, out.Key)
			if err != nil {
				return err
			}
			if o == nil || o.State != Submitting {
				refused = append(refused, stateError(out.Key, stateOf(o), out.State))
				continue
			}
			o.State, o.Message = out.State, out.Message
			if out.Reference != "" {
				o.Reference = out.Reference
			}
			if out.State == Submitted {
				o.SubmittedAt = at
			}
			o.History = append(o.History, Event{At: at, State: out.State, Reference: out.Reference,
				Message: out.Message, By: byOrderdrop, Attempts: out.Attempts})
			if err := putOrder(tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record %d outcomes: %w", len(outs), err)
	}
	return errors.Join(refused...)
}

// SaveCheckpoint replaces the multi-step progress of a submitting order (for
// example Netwo's cart_id once the cart exists), on disk when it returns, so
// that a crash resumes from the last step. Checkpoints saved at the same time
// by orders in flight share one transaction. ErrState when the order is not
// submitting, ErrNotFound when unknown.
func (l *Ledger) SaveCheckpoint(key string, cp map[string]string) error {
	return l.writes.update(func(tx *bolt.Tx) error {
		o, err := getOrder(tx.Bucket(bucketOrders), key)
		if err != nil {
			return err
		}
		if o == nil || o.State != Submitting {
			return stateError(key, stateOf(o), Submitting)
		}
		o.Checkpoint = maps.Clone(cp)
		return putOrder(tx, o)
	})
}

// stateOf is o's state, or the zero State when o is nil.
func stateOf(o *Order) State {
	if o == nil {
		return ""
	}
	return o.State
}
