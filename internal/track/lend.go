package track

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// reopenWait is how long one attempt to open a locked ledger waits before
// the lender checks its context again.
const reopenWait = 500 * time.Millisecond

// Reopen lends the ledger file at path by opening it for each borrow and
// closing it right after, so that another process (orderdrop run, resolve)
// can open it between two borrows, while the carriers are asked. A borrow
// that finds the ledger locked tries again while ctx allows. opts are
// passed to ledger.Open (its Timeout is the wait of one attempt, at most
// 500ms).
func Reopen(path string, opts ledger.Options) Lender {
	if opts.Timeout <= 0 || opts.Timeout > reopenWait {
		opts.Timeout = reopenWait
	}
	return reopen{path: path, opts: opts}
}

type reopen struct {
	path string
	opts ledger.Options
}

func (r reopen) Borrow(ctx context.Context, fn func(*ledger.Ledger) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("wait for the ledger %s: %w", r.path, err)
		}
		l, err := ledger.Open(r.path, r.opts)
		if errors.Is(err, ledger.ErrLocked) {
			continue // Open waited opts.Timeout already
		}
		if err != nil {
			return err
		}
		ferr := fn(l)
		if err := l.Close(); err != nil && ferr == nil {
			ferr = err
		}
		return ferr
	}
}

// OpenOnce lends the ledger file to the tracking pass of a command: the
// first borrow opens it with Open, as every command does (another process
// holding it is Open's error: the next pass catches up), and calls Opened
// with it; the later ones borrow from Reopen, which waits for the file
// while a pass over the inbox may hold it.
type OpenOnce struct {
	Open   func() (*ledger.Ledger, error)
	Opened func(*ledger.Ledger) // nil = nothing to do on the first opening
	Reopen Lender

	started bool
}

// Borrow runs fn on the ledger: opened by Open the first time, then
// borrowed from Reopen.
func (c *OpenOnce) Borrow(ctx context.Context, fn func(*ledger.Ledger) error) error {
	if c.started {
		return c.Reopen.Borrow(ctx, fn)
	}
	l, err := c.Open()
	if err != nil {
		return err
	}
	c.started = true
	if c.Opened != nil {
		c.Opened(l)
	}
	ferr := fn(l)
	if err := l.Close(); err != nil && ferr == nil {
		ferr = err
	}
	return ferr
}

// TryLocker is a lock that a borrow can try without blocking
// (*sync.Mutex).
type TryLocker interface {
	TryLock() bool
	Unlock()
}

// lockPoll is how often a Locked borrow checks whether the lock is free.
const lockPoll = 50 * time.Millisecond

// Locked lends a ledger shared by the passes of one process one step at a
// time: each borrow waits for Lock (a pass over the inbox holding it runs
// between two steps, never during one), opens the ledger with Open, runs
// the step and gives it back with Close. Opened is called with the first
// ledger opened.
type Locked struct {
	Lock   TryLocker
	Open   func() (*ledger.Ledger, error)
	Close  func(*ledger.Ledger) error
	Opened func(*ledger.Ledger) // nil = nothing to do on the first opening

	noted bool
}

// Borrow waits for the lock (until ctx ends), then runs fn on the ledger
// Open gives.
func (b *Locked) Borrow(ctx context.Context, fn func(*ledger.Ledger) error) error {
	if !b.Lock.TryLock() {
		tick := time.NewTicker(lockPoll)
		defer tick.Stop()
		for !b.Lock.TryLock() {
			select {
			case <-ctx.Done():
				return fmt.Errorf("wait for the pass over the inbox to end: %w", ctx.Err())
			case <-tick.C:
			}
		}
	}
	defer b.Lock.Unlock()
	l, err := b.Open()
	if err != nil {
		return err
	}
	if !b.noted {
		b.noted = true
		if b.Opened != nil {
			b.Opened(l)
		}
	}
	ferr := fn(l)
	if err := b.Close(l); err != nil && ferr == nil {
		ferr = err
	}
	return ferr
}
