package ledger

import (
	"errors"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// groupCommit runs small concurrent updates in shared transactions, one
// fsync for many: the first caller commits at once, and the callers that
// arrive while a commit is on its way are committed together in the next
// one. Every caller returns only once its change is on disk (or failed), so
// durability is the same as one transaction each, without bbolt's Batch
// delay. Used for the writes a pass makes while orders are in flight:
// intents, outcomes and the checkpoints of multi-step submissions.
type groupCommit struct {
	db *bolt.DB

	mu      sync.Mutex
	pending []*groupReq
	leading bool // a caller is committing; newcomers queue in pending

	// beforeCommit, when set (tests only), runs before each shared
	// transaction with the number of changes it holds.
	beforeCommit func(n int)
}

type groupReq struct {
	fn       func(*bolt.Tx) error
	err      error
	finished bool          // set with err before wake is signalled
	wake     chan struct{} // finished, or asked to lead the next commit
}

// errSolo aborts a shared transaction when one change fails, so that each
// change is then retried alone and only the failing one reports an error.
var errSolo = errors.New("a change of the group failed")

// update applies fn in a transaction shared with concurrent callers and
// returns fn's error, or the commit's. The caller that commits a group hands
// the next one to a waiting caller, so that nobody commits for others for
// long.
func (g *groupCommit) update(fn func(*bolt.Tx) error) error {
	r := &groupReq{fn: fn, wake: make(chan struct{}, 1)}
	g.mu.Lock()
	g.pending = append(g.pending, r)
	if g.leading {
		g.mu.Unlock()
		if <-r.wake; r.finished {
			return r.err
		}
		g.mu.Lock() // asked to lead: r is still pending
	}
	g.leading = true
	group := g.pending
	g.pending = nil
	g.mu.Unlock()

	g.commit(group)

	g.mu.Lock()
	if len(g.pending) > 0 {
		g.pending[0].wake <- struct{}{} // the next leader
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	return r.err
}

// commit applies group in one transaction; if a change fails, every change
// is applied again in a transaction of its own.
func (g *groupCommit) commit(group []*groupReq) {
	defer func() {
		for _, r := range group {
			r.finished = true
			r.wake <- struct{}{}
		}
	}()
	if g.beforeCommit != nil {
		g.beforeCommit(len(group))
	}
	err := g.db.Update(func(tx *bolt.Tx) error {
		for _, r := range group {
			if err := r.fn(tx); err != nil {
				return errSolo
			}
		}
		return nil
	})
	if err == nil {
		return
	}
	if !errors.Is(err, errSolo) {
		for _, r := range group {
			r.err = err
		}
		return
	}
	for _, r := range group {
		r.err = g.db.Update(r.fn)
	}
}

// queued returns how many changes wait for the next transaction.
func (g *groupCommit) queued() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.pending)
}
