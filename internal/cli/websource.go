package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
	"github.com/orderdrop/orderdrop/internal/track"
	"github.com/orderdrop/orderdrop/internal/web"
)

// ledgerGate shares the ledger between the daemon's passes and the review
// page. bbolt locks the file per open handle, even within one process, so
// the two must not open it at the same time: while a pass runs the page
// reads through the pass's own handle; between passes it opens the file
// read-only for the length of one read. A pass waits at most for one such
// read, never for a page someone keeps open.
type ledgerGate struct {
	mu   sync.Mutex     // held while a read runs, and while a pass opens or closes the ledger
	pass *ledger.Ledger // the running pass's ledger; nil between passes
}

// readTimeout is how long a read waits for another process (an operator's
// `orderdrop status` or `resolve`) to release the ledger; then the page says
// it is busy.
const readTimeout = 2 * time.Second

// openForPass opens the ledger for a pass (refusing a lost one unless
// newLedger, see ledgerguard.go) and lends it to the page until closePass.
func (g *ledgerGate) openForPass(cfg *config.Config, newLedger bool, log *slog.Logger) (*ledger.Ledger, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	l, err := openPassLedger(cfg, newLedger, log)
	if err != nil {
		return nil, err
	}
	g.pass = l
	return l, nil
}

// closePass takes the ledger back from the page and closes it.
func (g *ledgerGate) closePass(l *ledger.Ledger) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.pass = nil
	return l.Close()
}

// read runs fn on the ledger at path: the running pass's, or the file
// opened read-only for fn alone. A missing file is an error wrapping
// fs.ErrNotExist (nothing has run yet).
func (g *ledgerGate) read(path string, fn func(*ledger.Ledger) error) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.pass != nil && g.pass.Path() == path {
		return fn(g.pass)
	}
	l, err := ledger.Open(path, ledger.Options{ReadOnly: true, Timeout: readTimeout})
	if err != nil {
		return err
	}
	defer l.Close()
	return fn(l)
}

// ledgerSource is the review page's web.Source over the ledger and the
// reports; OpenOrders and Attention as the open-orders workbook and
// orderdrop attention show them.
type ledgerSource struct {
	gate *ledgerGate
	cfg  func() *config.Config // the configuration in force (it changes on reload)
}

var _ web.Source = (*ledgerSource)(nil)

// view maps ledger errors to the page's.
func view(err error) error {
	switch {
	case errors.Is(err, ledger.ErrNotFound), errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w: %w", web.ErrNotFound, err)
	case errors.Is(err, ledger.ErrLocked):
		return fmt.Errorf("%w: %w", web.ErrBusy, err)
	}
	return err
}

