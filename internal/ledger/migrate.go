package ledger

import (
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// migration is one change of the ledger's layout: it brings a ledger of
// schema version to-1 to version to. A ledger applies every migration
// whose to is above its version, in order.
type migration struct {
	to    int
	name  string // what it changes, for errors
	apply func(tx *bolt.Tx) error
}

// migrations are every change of layout, oldest first; the last one's to
// is schemaVersion. Derived indexes added without a schema change are not
// here: Open builds any that is missing (indexes).
var migrations = []migration{
	{to: 2, name: "the tracking index of the submitted orders", apply: buildIndex(bucketTracking)},
}

// applies reports whether m is still to be made on a ledger of version v.
func (m migration) applies(v int) bool { return v < m.to }

// migrate brings a ledger of version from up to schemaVersion, inside the
// transaction that opens it: a crash leaves the file at its old version,
// and the next Open migrates again.
func migrate(tx *bolt.Tx, meta *bolt.Bucket, from int) error {
	for _, m := range migrations {
		if !m.applies(from) {
			continue
		}
		if err := m.apply(tx); err != nil {
			return fmt.Errorf("migrate version %d to %d (%s): %w", m.to-1, m.to, m.name, err)
		}
	}
	if err := meta.Put(keySchema, []byte(strconv.Itoa(schemaVersion))); err != nil {
		return fmt.Errorf("write schema version: %w", err)
	}
	return nil
}

// buildIndex is the build of the derived index held in bucket, for a
// migration that introduces it.
func buildIndex(bucket []byte) func(*bolt.Tx) error {
	for _, ix := range indexes {
		if string(ix.bucket) == string(bucket) {
			return ix.build
		}
	}
	panic(fmt.Sprintf("ledger: no index %s", bucket))
}
