package attention

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// StaleOpenOrders is the kind of item of an open-orders workbook that
// could not be rewritten (sheet.OpenOrdersStale beside it).
const StaleOpenOrders Kind = "stale_open_orders"

// WithStaleOpenOrders adds to items the open-orders workbook when it is
// marked out of date.
func WithStaleOpenOrders(cfg *config.Config, items []Item) []Item {
	mark := filepath.Join(cfg.Reports, sheet.OpenOrdersStale)
	st, err := os.Stat(mark)
	if err != nil {
		return items
	}
	return append(items, Item{Kind: StaleOpenOrders, File: filepath.Join(cfg.Reports, sheet.OpenOrdersXLSX), Since: st.ModTime(),
		What:   "the open-orders workbook could not be rewritten: it is out of date (" + mark + " says why and since when)",
		Action: "fix the cause named in " + sheet.OpenOrdersStale + ", then run orderdrop track; it rewrites the workbook and removes the note"})
}

// Print writes items to w for a person, times in loc; untrusted text
// (file names, carrier words) goes through display.Line.
func Print(w io.Writer, items []Item, loc *time.Location) {
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

// ErrNoItem is returned when Acknowledge finds no item of the id given.
var ErrNoItem = errors.New("no attention item of this id")

// Acknowledge takes the item id of items off the list in l, recording by
// and note; it returns the item and the subject recorded (its order key,
// or its file's name).
func Acknowledge(l *ledger.Ledger, items []Item, id, by, note string) (*Item, string, error) {
	var found *Item
	for i := range items {
		if items[i].ID == id {
			found = &items[i]
			break
		}
	}
	if found == nil {
		return nil, "", fmt.Errorf("%s: %w", id, ErrNoItem)
	}
	subject := found.Key
	if subject == "" {
		subject = filepath.Base(found.File)
	}
	err := l.Acknowledge(ledger.Ack{ID: id, Kind: string(found.Kind), Subject: subject, What: found.What, By: by, Note: note})
	if err != nil {
		return nil, "", fmt.Errorf("record the acknowledgement of %s: %w", id, err)
	}
	return found, subject, nil
}
