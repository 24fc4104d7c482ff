// Package status reads what orderdrop status shows (the recent batches, the
// orders of one batch) from the ledger or, while a pass holds it, from that
// pass's snapshot, and renders it as a table or JSON.
package status

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/pass"
	"github.com/orderdrop/orderdrop/internal/snapshot"
)

// Wait is how long status and attention wait for a pass to release
// the ledger before they read its status snapshot instead.
const Wait = 500 * time.Millisecond

// Data is what status shows, from the ledger or from a snapshot.
type Data struct {
	batches []*ledger.Batch
	orders  map[string][]*ledger.Order // by batch ID; nil = ask the ledger
	l       *ledger.Ledger             // nil when reading a snapshot
	snap    *snapshot.Snapshot         // nil when reading the ledger
}

// Read opens the ledger read-only, or, while a pass holds it, reads
// that pass's snapshot. version names this orderdrop in the message of a
// ledger it cannot read. Close releases the ledger.
func Read(cfg *config.Config, version string) (*Data, error) {
	l, err := ledger.OpenReadOnly(cfg.Ledger, ledger.Options{Timeout: Wait})
	switch {
	case err == nil:
		return &Data{l: l}, nil
	case errors.Is(err, ledger.ErrNotFound):
		return &Data{}, nil // nothing processed yet
	case !errors.Is(err, ledger.ErrLocked):
		return nil, pass.LedgerTrouble(cfg.Ledger, version, err)
	}
	snap, err := snapshot.Read(cfg.Ledger)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("another orderdrop is using %s and has written no status yet: try again in a few seconds", cfg.Ledger)
	}
	if err != nil {
		return nil, fmt.Errorf("another orderdrop is using %s and its status cannot be read: %w; try again when it has finished", cfg.Ledger, err)
	}
	d := &Data{snap: snap, orders: map[string][]*ledger.Order{}}
	for _, b := range snap.Batches {
		d.batches = append(d.batches, b.Batch)
	}
	for id, list := range snap.Orders {
		for _, o := range list {
			d.orders[id] = append(d.orders[id], o.Order)
		}
	}
	return d, nil
}

// Close releases the ledger, if read.
func (d *Data) Close() {
	if d.l != nil {
		_ = d.l.Close()
	}
}

// FromSnapshot reports whether d comes from a running pass's snapshot.
func (d *Data) FromSnapshot() bool { return d.snap != nil }

// SnapshotBatches is how many batches the snapshot holds.
func (d *Data) SnapshotBatches() int { return len(d.batches) }

// Note is the line that says the status comes from a running pass's
// snapshot, "" when it comes from the ledger.
func (d *Data) Note(loc *time.Location) string {
	if d.snap == nil {
		return ""
	}
	s := fmt.Sprintf("a pass is running (process %d): status as of %s", d.snap.PID, d.snap.Written.In(loc).Format(time.TimeOnly))
	if r := d.snap.Running; r != nil {
		s += fmt.Sprintf("; now processing %s, %d of %d rows done", r.File, r.Done, r.Total)
	}
	return s
}

// Recent returns the newest limit batches.
func (d *Data) Recent(limit int) ([]*ledger.Batch, error) {
	if d.l != nil {
		return d.l.Batches(limit)
	}
	if limit > 0 && len(d.batches) > limit {
		return d.batches[:limit], nil
	}
	return d.batches, nil
}

// Batch returns one batch and its orders; ok=false when the snapshot does
// not hold its orders. An unknown batch is ledger.ErrNotFound.
func (d *Data) Batch(id string) (*ledger.Batch, []*ledger.Order, bool, error) {
	if d.l == nil {
		for _, b := range d.batches {
			if b.ID == id {
				list, ok := d.orders[id]
				return b, list, ok, nil
			}
		}
		return nil, nil, false, fmt.Errorf("status: batch %q: %w", id, ledger.ErrNotFound)
	}
	b, err := d.l.Batch(id)
	if err != nil {
		return nil, nil, false, err
	}
	orders, err := d.l.Lookup(b.Keys)
	if err != nil {
		return nil, nil, false, err
	}
	list := make([]*ledger.Order, 0, len(b.Keys))
	for _, k := range b.Keys {
		if o, ok := orders[k]; ok {
			list = append(list, o)
		}
	}
	return b, list, true, nil
}

