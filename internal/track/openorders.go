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
	passes, err := l.LastTrackPasses()
	if err != nil {
		return nil, err
	}
	oo := &sheet.OpenOrders{Generated: now.In(loc)}
	err = l.ForEach(func(o *ledger.Order) error {
		if o.Open() {
			oo.Orders = append(oo.Orders, openOrder(o, loc))
		}
		if o.Track == nil || passes.Last.IsZero() {
			return nil
		}
		var prev ledger.TrackEvent
		for _, e := range o.Track.History {
			if !e.At.Before(passes.Last) {
				oo.Changes = append(oo.Changes, sheet.OrderChange{At: e.At.In(loc), Kind: o.Kind, OrderRef: o.Ref, Key: o.Key,
					Reference: o.Reference, From: string(prev.Stage), To: string(e.Stage), Date: e.Date, Status: e.Status, Message: e.Message})
			}
			prev = e
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read open orders: %w", err)
	}
	sort.SliceStable(oo.Orders, func(i, j int) bool { return oo.Orders[i].SubmittedAt.Before(oo.Orders[j].SubmittedAt) })
	sort.SliceStable(oo.Changes, func(i, j int) bool { return oo.Changes[i].At.Before(oo.Changes[j].At) })
	return oo, nil
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

// WriteOpenOrders rewrites reports/open-orders.xlsx and .csv in dir from
// the ledger, and returns what it wrote.
func WriteOpenOrders(l *ledger.Ledger, dir string, loc *time.Location, now time.Time) (*sheet.OpenOrders, error) {
	oo, err := OpenOrders(l, loc, now)
	if err != nil {
		return nil, err
	}
	if err := sheet.WriteOpenOrders(dir, oo); err != nil {
		return nil, err
	}
	return oo, nil
}
