package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/pass"
	"github.com/orderdrop/orderdrop/internal/snapshot"
)

type statusOptions struct {
	json  bool
	limit int
	notes io.Writer // where a JSON listing says it comes from a snapshot; nil = nowhere
}

func newStatusCommand(g *globalOptions) *cobra.Command {
	opts := statusOptions{notes: g.stderr}
	cmd := &cobra.Command{
		Use:   "status [BATCH]",
		Short: "Show recent batches, or the orders of one batch",
		Long: `status shows the newest batches with their counts per status, or the orders of
one batch. It only reads: it needs no carrier credentials and works while a
pass runs (it then shows the status snapshot that pass keeps beside the
ledger, saying as of when).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			cfg, err := loadStatusConfig(g.configPath)
			if err != nil {
				return err
			}
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			return runStatus(cfg, id, opts, g.stdout)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print JSON")
	cmd.Flags().IntVarP(&opts.limit, "limit", "n", 20, "how many recent batches")
	return cmd
}

// loadStatusConfig loads the configuration without carrier credentials.
func loadStatusConfig(path string) (*config.Config, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, usageError("no configuration file at %s: pass --config FILE or set ORDERDROP_CONFIG (config.example.yaml documents every key)", path)
	}
	cfg, err := config.LoadWithoutSecrets(path)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("%w (see config.example.yaml)", err)}
	}
	return cfg, nil
}

// statusWait is how long status and attention wait for a pass to release
// the ledger before they read its status snapshot instead.
const statusWait = 500 * time.Millisecond

// statusData is what status shows, from the ledger or from a snapshot.
type statusData struct {
	batches []*ledger.Batch
	orders  map[string][]*ledger.Order // by batch ID; nil = ask the ledger
	l       *ledger.Ledger             // nil when reading a snapshot
	snap    *snapshot.Snapshot         // nil when reading the ledger
}

// readStatus opens the ledger read-only, or, while a pass holds it, reads
// that pass's snapshot.
func readStatus(cfg *config.Config) (*statusData, error) {
	l, err := ledger.OpenReadOnly(cfg.Ledger, ledger.Options{Timeout: statusWait})
	switch {
	case err == nil:
		return &statusData{l: l}, nil
	case errors.Is(err, ledger.ErrNotFound):
		return &statusData{}, nil // nothing processed yet
	case !errors.Is(err, ledger.ErrLocked):
		return nil, fatal(pass.LedgerTrouble(cfg.Ledger, Version(), err))
	}
	snap, err := snapshot.Read(cfg.Ledger)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fatal(fmt.Errorf("another orderdrop is using %s and has written no status yet: try again in a few seconds", cfg.Ledger))
	}
	if err != nil {
		return nil, fatal(fmt.Errorf("another orderdrop is using %s and its status cannot be read: %w; try again when it has finished", cfg.Ledger, err))
	}
	d := &statusData{snap: snap, orders: map[string][]*ledger.Order{}}
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

func (d *statusData) close() {
	if d.l != nil {
		_ = d.l.Close()
	}
}

// note is the line that says the status comes from a running pass's snapshot.
func (d *statusData) note(loc *time.Location) string {
	if d.snap == nil {
		return ""
	}
	s := fmt.Sprintf("a pass is running (process %d): status as of %s", d.snap.PID, d.snap.Written.In(loc).Format(time.TimeOnly))
	if r := d.snap.Running; r != nil {
		s += fmt.Sprintf("; now processing %s, %d of %d rows done", r.File, r.Done, r.Total)
	}
	return s
}

func (d *statusData) recent(limit int) ([]*ledger.Batch, error) {
	if d.l != nil {
		return d.l.Batches(limit)
	}
	if limit > 0 && len(d.batches) > limit {
		return d.batches[:limit], nil
	}
	return d.batches, nil
}

// batch returns one batch and its orders; ok=false when the snapshot does
// not hold its orders.
func (d *statusData) batch(id string) (*ledger.Batch, []*ledger.Order, bool, error) {
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

func runStatus(cfg *config.Config, id string, opts statusOptions, w io.Writer) error {
	d, err := readStatus(cfg)
	if err != nil {
		return err
	}
	defer d.close()
	loc := cfg.Location()
	note := d.note(loc)
	if note != "" {
		if opts.json {
			if opts.notes != nil {
				fmt.Fprintln(opts.notes, note)
			}
		} else {
			fmt.Fprintf(w, "%s\n\n", note)
		}
	}
	if id == "" {
		bs, err := d.recent(opts.limit)
		if err != nil {
			return fatal(err)
		}
		if opts.json {
			out := make([]snapshot.Batch, len(bs))
			for i, b := range bs {
				out[i] = snapshot.Batch{ID: b.ID, Batch: b}
			}
			return writeJSON(w, out)
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "BATCH\tFILE\tSTARTED\tROWS\tREPORT")
		for _, b := range bs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", b.ID, b.File, b.Started.In(loc).Format(time.DateTime), counts(b.Counts, b.Interrupted), b.Report)
		}
		return tw.Flush()
	}
	b, list, ok, err := d.batch(id)
	if errors.Is(err, ledger.ErrNotFound) {
		if d.snap != nil {
			return usageError("no batch %q among the %d newest; while a pass runs only those are shown: try again when it has finished", id, len(d.batches))
		}
		return usageError("no batch %q: `orderdrop status` lists them", id)
	}
	if err != nil {
		return fatal(err)
	}
	if opts.json {
		orders := make([]snapshot.Order, len(list))
		for i, o := range list {
			orders[i] = snapshot.Order{Key: o.Key, Order: o}
		}
		return writeJSON(w, struct {
			Batch  snapshot.Batch   `json:"batch"`
			Orders []snapshot.Order `json:"orders"`
		}{snapshot.Batch{ID: b.ID, Batch: b}, orders})
	}
	fmt.Fprintf(w, "batch %s: %s, started %s, %s\nreport: %s\n\n", b.ID, b.File, b.Started.In(loc).Format(time.DateTime), counts(b.Counts, b.Interrupted), b.Report)
	if !ok {
		fmt.Fprintln(w, "Its orders are not in the running pass's snapshot (too many): run status again when the pass has finished.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ORDER\tSTATE\tREFERENCE\tSTAGE\tMESSAGE")
	for _, o := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.Key, o.State, o.Reference, stageOf(o), o.Message)
	}
	return tw.Flush()
}

func counts(c map[string]int, interrupted bool) string {
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

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// stageOf is the latest stage known at the carrier ("scheduled 2026-12-01
// (CONFIRMED)"), "" before tracking asked. A stage that needs a person
// (rejected, cancelled, unknown) is in capitals and says where to look, as
// the review page shows it in red; an order sent again names its attempt.
func stageOf(o *ledger.Order) string {
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
