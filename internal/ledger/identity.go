package ledger

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A ledger's identity lives in its meta bucket, beside the schema version,
// without changing it: "id" is a random id given when the ledger is created
// (or, for a ledger older than ids, the first time a pass opens it for
// writing), "created" when, and "origin" how a ledger that did not start
// empty on a new installation started (a deliberate fresh start or a
// rebuild from the reports). Reports and the status snapshot name the id, so
// that a lost ledger can be told from a new installation.
var (
	keyID      = []byte("id")
	keyCreated = []byte("created")
	keyOrigin  = []byte("origin")
)

// ensureIdentity gives the ledger an id when it has none, as Open opens it
// for writing. A ledger that has one costs a read, not a commit.
func ensureIdentity(db *bolt.DB, now func() time.Time) error {
	has := false
	_ = db.View(func(tx *bolt.Tx) error {
		has = len(tx.Bucket(bucketMeta).Get(keyID)) > 0
		return nil
	})
	if has {
		return nil
	}
	return db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if len(meta.Get(keyID)) > 0 {
			return nil
		}
		id, err := newID()
		if err != nil {
			return err
		}
		if err := meta.Put(keyID, []byte(id)); err != nil {
			return fmt.Errorf("write ledger id: %w", err)
		}
		if err := meta.Put(keyCreated, []byte(now().UTC().Format(time.RFC3339))); err != nil {
			return fmt.Errorf("write ledger creation time: %w", err)
		}
		return nil
	})
}

// newID returns 16 random hex digits.
func newID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("ledger id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// ID returns the ledger's id: 16 hex digits given when it was created. ""
// only for a ledger written before ids existed and opened read-only since.
func (l *Ledger) ID() string {
	var id string
	_ = l.db.View(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketMeta); meta != nil {
			id = string(meta.Get(keyID))
		}
		return nil
	})
	return id
}

// Origin says how a ledger started when it did not start on a new
// installation.
type Origin struct {
	How  string    `json:"how"`  // OriginFresh or OriginRebuilt
	At   time.Time `json:"at"`   // when
	Note string    `json:"note"` // what was found, or what was restored
}

// How a ledger started (Origin.How).
const (
	// OriginFresh is a deliberate fresh start (orderdrop run --new-ledger)
	// while the folders held reports of earlier passes.
	OriginFresh = "fresh start"
	// OriginRebuilt is a ledger rebuilt from the reports and the archived
	// inputs (orderdrop ledger rebuild).
	OriginRebuilt = "rebuilt"
)

// Origin returns how the ledger started; the zero Origin for one that
// started empty on a new installation (or before origins were recorded).
func (l *Ledger) Origin() (Origin, error) {
	var o Origin
	err := l.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketMeta).Get(keyOrigin)
		if raw == nil {
			return nil
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return fmt.Errorf("ledger: decode origin: %w", err)
		}
		return nil
	})
	return o, err
}

// StartFresh records a deliberate fresh start, with what was found (the
// earlier reports and the ledger id they name) as its note.
func (l *Ledger) StartFresh(note string) error {
	return l.setOrigin(Origin{How: OriginFresh, At: l.stamp(), Note: note})
}

// setOrigin records how the ledger started.
func (l *Ledger) setOrigin(o Origin) error {
	raw, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("ledger: encode origin: %w", err)
	}
	return l.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(keyOrigin, raw); err != nil {
			return fmt.Errorf("ledger: write origin: %w", err)
		}
		return nil
	})
}

// Empty reports whether the ledger holds nothing: no order, no batch, and
// no recorded start (a fresh start or a rebuild). A pass that finds it so
// while the folders show earlier passes has lost its memory.
func (l *Ledger) Empty() (bool, error) {
	empty := true
	err := l.db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketOrders, bucketBatches} {
			if k, _ := tx.Bucket(name).Cursor().First(); k != nil {
				empty = false
			}
		}
		if tx.Bucket(bucketMeta).Get(keyOrigin) != nil {
			empty = false
		}
		return nil
	})
	return empty, err
}