// Batches lists the newest batches; none when no pass has created the ledger yet.
func (s *ledgerSource) Batches(_ context.Context, limit int) ([]web.BatchSummary, error) {
	cfg := s.cfg()
	var bs []*ledger.Batch
	err := s.gate.read(cfg.Ledger, func(l *ledger.Ledger) error {
		var err error
		bs, err = l.Batches(limit)
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, view(err)
	}
	out := make([]web.BatchSummary, len(bs))
	for i, b := range bs {
		out[i] = batchSummary(cfg, b)
	}
	return out, nil
}

// Batch returns a batch with the rows of its report (read outside the
// ledger's lock), linked to their orders.
func (s *ledgerSource) Batch(_ context.Context, id string) (*web.BatchDetail, error) {
	cfg := s.cfg()
	var b *ledger.Batch
	var orders map[string]*ledger.Order
	err := s.gate.read(cfg.Ledger, func(l *ledger.Ledger) error {
		var err error
		if b, err = l.Batch(id); err != nil {
			return err
		}
		orders, err = l.Lookup(b.Keys)
		return err
	})
	if err != nil {
		return nil, view(err)
	}
	d := &web.BatchDetail{BatchSummary: batchSummary(cfg, b)}
	if b.Report == "" {
		if b.Finished.IsZero() {
			d.Note = "This file is being processed: its rows appear here when its report is written."
		}
		return d, nil
	}
	rows, err := reportRows(b.Report, orders, cfg.Location())
	if err != nil {
		d.Note = fmt.Sprintf("The report %s could not be read, so the invalid rows are missing: below are the batch's orders as the ledger has them.", filepath.Base(b.Report))
		d.Rows = ledgerRows(b.Keys, orders)
		return d, nil
	}
	d.Rows = rows
	return d, nil
}

// Order returns one order and its history.
func (s *ledgerSource) Order(_ context.Context, key string) (*web.OrderDetail, error) {
	var o *ledger.Order
	err := s.gate.read(s.cfg().Ledger, func(l *ledger.Ledger) error {
		var err error
		o, err = l.Get(key)
		return err
	})
	if err != nil {
		return nil, view(err)
	}
	d := &web.OrderDetail{Key: o.Key, Kind: o.Kind, Carrier: o.Carrier, Ref: o.Ref, State: string(o.State), Reference: o.Reference,
		Message: o.Message, BatchID: o.BatchID, SubmittedAt: o.SubmittedAt}
	for _, name := range slices.Sorted(maps.Keys(o.Fields)) {
		d.Fields = append(d.Fields, web.Field{Name: name, Value: o.Fields[name]})
	}
	for _, e := range o.History {
		d.History = append(d.History, web.Event{At: e.At, State: string(e.State), Reference: e.Reference, Message: e.Message, By: e.By, Attempts: e.Attempts})
	}
	if t := o.Track; t != nil {
		for _, e := range t.History {
			detail := strings.TrimSpace(strings.Join([]string{e.Date, e.Status, e.Message}, " "))
			d.Tracking = append(d.Tracking, web.Stage{At: e.At, Stage: string(e.Stage), Detail: detail})
		}
	}
	return d, nil
}

// OpenOrders lists every order not final at its carrier, as the open-orders
// workbook does.
func (s *ledgerSource) OpenOrders(context.Context) ([]web.OpenOrder, error) {
	cfg := s.cfg()
	orWord := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	var oo *sheet.OpenOrders
	err := s.gate.read(cfg.Ledger, func(l *ledger.Ledger) error {
		var err error
		oo, err = track.OpenOrders(l, cfg.Location(), time.Now())
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, view(err)
	}
	out := make([]web.OpenOrder, len(oo.Orders))
	for i, o := range oo.Orders {
		stage := orWord(o.Stage, "not asked yet")
		if o.Date != "" {
			stage += " " + o.Date
		}
		detail := o.Message
		if o.Status != "" && detail != "" {
			detail = o.Status + ": " + detail
		} else if o.Status != "" {
			detail = o.Status
		}
		out[i] = web.OpenOrder{Key: o.Key, Kind: o.Kind, Carrier: o.Carrier, Ref: o.OrderRef, Reference: o.Reference,
			Stage: stage, Submitted: o.SubmittedAt, Checked: o.LastChecked, Detail: detail}
	}
	return out, nil
}

// Attention lists what needs a person now, as orderdrop attention does.
func (s *ledgerSource) Attention(ctx context.Context) ([]web.AttentionItem, error) {
	cfg := s.cfg()
	var items []attention.Item
	var orders map[string]*ledger.Order // the items' orders, for their batch
	err := s.gate.read(cfg.Ledger, func(l *ledger.Ledger) error {
		var err error
		if items, err = attention.Collect(ctx, attentionSources(cfg, l)); err != nil {
			return err
		}
		var keys []string
		for _, it := range items {
			if it.Key != "" {
				keys = append(keys, it.Key)
			}
		}
		orders, err = l.Lookup(keys)
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		items, err = attention.Collect(ctx, attentionSources(cfg, nil)) // no ledger yet: the folders only
	}
	if err != nil {
		return nil, view(err)
	}
	out := make([]web.AttentionItem, len(items))
	for i, it := range items {
		detail := it.What
		if it.File != "" {
			detail = it.File + ": " + detail
		}
		out[i] = web.AttentionItem{Key: it.Key, Ref: it.Ref, What: string(it.Kind), Detail: detail, Action: it.Action, Since: it.Since}
		if o := orders[it.Key]; o != nil {
			out[i].BatchID = o.BatchID
		}
	}
	return out, nil
}

func batchSummary(cfg *config.Config, b *ledger.Batch) web.BatchSummary {
	return web.BatchSummary{ID: b.ID, File: b.File, Report: reportName(cfg.Reports, b.Report), Started: b.Started, Finished: b.Finished,
		Counts: b.Counts, Interrupted: b.Interrupted}
}

// reportName is the report's name when it lies directly in the reports
// folder (the only place the page serves files from), else "".
func reportName(dir, report string) string {
	if report == "" {
		return ""
	}
	rel, err := filepath.Rel(dir, report)
	if err != nil || rel != filepath.Base(report) {
		return ""
	}
	return rel
}

// reportRows reads a report's rows (times in loc) and links each to its
// order: by kind and order_ref, else by the carrier's reference.
func reportRows(path string, orders map[string]*ledger.Order, loc *time.Location) ([]web.Row, error) {
	rf, err := sheet.ReadReport(path, loc)
	if err != nil {
		return nil, err
	}
	byRef, byCarrierRef := map[string]string{}, map[string]string{}
	for key, o := range orders {
		if o.Ref != "" {
			byRef[o.Kind+"\x00"+o.Ref] = key
		}
		if o.Reference != "" {
			byCarrierRef[o.Reference] = key
		}
	}
	csv := rf.Format == sheet.CSV
	var rows []web.Row
	for _, t := range rf.Sheets {
		input := t.Header
		kind, kindErr := order.DetectKind(t.Name, input)
		canon := make([]string, len(input))
		if kindErr == nil {
			canon = order.CanonicalHeader(kind, input)
		}
		dates := map[string]bool{}
		for _, c := range order.Columns(kind) {
			dates[c.Name] = c.Date
		}
		for _, rec := range t.Rows {
			r := web.Row{Sheet: t.Name, Num: rec.Num, Status: rec.Status, CarrierReference: rec.CarrierReference, Message: rec.Message,
				SubmittedAt: rec.SubmittedAt}
			for i, h := range input {
				v := ""
				if i < len(rec.Cells) {
					v = rec.Cells[i]
				}
				if canon[i] == "order_ref" {
					r.Ref = strings.TrimSpace(v)
				}
				if v == "" {
					continue
				}
				if !csv && dates[canon[i]] {
					v = serialDate(v)
				}
				r.Cells = append(r.Cells, web.Field{Name: h, Value: v})
			}
			if k, ok := byRef[string(kind)+"\x00"+r.Ref]; ok && r.Ref != "" {
				r.OrderKey = k
			} else if k, ok := byCarrierRef[r.CarrierReference]; ok && r.CarrierReference != "" {
				r.OrderKey = k
			}
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// ledgerRows stands in for a report that cannot be read: the batch's
// orders, in the ledger's words.
func ledgerRows(keys []string, orders map[string]*ledger.Order) []web.Row {
	var rows []web.Row
	for _, k := range keys {
		o, ok := orders[k]
		if !ok {
			continue
		}
		rows = append(rows, web.Row{Ref: o.Ref, Status: string(o.State), CarrierReference: o.Reference, Message: o.Message, OrderKey: k})
	}
	return rows
}

// serialDate shows a spreadsheet date serial (as read from an XLSX date
// cell) as a date; any other value is returned as is.
func serialDate(v string) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 1 || f > 2958465 {
		return v
	}
	t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(f * float64(24*time.Hour))).Round(time.Minute)
	if t.Hour() == 0 && t.Minute() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format("2006-01-02 15:04")
}
