package ledger

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// UpdateBatch changes the stored batch id in one transaction: fn gets the
// batch as stored and its changes are written back. ErrNotFound when there
// is no such batch; an error from fn is returned as it is and nothing is
// written.
func (l *Ledger) UpdateBatch(id string, fn func(*Batch) error) error {
	return l.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketBatches)
		raw := bk.Get([]byte(id))
		if raw == nil || id == "" {
			return fmt.Errorf("ledger: batch %q: %w", id, ErrNotFound)
		}
		b, err := decodeBatch(id, raw)
		if err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
		enc, err := json.Marshal(b)
		if err != nil {
			return fmt.Errorf("ledger: encode batch %s: %w", id, err)
		}
		if err := bk.Put([]byte(id), enc); err != nil {
			return fmt.Errorf("ledger: write batch %s: %w", id, err)
		}
		return nil
	})
}

// OpenBatch returns the newest batch that read this content (sha256) at
// input and whose file was not moved to archive/ yet: the batch a file
// still in processing/ belongs to. ErrNotFound when there is none.
func (l *Ledger) OpenBatch(sha256, input string) (*Batch, error) {
	var found *Batch
	err := l.db.View(func(tx *bolt.Tx) error {
		ids, err := decodeIDs(tx.Bucket(bucketFiles).Get([]byte(sha256)))
		if err != nil {
			return fmt.Errorf("ledger: file %s: %w", sha256, err)
		}
		bk := tx.Bucket(bucketBatches)
		for i := len(ids) - 1; i >= 0; i-- {
			raw := bk.Get([]byte(ids[i]))
			if raw == nil {
				continue
			}
			b, err := decodeBatch(ids[i], raw)
			if err != nil {
				return err
			}
			if b.Input == input && b.Archived == "" {
				found = b
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if found == nil || sha256 == "" || input == "" {
		return nil, fmt.Errorf("ledger: no open batch for %s: %w", input, ErrNotFound)
	}
	return found, nil
}
