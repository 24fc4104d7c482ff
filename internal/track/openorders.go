package track

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// OpenOrders reads from the ledger every open order (submitted, not final)
// and the changes seen by the latest tracking pass, times in loc.
func OpenOrders(l *ledger.Ledger, loc *time.Location, now time.Time) (*sheet.OpenOrders, error) {
	since := changesSince(now)
	oo := &sheet.OpenOrders{Generated: now.In(loc)}
	err := l.ForEach(func(o *ledger.Order) error {
		if o.Open() {
			oo.Orders = append(oo.Orders, openOrder(o, loc))
		}
		oo.Changes = appendChanges(oo.Changes, o, since, loc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read open orders: %w", err)
	}
	sort.SliceStable(oo.Orders, func(i, j int) bool { return oo.Orders[i].SubmittedAt.Before(oo.Orders[j].SubmittedAt) })
	sort.SliceStable(oo.Changes, func(i, j int) bool { return oo.Changes[i].At.Before(oo.Changes[j].At) })
	return oo, nil
}

// changesSince is the start of the changes the Changes sheet keeps.
func changesSince(now time.Time) time.Time {
	return now.Add(-ledger.ChangesKept)
}

// appendChanges appends the changes of o's tracking history since since.
// The first entry (the order seen for the first time) is not a change.
func appendChanges(changes []sheet.OrderChange, o *ledger.Order, since time.Time, loc *time.Location) []sheet.OrderChange {
	if o.Track == nil {
		return changes
	}
	var prev ledger.TrackEvent
	for i, e := range o.Track.History {
		if i > 0 && !e.At.Before(since) {
			changes = append(changes, sheet.OrderChange{At: e.At.In(loc), Kind: o.Kind, OrderRef: o.Ref, Key: o.Key,
				Reference: o.Reference, From: string(prev.Stage), To: string(e.Stage), Date: e.Date, Status: e.Status, Message: e.Message})
		}
		prev = e
	}
	return changes
}

func openOrder(o *ledger.Order, loc *time.Location) sheet.OpenOrder {
	row := sheet.OpenOrder{Kind: o.Kind, OrderRef: o.Ref, Key: o.Key, Carrier: o.Carrier, Reference: o.Reference,
		File: o.File, Rows: rows(o.Sheet, o.Rows), SubmittedAt: inLoc(o.SubmittedAt, loc)}
	if t := o.Track; t != nil {
		row.Stage, row.Date, row.Status, row.Message, row.LastChecked = string(t.Stage), t.Date, t.Status, t.Message, inLoc(t.Checked, loc)
		if t.Stopped != "" {
			row.Message = strings.TrimPrefix(row.Message+"; "+t.Stopped, "; ")
		}
	}
	return row
}

func rows(sheetName string, nums []int) string {
	parts := make([]string, len(nums))
	for i, n := range nums {
		parts[i] = strconv.Itoa(n)
	}
	s := strings.Join(parts, ", ")
	if sheetName != "" && s != "" {
		s = fmt.Sprintf("sheet %q row %s", sheetName, s)
	}
	return s
}

func inLoc(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

// openBatch is how many open orders WriteOpenOrders decodes at a time.
const openBatch = 500

// WriteOpenOrders rewrites reports/open-orders.xlsx and .csv in dir from
// the ledger (see writeOpenOrders). When they cannot be rewritten, the old
// files are marked out of date (sheet.MarkOpenOrdersStale) and the error
// says so; the next good write removes the mark.
func WriteOpenOrders(l *ledger.Ledger, dir string, loc *time.Location, now time.Time) (sheet.OpenOrdersCount, error) {
	count, err := writeOpenOrders(l, dir, loc, now)
	if err == nil {
		return count, nil
	}
	if merr := sheet.MarkOpenOrdersStale(dir, now.In(loc), err); merr != nil {
		return count, fmt.Errorf("%w; the old files could not be marked out of date either: %w", err, merr)
	}
	return count, fmt.Errorf("%w (the old files are marked out of date by %s)", err, sheet.OpenOrdersStale)
}

// writeOpenOrders rewrites reports/open-orders.xlsx and .csv in dir from
// the ledger, and returns what they hold. It reads the open orders and
// those tracked since the latest pass through the ledger's indexes, not
// every order; it holds the key and submission time of every open order
// and the latest pass's changes, and decodes the orders themselves
// openBatch at a time, so that a ledger of 100,000 open
// orders costs a few megabytes, not a copy of every order. Everything is
// read from one snapshot of the ledger, so that the workbook's counts,
// column widths and rows agree.
func writeOpenOrders(l *ledger.Ledger, dir string, loc *time.Location, now time.Time) (sheet.OpenOrdersCount, error) {
	since := changesSince(now)
	var count sheet.OpenOrdersCount
	err := l.View(func(snap *ledger.Snapshot) error {
		type entry struct {
			at  time.Time
			key string
		}
		var open []entry
		var changes []sheet.OrderChange
		sizes := &sheet.OpenOrdersSizes{}
		err := snap.ForEachOpen(func(o *ledger.Order) error {
			open = append(open, entry{at: o.SubmittedAt, key: o.Key})
			row := openOrder(o, loc)
			sizes.Add(&row)
			return nil
		})
		if err != nil {
			return fmt.Errorf("read open orders: %w", err)
		}
		err = snap.ForEachTrackedSince(since, func(o *ledger.Order) error {
			changes = appendChanges(changes, o, since, loc)
			return nil
		})
		if err != nil {
			return fmt.Errorf("read the latest tracking changes: %w", err)
		}
		// Stable, after the walk in key order: the order OpenOrders lists them in.
		sort.SliceStable(open, func(i, j int) bool { return open[i].at.Before(open[j].at) })
		sort.SliceStable(changes, func(i, j int) bool { return changes[i].At.Before(changes[j].At) })
		keys := make([]string, 0, openBatch)
		stream := &sheet.OpenOrdersStream{Generated: now.In(loc), Changes: changes, Sizes: sizes,
			Orders: func(yield func(*sheet.OpenOrder) error) error {
				for from := 0; from < len(open); from += openBatch {
					chunk := open[from:min(len(open), from+openBatch)]
					keys = keys[:0]
					for _, e := range chunk {
						keys = append(keys, e.key)
					}
					found, err := snap.Lookup(keys)
					if err != nil {
						return fmt.Errorf("read open orders: %w", err)
					}
					for _, e := range chunk {
						o := found[e.key]
						if o == nil {
							return fmt.Errorf("read open order %q: %w", e.key, ledger.ErrNotFound)
						}
						row := openOrder(o, loc)
						if err := yield(&row); err != nil {
							return err
						}
					}
				}
				return nil
			}}
		count, err = sheet.WriteOpenOrdersStream(dir, stream)
		return err
	})
	if err != nil {
		return sheet.OpenOrdersCount{}, err
	}
	return count, nil
}
