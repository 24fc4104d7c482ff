package ledger

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketNotified holds what a digest already told a person about (an
// unsupported file or folder of the inbox, by name and modification
// time), so that it is told once: key → when first told (RFC 3339).
var bucketNotified = []byte("notified")

// FirstNotices records keys as told and returns, in their order, those
// not recorded before: the ones to tell a person about now.
func (l *Ledger) FirstNotices(keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var fresh []string
	at := []byte(l.stamp().Format(time.RFC3339Nano))
	err := l.writes.update(func(tx *bolt.Tx) error {
		fresh = fresh[:0]
		b, err := tx.CreateBucketIfNotExists(bucketNotified)
		if err != nil {
			return fmt.Errorf("ledger: create bucket %s: %w", bucketNotified, err)
		}
		for _, k := range keys {
			if b.Get([]byte(k)) != nil {
				continue
			}
			if err := b.Put([]byte(k), at); err != nil {
				return fmt.Errorf("ledger: record notice %q: %w", k, err)
			}
			fresh = append(fresh, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return fresh, nil
}
