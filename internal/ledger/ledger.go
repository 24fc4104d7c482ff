// Package ledger remembers every order orderdrop has ever sent, in a bbolt
// file, so that nothing is ordered twice: not after a re-dropped file, not
// after a crash.
//
// An order's intent (state submitting) is committed, with fsync, before its
// request is sent; its outcome is committed after. Both are written in
// groups, one transaction per group, never one per key. A crash between the
// two leaves the order submitting, which Stuck finds on the next run.
//
// Values are compact JSON in the buckets "orders", "batches", "files" and
// "meta", plus indexes of keys: "inflight" (state submitting), "indoubt"
// (state in_doubt), "tracking" (submitted orders still followed at their
// carrier), "attention" (orders an operator may have to look at), "open"
// (submitted, not final) and "changed" (tracked since the latest pass). The package is independent of the order model: keys, fields and
// fingerprints are plain strings.
package ledger

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// schemaVersion is the layout this package reads and writes. Open migrates
// a version-1 file in place (see migrate.go) after backing it up, a reader
// reads it through a migrated copy (version.go), and any other version is
// refused.
//
//	1: orders, inflight, batches, files, meta
//	2: + tracking (the index of submitted orders still followed at their
//	   carrier) and the Order fields File, Sheet, Rows and Track
const schemaVersion = 2

var (
	bucketOrders   = []byte("orders")
	bucketInflight = []byte("inflight")
	bucketBatches  = []byte("batches")
	bucketFiles    = []byte("files")
	bucketMeta     = []byte("meta")
	bucketTracking = []byte("tracking")
	keySchema      = []byte("schema")
)

// Options configures Open. The zero value is ready for production use.
type Options struct {
	// Timeout is how long Open waits for the file lock held by another
	// process before returning ErrLocked. 0 (or negative) means 1s.
	Timeout time.Duration
	// Now is the clock used for history events and SubmittedAt. nil means
	// time.Now.
	Now func() time.Time
	// NoSync skips fsync on commit. For tests only: false (the default)
	// fsyncs every commit, which is what makes the ledger crash safe.
	NoSync bool
	// ReadOnly opens an existing file for reading, under a shared lock:
	// other read-only openers may hold it at the same time, a writer waits
	// (up to its Timeout) until every reader has closed it. Every write
	// fails. The file must exist: a missing one is an error wrapping
	// fs.ErrNotExist. false (the default) opens it for writing, under an
	// exclusive lock, creating it when missing.
	ReadOnly bool
	// Version is the version of this orderdrop, recorded in the ledger as
	// its writer when it is opened for writing, so that an older orderdrop
	// refusing the file can say which version wrote it (NewerError). ""
	// records nothing.
	Version string
}

// Ledger is an open ledger file. It is safe for concurrent use; only one
// process may hold it at a time.
type Ledger struct {
	db   *bolt.DB
	path string
	now  func() time.Time

	mu     sync.Mutex        // guards issued
	issued map[string]uint64 // NewBatchID: last counter handed out per second

	writes *groupCommit // BeginSubmits, RecordOutcomes and SaveCheckpoint share transactions

	migrated Migration // what Open migrated (version.go)
	temp     string    // a reader's migrated copy of an older ledger, removed by Close; "" = none
}

// Open opens (or creates) the ledger at path. A new file gets mode 0600 and
// its missing parent folders 0700. It returns ErrLocked when another process
// holds the file for longer than opts.Timeout, ErrDamaged when the file
// cannot be read as a ledger (every page is read once to find out: see
// damaged.go), and ErrSchema when the file is not an orderdrop ledger of a
// version this program knows.
func Open(path string, opts Options) (*Ledger, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = time.Second
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	if opts.ReadOnly {
		return openReadOnly(path, timeout, now)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("ledger: create folder for %s: %w", path, err)
	}
	db, err := openBolt(path, bolt.Options{
		Timeout:      timeout,
		NoSync:       opts.NoSync,
		FreelistType: bolt.FreelistMapType,
	})
	if err != nil {
		return nil, err
	}
	l := &Ledger{db: db, path: path, now: now, issued: map[string]uint64{}, writes: &groupCommit{db: db}}
	if err := l.init(opts.Version); err != nil {
		_ = db.Close()
		return nil, err
	}
	return l, nil
}

