package ledger

import (
	"fmt"
	"maps"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// byRebuild is Event.By for the events of a ledger rebuild.
const byRebuild = "orderdrop ledger rebuild"

// Restored is an order rebuilt from a result report and its archived input
// (orderdrop ledger rebuild): submitted, with the carrier's reference and
// time, or in_doubt.
type Restored struct {
	Key, Kind, Carrier, Ref, Fingerprint string
	Fields                               map[string]string
	State                                State // Submitted or InDoubt
	Reference, Message                   string
	SubmittedAt                          time.Time
	// File, Sheet and Rows say where the order was read from, as Intent's.
	File, Sheet string
	Rows        []int
}

// RestoreBatch writes the orders of one rebuilt batch, then the batch
// itself (its Keys those of the orders; Done as given: true for an input
// found in archive/, false for one kept in processing/, which the next pass
// resumes), and returns how many orders it wrote. report names the report they come from, for their history.
//
// An order already restored from an earlier report keeps its first
// submission (a later report shows it already_submitted); one restored in
// doubt becomes submitted when a later report shows it so. Only submitted
// and in_doubt orders, with a key and a fingerprint, are restored:
// anything else is ErrInvalid and nothing is written.
func (l *Ledger) RestoreBatch(b *Batch, orders []Restored, report string) (int, error) {
	sub, doubt, err := l.restoreBatch(b, orders, report, false)
	return sub + doubt, err
}

// AddBatch is RestoreBatch for a ledger that holds orders already (one
// restored from an older copy): it writes only the orders the ledger lacks,
// never changing one it holds (same key: the ledger's is kept, whatever its
// state), then the batch. It returns how many submitted and in_doubt orders
// it wrote.
func (l *Ledger) AddBatch(b *Batch, orders []Restored, report string) (submitted, inDoubt int, err error) {
	return l.restoreBatch(b, orders, report, true)
}

// restoreBatch is RestoreBatch and AddBatch; keep leaves every order the
// ledger holds as it is.
func (l *Ledger) restoreBatch(b *Batch, orders []Restored, report string, keep bool) (submitted, inDoubt int, err error) {
	if b == nil || b.ID == "" {
		return 0, 0, fmt.Errorf("ledger: restore a batch without ID: %w", ErrInvalid)
	}
	at := l.stamp()
	var keys []string
	err = l.db.Update(func(tx *bolt.Tx) error {
		submitted, inDoubt, keys = 0, 0, keys[:0]
		bucket := tx.Bucket(bucketOrders)
		for _, r := range orders {
			if r.Key == "" || r.Fingerprint == "" || (r.State != Submitted && r.State != InDoubt) {
				return fmt.Errorf("ledger: restore order %q as %q: only submitted or in_doubt orders with a key and fingerprint: %w", r.Key, r.State, ErrInvalid)
			}
			if !slices.Contains(keys, r.Key) {
				keys = append(keys, r.Key)
			}
			o, err := getOrder(bucket, r.Key)
			if err != nil {
				return err
			}
			switch {
			case o == nil:
				o = &Order{Key: r.Key, Kind: r.Kind, Carrier: r.Carrier, Ref: r.Ref, Fingerprint: r.Fingerprint,
					Fields: maps.Clone(r.Fields), BatchID: b.ID, File: r.File, Sheet: r.Sheet, Rows: slices.Clone(r.Rows)}
			case o.State == InDoubt && r.State == Submitted && !keep:
			default:
				continue // restored already from an earlier report
			}
			o.State, o.Message = r.State, r.Message
			if r.State == Submitted {
				o.Reference, o.SubmittedAt = r.Reference, r.SubmittedAt
			}
			when := r.SubmittedAt
			if when.IsZero() {
				when = at
			}
			o.History = append(o.History, Event{At: when, State: r.State, Reference: r.Reference, By: byRebuild,
				Message: fmt.Sprintf("restored from the report %s on %s", report, at.Format("2006-01-02 15:04 MST"))})
			if err := putOrder(tx, o); err != nil {
				return err
			}
			if r.State == Submitted {
				submitted++
			} else {
				inDoubt++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("restore batch %s: %w", b.ID, err)
	}
	b.Keys = keys
	if err := l.PutBatch(b); err != nil {
		return submitted, inDoubt, err
	}
	return submitted, inDoubt, nil
}

// MarkRebuilt records that the ledger was rebuilt from the reports (note
// says what was restored) and gives it id, the id of the ledger those
// reports name, so that the reports and the ledger agree again. id "" keeps
// the ledger's own.
func (l *Ledger) MarkRebuilt(id, note string) error {
	if id != "" {
		err := l.db.Update(func(tx *bolt.Tx) error {
			if err := tx.Bucket(bucketMeta).Put(keyID, []byte(id)); err != nil {
				return fmt.Errorf("ledger: write ledger id: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return l.setOrigin(Origin{How: OriginRebuilt, At: l.stamp(), Note: note})
}
