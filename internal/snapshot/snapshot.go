// Package snapshot writes and reads the status snapshot a pass keeps beside
// the ledger (NAME.status.json), so that orderdrop status and attention
// work while the pass holds the ledger.
package snapshot

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
// the pass opens the ledger, as each file starts and after it, at most every Every
// while a file runs (then only the progress changes: the batches are read
// from the ledger at file boundaries, not every time), and when the pass
// ends. status reads the ledger itself
// when it is free, and the snapshot only when it is not.
const (
	snapshotBatches = 50              // batches in a snapshot
	snapshotOrders  = 2000            // orders in a snapshot (a few hundred KB)
	Every           = 2 * time.Second // during a file, at most
	snapshotSuffix  = ".status.json"  // after the ledger's file name
)

// Path is where the status snapshot of the ledger at ledgerPath is.
func Path(ledgerPath string) string { return ledgerPath + snapshotSuffix }

// Snapshot is the snapshot file's content.
type Snapshot struct {
	Written  time.Time          `json:"written"`
	PID      int                `json:"pid"`
	LedgerID string             `json:"ledger_id,omitempty"` // the ledger's id, as the reports name it
	Running  *Running           `json:"running,omitempty"`
	Batches  []Batch            `json:"batches"`
	Orders   map[string][]Order `json:"orders,omitempty"` // by batch ID; absent = did not fit
	// Attention holds the orders needing a person (the ledger's part of
	// `orderdrop attention`), the acknowledged ones too, with their Ack:
	// a reader leaves those out unless asked for all; nil in a snapshot of
	// an older orderdrop.
	Attention *[]attention.Item `json:"attention,omitempty"`
	// Acks are the ledger's acknowledgements by item id, so that a reader
	// applies them to the items it finds in the folders itself.
	Acks map[string]ledger.Ack `json:"acks,omitempty"`
}

// Running is the file a pass is working on.
type Running struct {
	File    string    `json:"file"`
	Started time.Time `json:"started"`
	Done    int       `json:"done"`  // rows settled
	Total   int       `json:"total"` // rows
}

// Batch is a batch as status prints it in JSON: with its ID.
type Batch struct {
	ID string `json:"id"`
	*ledger.Batch
}

// Order is an order as status prints it in JSON: with its key.
type Order struct {
	Key string `json:"key"`
	*ledger.Order
}

// Writer writes the status snapshot of a pass. Its goroutine ends in
// Close.
type Writer struct {
	l    *ledger.Ledger
	path string
	log  *slog.Logger
	now  func() time.Time

	mu      sync.Mutex // guards running
	running *Running

	ledgerPart *Snapshot // batches and orders as last read (guarded by write)

	write sync.Mutex // one write at a time
	kick  chan struct{}
	stop  chan struct{}
	wg    sync.WaitGroup
}

// Start writes a first snapshot and starts the writer that progress kicks
// (at most once every every).
func Start(l *ledger.Ledger, log *slog.Logger, every time.Duration) *Writer {
	s := &Writer{l: l, path: Path(l.Path()), log: log, now: time.Now, kick: make(chan struct{}, 1), stop: make(chan struct{})}
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

// File records that the pass starts on name and returns a progress callback
// that keeps the snapshot's count up to date, then calls next.
func (s *Writer) File(name string, next func(done, total int)) func(done, total int) {
	s.mu.Lock()
	s.running = &Running{File: name, Started: s.now()}
	s.mu.Unlock()
	s.save(false) // the file's batch is not in the ledger yet: FileDone reads it
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

// FileDone records that the file is finished and writes the snapshot.
func (s *Writer) FileDone() {
	s.mu.Lock()
	s.running = nil
	s.mu.Unlock()
	s.save(true)
}

// Close stops the writer and writes the last snapshot.
func (s *Writer) Close() {
	close(s.stop)
	s.wg.Wait()
	s.FileDone()
}

// save writes the snapshot, reading the batches and orders from the ledger
// again when refresh is set (or never read yet); a failure is logged, never
// fatal: the pass matters more than its status.
func (s *Writer) save(refresh bool) {
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
func (s *Writer) readLedger() (*Snapshot, error) {
	batches, orders, err := s.l.Recent(snapshotBatches, snapshotOrders)
	if err != nil {
		return nil, err
	}
	part := &Snapshot{Orders: map[string][]Order{}, LedgerID: s.l.ID()}
	for id, list := range orders {
		out := make([]Order, len(list))
		for i, o := range list {
			o.Fields, o.History, o.Checkpoint = nil, nil, nil // status shows none of them
			out[i] = Order{Key: o.Key, Order: o}
		}
		part.Orders[id] = out
	}
	for _, b := range batches {
		b.Keys = nil // the orders map has them
		part.Batches = append(part.Batches, Batch{ID: b.ID, Batch: b})
	}
	items, err := attention.Collect(context.Background(), attention.Sources{Ledger: s.l, All: true})
	if err != nil {
		return nil, err
	}
	if part.Acks, err = s.l.Acks(); err != nil {
		return nil, fmt.Errorf("snapshot: read the acknowledgements: %w", err)
	}
	if items == nil {
		items = []attention.Item{}
	}
	part.Attention = &items
	return part, nil
}

// Read reads the snapshot beside the ledger at ledgerPath.
func Read(ledgerPath string) (*Snapshot, error) {
	raw, err := os.ReadFile(Path(ledgerPath))
	if err != nil {
		return nil, err
	}
	var snap Snapshot
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil, fmt.Errorf("read %s: %w", Path(ledgerPath), err)
	}
	for _, b := range snap.Batches {
		if b.Batch == nil {
			return nil, fmt.Errorf("read %s: batch %q without content", Path(ledgerPath), b.ID)
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
