package ledger

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketPending holds the files kept in processing/ for a retry, by name.
// It is created by the first PutPending, so ledgers written before it
// existed need no migration.
var bucketPending = []byte("pending")

// PendingFile is a file kept in processing/ because some of its orders could
// not be sent (a carrier refused the credentials, was unreachable or busy,
// or its reference data could not be read). Later passes take it again no
// earlier than NextTry; its orders already sent answer already_submitted.
type PendingFile struct {
	Name     string    `json:"-"`                  // the file's name in processing/ (the key)
	Size     int64     `json:"size"`               // the file's size when recorded: a different file of the same name is not this one
	ModTime  time.Time `json:"mod_time"`           // the file's modification time when recorded
	Attempts int       `json:"attempts"`           // passes that took the file and could not send everything
	First    time.Time `json:"first"`              // the first such pass
	NextTry  time.Time `json:"next_try"`           // no pass takes the file again before this
	Reason   string    `json:"reason,omitempty"`   // what stopped the orders, for status and logs
	BatchID  string    `json:"batch_id,omitempty"` // the last batch of the file
}

// Matches reports whether p was recorded for the file of that size and
// modification time.
func (p *PendingFile) Matches(size int64, mod time.Time) bool {
	return p.Size == size && p.ModTime.Equal(mod)
}

// Pending returns the pending file of that name, or nil when there is none.
func (l *Ledger) Pending(name string) (*PendingFile, error) {
	var p *PendingFile
	err := l.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPending)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(name))
		if raw == nil {
			return nil
		}
		p = &PendingFile{}
		if err := json.Unmarshal(raw, p); err != nil {
			return fmt.Errorf("decode pending file %q: %w", name, err)
		}
		p.Name = name
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	return p, nil
}

// PendingFiles returns every pending file, by name.
func (l *Ledger) PendingFiles() ([]PendingFile, error) {
	var out []PendingFile
	err := l.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPending)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var p PendingFile
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode pending file %q: %w", k, err)
			}
			p.Name = string(k)
			out = append(out, p)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	return out, nil
}

// PutPending stores (creates or replaces) p.
func (l *Ledger) PutPending(p *PendingFile) error {
	if p == nil || p.Name == "" {
		return fmt.Errorf("ledger: put pending file without name: %w", ErrInvalid)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("ledger: encode pending file %q: %w", p.Name, err)
	}
	return l.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketPending)
		if err != nil {
			return fmt.Errorf("ledger: create bucket %s: %w", bucketPending, err)
		}
		if err := b.Put([]byte(p.Name), raw); err != nil {
			return fmt.Errorf("ledger: put pending file %q: %w", p.Name, err)
		}
		return nil
	})
}

// DeletePending forgets the pending file of that name (none is fine).
func (l *Ledger) DeletePending(name string) error {
	return l.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPending)
		if b == nil {
			return nil
		}
		if err := b.Delete([]byte(name)); err != nil {
			return fmt.Errorf("ledger: delete pending file %q: %w", name, err)
		}
		return nil
	})
}
