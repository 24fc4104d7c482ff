package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Batch is one input file's run through the pipeline.
type Batch struct {
	ID          string         `json:"-"` // the bucket key, from NewBatchID
	File        string         `json:"file,omitempty"`
	SHA256      string         `json:"sha256,omitempty"` // of the input's content
	Report      string         `json:"report,omitempty"` // path of the result report
	Started     time.Time      `json:"started,omitzero"`
	Finished    time.Time      `json:"finished,omitzero"`
	Counts      map[string]int `json:"counts,omitempty"` // status → rows
	Keys        []string       `json:"keys,omitempty"`   // the orders of the batch
	Interrupted bool           `json:"interrupted,omitempty"`
	// Input is the path the file was processed at (in processing/): a file
	// found there again is a resume of this batch while Done is false.
	Input string `json:"input,omitempty"`
	// Done: the pass is over and the input only waits to be moved to
	// archive/; it is never read again.
	Done bool `json:"done,omitempty"`
	// Archived is where the input was moved after the pass ("" = not yet).
	Archived string `json:"archived,omitempty"`
	// Holds are the all-or-nothing holds of the pass: per kind, the valid
	// rows not sent because the file had invalid rows of that kind. Absent
	// in a batch of an older orderdrop.
	Holds []Hold `json:"holds,omitempty"`
}

// Hold is one all-or-nothing hold of a batch.
type Hold struct {
	Kind    string `json:"kind"`    // the order kind ("fr-port")
	Held    int    `json:"held"`    // valid rows not sent
	Invalid int    `json:"invalid"` // invalid rows of the kind, which caused it
	Setting string `json:"setting"` // the configuration key that causes it
}

// batchIDLayout is the time part of a batch ID, in UTC.
const batchIDLayout = "20060102T150405"

// NewBatchID returns a new batch ID for time t: "20261123T140502-0001", the
// UTC second then a hex counter within that second. IDs sort by time (and
// by creation within a second) and are unique within the ledger: the counter
// continues after both the IDs already stored and those handed out by this
// Ledger but not stored yet. Past 0xffff IDs in one second the counter
// grows a digit and sorting within that second is lost.
func (l *Ledger) NewBatchID(t time.Time) string {
	prefix := t.UTC().Format(batchIDLayout)
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.issued[prefix]
	_ = l.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketBatches).Cursor()
		k, _ := c.Seek([]byte(prefix + ".")) // '.' sorts right after '-'
		if k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
		n = max(n, counterOf(string(k), prefix))
		return nil
	})
	l.issued[prefix] = n + 1
	return fmt.Sprintf("%s-%04x", prefix, n+1)
}

// counterOf is the hex counter of id when id has the time prefix, else 0.
func counterOf(id, prefix string) uint64 {
	rest, ok := strings.CutPrefix(id, prefix+"-")
	if !ok {
		return 0
	}
	n, err := strconv.ParseUint(rest, 16, 64)
	if err != nil {
		return 0
	}
	return n
}

// PutBatch stores (creates or replaces) b and indexes its file: SHA256 →
// batch IDs, so FileBatches finds every run of the same content.
func (l *Ledger) PutBatch(b *Batch) error {
	if b == nil || b.ID == "" {
		return fmt.Errorf("ledger: put batch without ID: %w", ErrInvalid)
	}
	raw, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("ledger: encode batch %s: %w", b.ID, err)
	}
	return l.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketBatches).Put([]byte(b.ID), raw); err != nil {
			return fmt.Errorf("ledger: write batch %s: %w", b.ID, err)
		}
		if b.SHA256 == "" {
			return nil
		}
		files := tx.Bucket(bucketFiles)
		ids, err := decodeIDs(files.Get([]byte(b.SHA256)))
		if err != nil {
			return fmt.Errorf("ledger: file %s: %w", b.SHA256, err)
		}
		if slices.Contains(ids, b.ID) {
			return nil
		}
		ids = append(ids, b.ID)
		slices.Sort(ids)
		enc, err := json.Marshal(ids)
		if err != nil {
			return fmt.Errorf("ledger: encode file %s: %w", b.SHA256, err)
		}
		if err := files.Put([]byte(b.SHA256), enc); err != nil {
			return fmt.Errorf("ledger: index file %s: %w", b.SHA256, err)
		}
		return nil
	})
}

// Batch returns the batch with this ID, or ErrNotFound.
func (l *Ledger) Batch(id string) (*Batch, error) {
	var b *Batch
	err := l.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketBatches).Get([]byte(id))
		if raw == nil || id == "" {
			return fmt.Errorf("ledger: batch %q: %w", id, ErrNotFound)
		}
		var err error
		b, err = decodeBatch(id, raw)
		return err
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Batches returns the newest batches first (by ID, which sorts by time), at
// most limit of them; limit <= 0 means all.
func (l *Ledger) Batches(limit int) ([]*Batch, error) {
	var out []*Batch
	err := l.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketBatches).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			b, err := decodeBatch(string(k), v)
			if err != nil {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FileBatches returns the IDs of the batches that read a file with this
// SHA-256, oldest first; nil when the content was never seen.
func (l *Ledger) FileBatches(sha256 string) ([]string, error) {
	var ids []string
	err := l.db.View(func(tx *bolt.Tx) error {
		var err error
		ids, err = decodeIDs(tx.Bucket(bucketFiles).Get([]byte(sha256)))
		if err != nil {
			return fmt.Errorf("ledger: file %s: %w", sha256, err)
		}
		return nil
	})
	return ids, err
}

func decodeBatch(id string, raw []byte) (*Batch, error) {
	var b Batch
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("ledger: decode batch %s: %w", id, err)
	}
	b.ID = id
	return &b, nil
}

func decodeIDs(raw []byte) ([]string, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	var ids []string
	if err := json.Unmarshal(raw, &ids); err != nil {
		return nil, fmt.Errorf("decode batch IDs: %w", err)
	}
	return ids, nil
}
