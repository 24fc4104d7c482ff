package ledger

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketAcks holds the attention items a person acknowledged, by item id
// (see Acknowledge). Created by the first acknowledgement: an older
// orderdrop ignores it, and the schema version is unchanged.
var bucketAcks = []byte("acks")

// Ack is a person's acknowledgement of an attention item: it leaves the
// attention list, and who, when and why are kept.
type Ack struct {
	ID      string    `json:"id"`                // the item's id, as `orderdrop attention` shows it
	Kind    string    `json:"kind,omitempty"`    // the item's kind, for the record
	Subject string    `json:"subject,omitempty"` // its order key or file name
	What    string    `json:"what,omitempty"`    // what it said when acknowledged
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Note    string    `json:"note"`
}

// Acknowledge records a, stamped now, replacing an earlier
// acknowledgement of the same item. ErrInvalid when a has no ID, By or
// Note.
func (l *Ledger) Acknowledge(a Ack) error {
	if a.ID == "" || a.By == "" || a.Note == "" {
		return fmt.Errorf("ledger: acknowledgement %q needs an id, who and a note: %w", a.ID, ErrInvalid)
	}
	a.At = l.stamp()
	a.What, a.Note = boundText(a.What), boundText(a.Note)
	raw, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("ledger: encode acknowledgement %q: %w", a.ID, err)
	}
	return l.writes.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketAcks)
		if err != nil {
			return fmt.Errorf("ledger: create bucket %s: %w", bucketAcks, err)
		}
		if err := b.Put([]byte(a.ID), raw); err != nil {
			return fmt.Errorf("ledger: write acknowledgement %q: %w", a.ID, err)
		}
		return nil
	})
}

// Acks returns every acknowledgement by item id; empty before the first.
func (l *Ledger) Acks() (map[string]Ack, error) {
	out := map[string]Ack{}
	err := l.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAcks)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var a Ack
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("ledger: decode acknowledgement %q: %w", k, err)
			}
			out[string(k)] = a
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
