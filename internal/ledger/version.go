package ledger

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the ledger layout this orderdrop writes: a pass migrates
// an older file to it (backing it up first), readers read the previous one
// too, and a newer one is refused (NewerError).
const SchemaVersion = schemaVersion

// keyWriter is the meta key holding the version of the orderdrop that last
// opened the ledger for writing (Options.Version).
var keyWriter = []byte("writer")

// NewerError is returned (it wraps ErrSchema) by Open and OpenReadOnly when
// the ledger was written by a newer orderdrop, with a schema version this
// one does not know. The file is left as it was.
type NewerError struct {
	Path   string
	Schema int    // the file's schema version
	Writer string // the version of the orderdrop that last wrote it; "" when it did not say
}

func (e *NewerError) Error() string {
	who := "a newer orderdrop"
	if e.Writer != "" {
		who = "orderdrop " + e.Writer
	}
	return fmt.Sprintf("ledger: %s was written by %s (schema %d); this orderdrop reads schema %d and older", e.Path, who, e.Schema, schemaVersion)
}

// Unwrap makes a NewerError an ErrSchema.
func (e *NewerError) Unwrap() error { return ErrSchema }

// Migration says what Open did to an older ledger: From and To are schema
// versions, Backup the copy of the file as it was. The zero value: nothing
// was migrated.
type Migration struct {
	From, To int
	Backup   string
}

// Migrated returns the migration this Open made; the zero Migration when
// none (always for a reader, which reads an older file through a migrated
// temporary copy).
func (l *Ledger) Migrated() Migration { return l.migrated }

// readSchema returns the schema version of db (the ledger at path): 0 when
// it has no meta bucket (a new file, or not a ledger: the callers tell
// which), a NewerError when it is newer than schemaVersion, ErrSchema when
// it is not a number.
func readSchema(path string, db *bolt.DB) (int, error) {
	v := 0
	err := db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return nil
		}
		raw := meta.Get(keySchema)
		n, err := strconv.Atoi(string(raw))
		if err != nil {
			return fmt.Errorf("ledger: %s: schema version %q, this orderdrop reads %d: %w", path, raw, schemaVersion, ErrSchema)
		}
		if n > schemaVersion {
			return &NewerError{Path: path, Schema: n, Writer: string(meta.Get(keyWriter))}
		}
		v = n
		return nil
	})
	return v, err
}

// recordWriter returns the update that records version as the ledger's
// writer; nothing when version is "" or already recorded.
func recordWriter(version string) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if version == "" || meta == nil || string(meta.Get(keyWriter)) == version {
			return nil
		}
		if err := meta.Put(keyWriter, []byte(version)); err != nil {
			return fmt.Errorf("record writer: %w", err)
		}
		return nil
	}
}

// migratedCopy copies db (the ledger at path, of an older schema) to a
// temporary file and migrates the copy, for a reader: the ledger itself is
// never changed. It returns the copy's path; the caller removes it.
func migratedCopy(path string, db *bolt.DB) (string, error) {
	f, err := os.CreateTemp("", "orderdrop-ledger-*.db")
	if err != nil {
		return "", fmt.Errorf("ledger: %s: copy of an older ledger to read it: %w", path, err)
	}
	tmp := f.Name()
	err = db.View(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(f)
		return err
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = migrateFile(tmp)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("ledger: %s: copy of an older ledger to read it: %w", path, err)
	}
	return tmp, nil
}

// migrateFile migrates the ledger copy at path, without fsync.
func migrateFile(path string) error {
	db, err := openBolt(path, bolt.Options{NoSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return err
	}
	err = guard(func() error { return initAll(db) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	var p *panicked
	if errors.As(err, &p) {
		return damaged(path, err)
	}
	return err
}

// initAll runs, one transaction each, the schema check or migration and
// the building of missing indexes, then the extra updates.
func initAll(db *bolt.DB, extra ...func(*bolt.Tx) error) error {
	steps := append([]func(*bolt.Tx) error{initSchema, inDoubtIndex.init, initAttentionIndex, initOpenIndexes}, extra...)
	for _, step := range steps {
		if step == nil {
			continue
		}
		if err := db.Update(step); err != nil {
			return err
		}
	}
	return nil
}
