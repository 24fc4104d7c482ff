package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

type statusOptions struct {
	json  bool
	limit int
}

func newStatusCommand(g *globalOptions) *cobra.Command {
	var opts statusOptions
	cmd := &cobra.Command{
		Use:   "status [BATCH]",
		Short: "Show recent batches, or the orders of one batch",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			cfg, err := loadConfig(g.configPath)
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

func runStatus(cfg *config.Config, id string, opts statusOptions, w io.Writer) error {
	l, err := openLedger(cfg)
	if err != nil {
		return err
	}
	defer l.Close()
	if id == "" {
		bs, err := l.Batches(opts.limit)
		if err != nil {
			return fatal(err)
		}
		if opts.json {
			return writeJSON(w, bs)
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "BATCH\tFILE\tSTARTED\tROWS\tREPORT")
		for _, b := range bs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", b.ID, b.File, b.Started.In(cfg.Location()).Format(time.DateTime), counts(b.Counts, b.Interrupted), b.Report)
		}
		return tw.Flush()
	}
	b, err := l.Batch(id)
	if errors.Is(err, ledger.ErrNotFound) {
		return usageError("no batch %q: `orderdrop status` lists them", id)
	}
	if err != nil {
		return fatal(err)
	}
	orders, err := l.Lookup(b.Keys)
	if err != nil {
		return fatal(err)
	}
	list := make([]*ledger.Order, 0, len(b.Keys))
	for _, k := range b.Keys {
		if o, ok := orders[k]; ok {
			list = append(list, o)
		}
	}
	if opts.json {
		return writeJSON(w, struct {
			Batch  *ledger.Batch   `json:"batch"`
			Orders []*ledger.Order `json:"orders"`
		}{b, list})
	}
	fmt.Fprintf(w, "batch %s: %s, started %s, %s\nreport: %s\n\n", b.ID, b.File, b.Started.In(cfg.Location()).Format(time.DateTime), counts(b.Counts, b.Interrupted), b.Report)
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
// (CONFIRMED)"), "" before tracking asked.
func stageOf(o *ledger.Order) string {
	t := o.Track
	if t == nil || t.Stage == "" {
		return ""
	}
	s := string(t.Stage)
	if t.Date != "" {
		s += " " + t.Date
	}
	if t.Status != "" {
		s += " (" + t.Status + ")"
	}
	return s
}
