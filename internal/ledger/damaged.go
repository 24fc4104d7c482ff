package ledger

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// A damaged file (a page zeroed, the file truncated, bytes overwritten)
// makes bbolt panic, or fault on its memory map, on the first read that
// reaches the damage — often long after Open, in a goroutine of the pass,
// where nothing can recover it. So Open reads every page once, in the
// opening goroutine, with faults turned into panics and the panics into
// ErrDamaged, and runs bbolt's own consistency check: a file that passes
// can be read without surprises.

// panicked is a panic of bbolt (or a fault on its memory map) recovered by
// guard.
type panicked struct{ value any }

func (p *panicked) Error() string { return fmt.Sprintf("bbolt panicked: %v", p.value) }

// guard runs fn, turning a panic, and a fault on the memory map, into a
// *panicked error.
func guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = &panicked{value: r}
		}
	}()
	return fn()
}

// damaged wraps cause as ErrDamaged for the file at path.
func damaged(path string, cause error) error {
	return fmt.Errorf("ledger: %s: %w (%w)", path, ErrDamaged, cause)
}

// openBolt opens the bbolt file at path under guard. A panic halfway
// through bbolt's Open would leave the file open and locked: the file
// handle is taken through o.OpenFile to be closed then. Errors: ErrLocked
// after o.Timeout, ErrNotFound for a missing file opened read-only,
// ErrDamaged for a file bbolt refuses or panics on.
func openBolt(path string, o bolt.Options) (*bolt.DB, error) {
	var f *os.File
	o.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		var err error
		f, err = os.OpenFile(name, flag, perm)
		return f, err
	}
	var db *bolt.DB
	err := guard(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &o)
		return err
	})
	var p *panicked
	if errors.As(err, &p) && f != nil {
		unlock(f) // the memory map, which bbolt cannot unmap now, would keep it
		_ = f.Close()
	}
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("another orderdrop is using %s: %w", path, ErrLocked)
	case o.ReadOnly && errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("ledger: no ledger at %s yet: %w (%w)", path, ErrNotFound, err)
	case p != nil, errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum),
		errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrInvalidMapping):
		return nil, damaged(path, err)
	}
	return nil, fmt.Errorf("ledger: open %s: %w", path, err)
}

// verify reads every page of db once and runs bbolt's consistency check,
// under guard: nil means later reads will not meet damage.
func verify(path string, db *bolt.DB) error {
	err := guard(func() error {
		return db.View(func(tx *bolt.Tx) error {
			fi, err := os.Stat(path)
			if err != nil {
				return err
			}
			if fi.Size() < tx.Size() {
				return fmt.Errorf("the file is %d bytes, its pages need %d: it was cut short", fi.Size(), tx.Size())
			}
			if err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
				return walk(b)
			}); err != nil {
				return err
			}
			// Check reports on a channel from its own goroutine (where a
			// panic is its own to recover): read it to the end.
			var first error
			for err := range tx.Check() {
				if first == nil {
					first = err
				}
			}
			return first
		})
	})
	if err != nil {
		return damaged(path, err)
	}
	return nil
}

// touched keeps the bytes walk reads, so that the compiler cannot drop
// the reads.
var touched atomic.Uint32

// walk touches every key and value of b and its nested buckets: the first
// and last byte of each value, which reaches the pages a value spans (a
// file cut short loses its end).
func walk(b *bolt.Bucket) error {
	c := b.Cursor()
	var sum byte
	defer func() { touched.Store(uint32(sum)) }()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			if nested := b.Bucket(k); nested != nil {
				if err := walk(nested); err != nil {
					return err
				}
			}
			continue
		}
		if len(v) > 0 {
			sum ^= v[0] ^ v[len(v)-1]
		}
	}
	return nil
}
