package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/pass"
	"github.com/orderdrop/orderdrop/internal/sheet"
	"github.com/orderdrop/orderdrop/internal/snapshot"
	"github.com/orderdrop/orderdrop/internal/status"
)

type attentionOptions struct {
	json  bool
	all   bool      // also the acknowledged items, with their notes
	notes io.Writer // where a JSON listing says it comes from a snapshot; nil = nowhere
}

// snapshotStaleAfter: while a pass runs, a file in processing/ may be the
// one it is working on; it is listed only once it has not changed for this long.
const snapshotStaleAfter = time.Hour

func newAttentionCommand(g *globalOptions) *cobra.Command {
	opts := attentionOptions{notes: g.stderr}
	cmd := &cobra.Command{
		Use:   "attention",
		Short: "List every order or file that needs a person now, with what to do",
		Long: `attention lists what a person must act on: orders in doubt (with the key
to resolve and what was looked up), orders the carrier rejected after
accepting them, orders not sent because a carrier refused the credentials or
was unreachable, files in failed/ and files left in processing/. It only
reads, and works while a pass runs: the orders then come from the snapshot
that pass keeps beside the ledger (saying as of when). Exit code 0 when the
list is empty, 1 otherwise (so cron can mail it), 2 configuration error, 3
could not run. Each item has an id: orderdrop attention ack ID --note TEXT
takes it off the list; --all lists acknowledged items too, with their notes
(they do not count for the exit code).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g.configPath)
			if err != nil {
				return err
			}
			code, err := runAttention(cmd.Context(), cfg, opts, g.stdout)
			if err != nil {
				return err
			}
			if code != ExitOK {
				return &ExitError{Code: code}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print JSON")
	cmd.Flags().BoolVar(&opts.all, "all", false, "also list the acknowledged items, with who acknowledged them and their notes")
	cmd.AddCommand(newAttentionAckCommand(g))
	return cmd
}

func runAttention(ctx context.Context, cfg *config.Config, opts attentionOptions, w io.Writer) (int, error) {
	items, note, err := collectAttention(ctx, cfg, opts.all)
	if err != nil {
		return ExitFatal, err
	}
	items = withStaleOpenOrders(cfg, items)
	if opts.json {
		if note != "" && opts.notes != nil {
			fmt.Fprintln(opts.notes, note)
		}
		if items == nil {
			items = []attention.Item{}
		}
		if err := status.WriteJSON(w, items); err != nil {
			return ExitFatal, fatal(err)
		}
	} else {
		if note != "" {
			fmt.Fprintln(w, note)
		}
		printAttention(w, items, cfg.Location())
	}
	for _, it := range items {
		if it.Ack == nil {
			return ExitAttention, nil
		}
	}
	return ExitOK, nil
}

// collectAttention reads the attention list from the ledger opened
// read-only or, while a pass holds it, from that pass's snapshot; note
// then says so, and as of when.
func collectAttention(ctx context.Context, cfg *config.Config, all bool) ([]attention.Item, string, error) {
	l, err := ledger.OpenReadOnly(cfg.Ledger, ledger.Options{Timeout: status.Wait})
	switch {
	case err == nil:
		defer l.Close()
		src := attentionSources(cfg, l)
		src.All = all
		items, err := attention.Collect(ctx, src)
		if err != nil {
			return nil, "", fatal(err)
		}
		return items, "", nil
	case errors.Is(err, ledger.ErrNotFound): // nothing processed yet: the folders only
		items, err := attention.Collect(ctx, attentionSources(cfg, nil))
		if err != nil {
			return nil, "", fatal(err)
		}
		return items, "", nil
	case !errors.Is(err, ledger.ErrLocked):
		return nil, "", fatal(pass.LedgerTrouble(cfg.Ledger, Version(), err)) // damaged, newer: names the backup
	}
	snap, err := snapshot.Read(cfg.Ledger)
	if err == nil && snap.Attention == nil {
		err = os.ErrNotExist // written by an orderdrop that kept no attention list
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", fatal(fmt.Errorf("another orderdrop is using %s and has written no attention list yet: try again in a few seconds", cfg.Ledger))
	}
	if err != nil {
		return nil, "", fatal(fmt.Errorf("another orderdrop is using %s and its snapshot cannot be read: %w; try again when it has finished", cfg.Ledger, err))
	}
	src := attentionSources(cfg, nil)
	src.StaleAfter = snapshotStaleAfter
	files, err := attention.Collect(ctx, src)
	if err != nil {
		return nil, "", fatal(err)
	}
	// The snapshot keeps the acknowledged items with their Ack: filter
	// them, and the folders' items, as the ledger would.
	items := attention.Acknowledged(slices.Clone(*snap.Attention), nil, all)
	items = append(items, attention.Acknowledged(files, snap.Acks, all)...)
	sort.SliceStable(items, func(i, j int) bool { return items[i].Since.Before(items[j].Since) })
	note := fmt.Sprintf("a pass is running (process %d): attention list as of %s", snap.PID, snap.Written.In(cfg.Location()).Format(time.TimeOnly))
	return items, note, nil
}

// staleOpenOrders is the kind of item of an open-orders workbook that
// could not be rewritten (sheet.OpenOrdersStale beside it).
const staleOpenOrders attention.Kind = "stale_open_orders"

// withStaleOpenOrders adds to items the open-orders workbook when it is
// marked out of date.
func withStaleOpenOrders(cfg *config.Config, items []attention.Item) []attention.Item {
	mark := filepath.Join(cfg.Reports, sheet.OpenOrdersStale)
	st, err := os.Stat(mark)
	if err != nil {
		return items
	}
	return append(items, attention.Item{Kind: staleOpenOrders, File: filepath.Join(cfg.Reports, sheet.OpenOrdersXLSX), Since: st.ModTime(),
		What:   "the open-orders workbook could not be rewritten: it is out of date (" + mark + " says why and since when)",
		Action: "fix the cause named in " + sheet.OpenOrdersStale + ", then run orderdrop track; it rewrites the workbook and removes the note"})
}

func printAttention(w io.Writer, items []attention.Item, loc *time.Location) {
	open := 0
	for _, it := range items {
		if it.Ack == nil {
			open++
		}
	}
	switch {
	case len(items) == 0:
		fmt.Fprintln(w, "nothing needs attention")
		return
	case open == len(items):
		fmt.Fprintf(w, "%d item(s) need attention:\n", open)
	default:
		fmt.Fprintf(w, "%d item(s) need attention, %d acknowledged:\n", open, len(items)-open)
	}
	for _, it := range items {
		fmt.Fprintln(w)
		head := string(it.Kind)
		if it.ID != "" {
			head = "id " + it.ID + "  " + head
		}
		switch {
		case it.Key != "":
			head += "  " + it.Key
			if it.Reference != "" {
				head += " (" + it.Carrier + " " + it.Reference + ")"
			}
			if it.File != "" {
				head += "  from " + it.File
				if it.Rows != "" {
					head += " " + it.Rows
				}
			}
		case it.File != "":
			head += "  " + it.File
		}
		if !it.Since.IsZero() {
			head += "  since " + it.Since.In(loc).Format("2006-01-02 15:04")
		}
		fmt.Fprintln(w, display.Line(head)) // file names and carrier words are not ours
		fmt.Fprintln(w, "  what:  ", display.Line(it.What))
		fmt.Fprintln(w, "  action:", display.Line(it.Action))
		if a := it.Ack; a != nil {
			fmt.Fprintln(w, "  acknowledged by", display.Line(a.By), "on", a.At.In(loc).Format("2006-01-02 15:04")+":", display.Line(a.Note))
		}
	}
}

// attentionSources are where the attention list is read, for the command
// and the digest.
func attentionSources(cfg *config.Config, l *ledger.Ledger) attention.Sources {
	return attention.SourcesOf(cfg, l)
}