// WriteBatches writes the batches bs to w, as JSON or a table with times
// in loc.
func WriteBatches(w io.Writer, bs []*ledger.Batch, loc *time.Location, asJSON bool) error {
	if asJSON {
		out := make([]snapshot.Batch, len(bs))
		for i, b := range bs {
			out[i] = snapshot.Batch{ID: b.ID, Batch: b}
		}
		return WriteJSON(w, out)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BATCH\tFILE\tSTARTED\tROWS\tREPORT")
	for _, b := range bs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", b.ID, b.File, b.Started.In(loc).Format(time.DateTime), Counts(b.Counts, b.Interrupted), b.Report)
	}
	return tw.Flush()
}

// WriteBatch writes batch b and its orders list to w, as JSON or a table
// with times in loc; ok=false says the orders are not known yet.
func WriteBatch(w io.Writer, b *ledger.Batch, list []*ledger.Order, ok bool, loc *time.Location, asJSON bool) error {
	if asJSON {
		orders := make([]snapshot.Order, len(list))
		for i, o := range list {
			orders[i] = snapshot.Order{Key: o.Key, Order: o}
		}
		return WriteJSON(w, struct {
			Batch  snapshot.Batch   `json:"batch"`
			Orders []snapshot.Order `json:"orders"`
		}{snapshot.Batch{ID: b.ID, Batch: b}, orders})
	}
	fmt.Fprintf(w, "batch %s: %s, started %s, %s\nreport: %s\n\n", b.ID, b.File, b.Started.In(loc).Format(time.DateTime), Counts(b.Counts, b.Interrupted), b.Report)
	if !ok {
		fmt.Fprintln(w, "Its orders are not in the running pass's snapshot (too many): run status again when the pass has finished.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ORDER\tSTATE\tREFERENCE\tSTAGE\tMESSAGE")
	for _, o := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.Key, o.State, o.Reference, StageOf(o), o.Message)
	}
	return tw.Flush()
}

// Counts is a batch's rows per status ("3 submitted, 1 invalid"), "—" for
// none.
func Counts(c map[string]int, interrupted bool) string {
	s := ""
	for _, st := range batch.Statuses {
		if n := c[st]; n > 0 {
			if s != "" {
				s += ", "
			}
			s += fmt.Sprintf("%d %s", n, st)
		}
	}
	if interrupted {
		s += " (interrupted)"
	}
	if s == "" {
		s = "—"
	}
	return s
}

// WriteJSON writes v to w as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// StageOf is the latest stage known at the carrier ("scheduled 2026-12-01
// (CONFIRMED)"), "" before tracking asked. A stage that needs a person
// (rejected, cancelled, unknown) is in capitals and says where to look, as
// the review page shows it in red; an order sent again names its attempt.
func StageOf(o *ledger.Order) string {
	var s string
	if t := o.Track; t != nil && t.Stage != "" {
		s = string(t.Stage)
		if t.Date != "" {
			s += " " + t.Date
		}
		if t.Status != "" && !strings.EqualFold(t.Status, string(t.Stage)) { // no "rejected (REJECTED)"
			s += " (" + t.Status + ")"
		}
		switch t.Stage {
		case ledger.StageRejected, ledger.StageCancelled, ledger.StageUnknown:
			s = strings.ToUpper(string(t.Stage)) + strings.TrimPrefix(s, string(t.Stage)) + ": see orderdrop attention"
		}
	}
	if n := o.AttemptNo(); n > 1 {
		s = strings.TrimSpace(s + fmt.Sprintf(" attempt %d", n))
	}
	return s
}
