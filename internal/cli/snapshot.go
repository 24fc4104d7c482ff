package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// While a pass holds the ledger, bbolt's lock keeps every other process out,
// readers included. So that `orderdrop status` works during a pass, the pass
// writes a status snapshot beside the ledger (NAME.status.json, 0600, written
// atomically): the newest batches, the orders of as many of them as fit in a
// bound, and the file being processed with its progress. It is written when
// the pass opens the ledger, as each file starts and after it, at most every snapshotEvery
// while a file runs (then only the progress changes: the batches are read
// from the ledger at file boundaries, not every time), and when the pass
// ends. status reads the ledger itself
// when it is free, and the snapshot only when it is not.
const (
	snapshotBatches = 50              // batches in a snapshot
	snapshotOrders  = 2000            // orders in a snapshot (a few hundred KB)
	snapshotEvery   = 2 * time.Second // during a file
	snapshotSuffix  = ".status.json"  // after the ledger's file name
	statusWait      = 500 * time.Millisecond
)

// snapshotPath is where the status snapshot of the ledger at ledgerPath is.
func snapshotPath(ledgerPath string) string { return ledgerPath + snapshotSuffix }

// statusSnapshot is the snapshot file's content.
type statusSnapshot struct {
	Written  time.Time                `json:"written"`
	PID      int                      `json:"pid"`
	LedgerID string                   `json:"ledger_id,omitempty"` // the ledger's id, as the reports name it
	Running  *runningFile             `json:"running,omitempty"`
	Batches  []statusBatch            `json:"batches"`
	Orders   map[string][]statusOrder `json:"orders,omitempty"` // by batch ID; absent = did not fit
	// Attention holds the orders needing a person (the ledger's part of
	// `orderdrop attention`); nil in a snapshot of an older orderdrop.
	Attention *[]attention.Item `json:"attention,omitempty"`
}

// runningFile is the file a pass is working on.
type runningFile struct {
	File    string    `json:"file"`
	Started time.Time `json:"started"`
	Done    int       `json:"done"`  // rows settled
	Total   int       `json:"total"` // rows
}

// statusBatch is a batch as status prints it in JSON: with its ID.
type statusBatch struct {
	ID string `json:"id"`
	*ledger.Batch
}

// statusOrder is an order as status prints it in JSON: with its key.
type statusOrder struct {
	Key string `json:"key"`
	*ledger.Order
}

// snapshotter writes the status snapshot of a pass. Its goroutine ends in
// close.
type snapshotter struct {
	l    *ledger.Ledger
	path string
	log  *slog.Logger
	now  func() time.Time

	mu      sync.Mutex // guards running
	running *runningFile

	ledgerPart *statusSnapshot // batches and orders as last read (guarded by write)

	write sync.Mutex // one write at a time
	kick  chan struct{}
	stop  chan struct{}
	wg    sync.WaitGroup
}

// startSnapshots writes a first snapshot and starts the writer that
// progress kicks.
func startSnapshots(l *ledger.Ledger, log *slog.Logger, every time.Duration) *snapshotter {
	s := &snapshotter{l: l, path: snapshotPath(l.Path()), log: log, now: time.Now, kick: make(chan struct{}, 1), stop: make(chan struct{})}
	s.save(true)
	s.wg.Go(func() {
		for {
			select {
			case <-s.stop:
				return
			case <-s.kick:
			}
			s.save(false)
			select { // at most one snapshot per interval during a file
			case <-s.stop:
				return
			case <-time.After(every):
			}
		}
	})
	return s
}

// file records that the pass starts on name and returns a progress callback
// that keeps the snapshot's count up to date, then calls next.
func (s *snapshotter) file(name string, next func(done, total int)) func(done, total int) {
	s.mu.Lock()
	s.running = &runningFile{File: name, Started: s.now()}
	s.mu.Unlock()
	s.save(false) // the file's batch is not in the ledger yet: fileDone reads it
	return func(done, total int) {
		s.mu.Lock()
		if s.running != nil {
			s.running.Done, s.running.Total = done, total
		}
		s.mu.Unlock()
		select {
		case s.kick <- struct{}{}:
		default: // a snapshot is due already
		}
		next(done, total)
	}
}

// fileDone records that the file is finished and writes the snapshot.
func (s *snapshotter) fileDone() {
	s.mu.Lock()
	s.running = nil
	s.mu.Unlock()
	s.save(true)
}

// close stops the writer and writes the last snapshot.
func (s *snapshotter) close() {
	close(s.stop)
	s.wg.Wait()
	s.fileDone()
}

// save writes the snapshot, reading the batches and orders from the ledger
// again when refresh is set (or never read yet); a failure is logged, never
// fatal: the pass matters more than its status.
func (s *snapshotter) save(refresh bool) {
	s.write.Lock()
	defer s.write.Unlock()
	if refresh || s.ledgerPart == nil {
		part, err := s.readLedger()
		if err != nil {
			s.log.Warn("could not write the status snapshot", slog.String("path", s.path), slog.Any("error", err))
			return
		}
		s.ledgerPart = part
	}
	snap := *s.ledgerPart
	snap.Written, snap.PID = s.now().UTC(), os.Getpid()
	s.mu.Lock()
	if s.running != nil {
		r := *s.running
		snap.Running = &r
	}
	s.mu.Unlock()
	err := sheet.WriteFileAtomic(s.path, 0o600, func(w io.Writer) error { return json.NewEncoder(w).Encode(snap) })
	if err != nil {
		s.log.Warn("could not write the status snapshot", slog.String("path", s.path), slog.Any("error", err))
	}
}

// readLedger reads the batches and orders of a snapshot in one transaction.
func (s *snapshotter) readLedger() (*statusSnapshot, error) {
	batches, orders, err := s.l.Recent(snapshotBatches, snapshotOrders)
	if err != nil {
		return nil, err
	}
	part := &statusSnapshot{Orders: map[string][]statusOrder{}, LedgerID: s.l.ID()}
	for id, list := range orders {
		out := make([]statusOrder, len(list))
		for i, o := range list {
			o.Fields, o.History, o.Checkpoint = nil, nil, nil // status shows none of them
			out[i] = statusOrder{Key: o.Key, Order: o}
		}
		part.Orders[id] = out
	}
	for _, b := range batches {
		b.Keys = nil // the orders map has them
		part.Batches = append(part.Batches, statusBatch{ID: b.ID, Batch: b})
	}
	items, err := attention.Collect(context.Background(), attention.Sources{Ledger: s.l})
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []attention.Item{}
	}
	part.Attention = &items
	return part, nil
}

// readSnapshot reads the snapshot beside the ledger at ledgerPath.
func readSnapshot(ledgerPath string) (*statusSnapshot, error) {
	raw, err := os.ReadFile(snapshotPath(ledgerPath))
	if err != nil {
		return nil, err
	}
	var snap statusSnapshot
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil, fmt.Errorf("read %s: %w", snapshotPath(ledgerPath), err)
	}
	for _, b := range snap.Batches {
		if b.Batch == nil {
			return nil, fmt.Errorf("read %s: batch %q without content", snapshotPath(ledgerPath), b.ID)
		}
		b.Batch.ID = b.ID
		for _, o := range snap.Orders[b.ID] {
			b.Keys = append(b.Keys, o.Key)
		}
	}
	for _, list := range snap.Orders {
		for _, o := range list {
			if o.Order == nil {
				o.Order = &ledger.Order{}
			}
			o.Order.Key = o.Key
		}
	}
	return &snap, nil
}
