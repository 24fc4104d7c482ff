package ledger

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// OpenReadOnly opens an existing ledger for reading only (status): nothing
// is created or written, and several readers may hold it at once. bbolt's
// shared lock cannot be had while a pass holds the ledger: then, after
// opts.Timeout (0 = 1s), it returns ErrLocked. It returns ErrNotFound when
// there is no ledger file yet, and ErrSchema as Open does.
func OpenReadOnly(path string, opts Options) (*Ledger, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = time.Second
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, ReadOnly: true})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("another orderdrop is using %s: %w", path, ErrLocked)
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("ledger: no ledger at %s yet: %w", path, ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("ledger: open %s: %w", path, err)
	}
	if err := db.View(checkSchema); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("ledger: %s: %w", path, err)
	}
	return &Ledger{db: db, path: path, now: now, issued: map[string]uint64{}}, nil
}

// checkSchema checks a ledger's schema version without writing.
func checkSchema(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return fmt.Errorf("no schema version (not an orderdrop ledger): %w", ErrSchema)
	}
	raw := meta.Get(keySchema)
	v, err := strconv.Atoi(string(raw))
	if err != nil || v != schemaVersion {
		return fmt.Errorf("schema version %q, this orderdrop reads %d: %w", raw, schemaVersion, ErrSchema)
	}
	for _, name := range [][]byte{bucketOrders, bucketBatches, bucketFiles} {
		if tx.Bucket(name) == nil {
			return fmt.Errorf("bucket %s missing: %w", name, ErrSchema)
		}
	}
	return nil
}

// Recent returns, from one read transaction, the newest batches (at most
// limit; <= 0 means all) and the orders of as many of them, newest first,
// as fit in maxOrders orders: a consistent picture for a status snapshot.
// A batch whose orders did not fit has no entry in the map.
func (l *Ledger) Recent(limit, maxOrders int) ([]*Batch, map[string][]*Order, error) {
	var batches []*Batch
	orders := map[string][]*Order{}
	err := l.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketBatches).Cursor()
		ob := tx.Bucket(bucketOrders)
		room := maxOrders
		for k, v := c.Last(); k != nil && (limit <= 0 || len(batches) < limit); k, v = c.Prev() {
			b, err := decodeBatch(string(k), v)
			if err != nil {
				return err
			}
			batches = append(batches, b)
			if len(b.Keys) > room {
				room = 0 // keep newest first: no older batch jumps the queue
				continue
			}
			list := make([]*Order, 0, len(b.Keys))
			for _, key := range b.Keys {
				o, err := getOrder(ob, key)
				if err != nil {
					return err
				}
				if o != nil {
					list = append(list, o)
				}
			}
			orders[b.ID] = list
			room -= len(b.Keys)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return batches, orders, nil
}