// init checks a ledger just opened for writing, migrates it when older
// (after backing it up), builds its missing indexes and records version as
// its writer.
func (l *Ledger) init(version string) error {
	if err := verify(l.path, l.db); err != nil {
		return err
	}
	v, err := readSchema(l.path, l.db)
	if err != nil {
		return err
	}
	if v >= 1 && v < schemaVersion {
		l.migrated = Migration{From: v, To: schemaVersion, Backup: migrationBackupPath(l.path, v)}
		if err := backupDB(l.path, l.db, l.migrated.Backup); err != nil {
			return fmt.Errorf("ledger: %s: not migrated from schema %d, as its backup failed: %w", l.path, v, err)
		}
	}
	err = guard(func() error {
		if err := initAll(l.db, recordWriter(version)); err != nil {
			return err
		}
		return ensureIdentity(l.db, l.now)
	})
	var p *panicked
	switch {
	case errors.As(err, &p):
		return damaged(l.path, err)
	case err != nil:
		return fmt.Errorf("ledger: %s: %w", l.path, err)
	}
	return nil
}

// openReadOnly is Open with Options.ReadOnly: no folder or bucket is
// created, the schema is only checked. A ledger of an older schema is read
// through a migrated temporary copy.
func openReadOnly(path string, timeout time.Duration, now func() time.Time) (*Ledger, error) {
	// The free list is read at once, under openBolt's guard, not later by
	// bbolt's check in a goroutine of its own.
	ro := bolt.Options{Timeout: timeout, ReadOnly: true, FreelistType: bolt.FreelistMapType, PreLoadFreelist: true}
	db, err := openBolt(path, ro)
	if err != nil {
		return nil, err
	}
	if err := verify(path, db); err != nil {
		_ = db.Close()
		return nil, err
	}
	v, err := readSchema(path, db)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	temp := ""
	if v >= 1 && v < schemaVersion {
		temp, err = migratedCopy(path, db)
		_ = db.Close()
		if err != nil {
			return nil, err
		}
		if db, err = openBolt(temp, ro); err != nil {
			_ = os.Remove(temp)
			return nil, err
		}
	}
	if err := db.View(checkSchema); err != nil {
		_ = db.Close()
		if temp != "" {
			_ = os.Remove(temp)
		}
		return nil, fmt.Errorf("ledger: %s: %w", path, err)
	}
	// Writes go through the same path and fail as bbolt refuses them.
	return &Ledger{db: db, path: path, now: now, issued: map[string]uint64{}, writes: &groupCommit{db: db}, temp: temp}, nil
}

// checkSchema checks that a ledger opened read-only is one this program
// reads: schema version and buckets.
func checkSchema(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return fmt.Errorf("no schema version (not an orderdrop ledger): %w", ErrSchema)
	}
	raw := meta.Get(keySchema)
	if v, err := strconv.Atoi(string(raw)); err != nil || v != schemaVersion {
		return fmt.Errorf("schema version %q, this orderdrop reads %d: %w", raw, schemaVersion, ErrSchema)
	}
	for _, name := range [][]byte{bucketOrders, bucketInflight, bucketBatches, bucketFiles} {
		if tx.Bucket(name) == nil {
			return fmt.Errorf("bucket %s missing: %w", name, ErrSchema)
		}
	}
	return nil
}

// initSchema creates the buckets of a new ledger, or checks the schema
// version of an existing one.
func initSchema(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if !empty {
			return fmt.Errorf("no schema version (not an orderdrop ledger): %w", ErrSchema)
		}
		var err error
		if meta, err = tx.CreateBucket(bucketMeta); err != nil {
			return fmt.Errorf("create meta bucket: %w", err)
		}
		if err := meta.Put(keySchema, []byte(strconv.Itoa(schemaVersion))); err != nil {
			return fmt.Errorf("write schema version: %w", err)
		}
	}
	raw := meta.Get(keySchema)
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 1 || v > schemaVersion {
		return fmt.Errorf("schema version %q, this orderdrop reads %d: %w", raw, schemaVersion, ErrSchema)
	}
	for _, name := range [][]byte{bucketOrders, bucketBatches, bucketFiles} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	if v < schemaVersion {
		if err := migrate(tx, meta, v); err != nil {
			return err
		}
	}
	return buildSchemaIndexes(tx)
}

// Path returns the ledger's file path.
func (l *Ledger) Path() string { return l.path }

// Close releases the file and its lock (and removes a reader's migrated
// copy).
func (l *Ledger) Close() error {
	err := l.db.Close()
	if l.temp != "" {
		_ = os.Remove(l.temp)
	}
	if err != nil {
		return fmt.Errorf("ledger: close %s: %w", l.path, err)
	}
	return nil
}

// stamp is the ledger's clock in UTC, without monotonic reading.
func (l *Ledger) stamp() time.Time { return l.now().UTC().Round(0) }
