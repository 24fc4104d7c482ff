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
