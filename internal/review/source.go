// Package review is the review page's data source: it reads the batches,
// orders and reports for internal/web through a Gate that shares the ledger
// with the daemon's passes.
package review

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
	"github.com/orderdrop/orderdrop/internal/web"
)

// Gate shares the ledger between the daemon's passes and the review
// page. bbolt locks the file per open handle, even within one process, so
// the two must not open it at the same time: while a pass runs the page
// reads through the pass's own handle; between passes the reads in progress
// share one handle opened read-only, closed as the last of them ends. Each
// read is one short read (a page of data, never a whole report nor a page
// someone keeps open), and a pass that waits to open or close the ledger
// lets no new read start: it waits at most for the reads already running.
type Gate struct {
	mu      sync.Mutex
	cond    sync.Cond      // on mu: a read ended, a pass opened or closed the ledger
	pass    *ledger.Ledger // the running pass's ledger; nil between passes
	shared  *ledger.Ledger // the read-only handle of the reads between passes; nil when none runs
	readers int            // reads in progress, on pass or shared
	writers int            // passes waiting to open or close the ledger
}

// readTimeout is how long a read waits for another process (an operator's
// `orderdrop status` or `resolve`) to release the ledger; then the page says
// it is busy.
const readTimeout = 2 * time.Second

// wait waits on the gate's condition; g.mu is held.
func (g *Gate) wait() {
	if g.cond.L == nil {
		g.cond.L = &g.mu
	}
	g.cond.Wait()
}

// broadcast wakes every waiter; g.mu is held.
func (g *Gate) broadcast() {
	if g.cond.L == nil {
		g.cond.L = &g.mu
	}
	g.cond.Broadcast()
}

// drain keeps new reads out and waits for those in progress to end, then
// closes the shared read-only handle; g.mu is held, and stays held. The
// caller calls undrain once the ledger is opened or closed.
func (g *Gate) drain() {
	g.writers++
	for g.readers > 0 {
		g.wait()
	}
	if g.shared != nil {
		_ = g.shared.Close() // read-only: nothing to lose
		g.shared = nil
	}
}

// undrain lets reads in again; g.mu is held.
func (g *Gate) undrain() {
	g.writers--
	g.broadcast()
}

// OpenForPass opens the ledger for a pass with open (the pass's own
// opening, with its guard against a lost ledger) and lends it to the page
// until ClosePass. It waits only for the reads already in progress.
func (g *Gate) OpenForPass(open func() (*ledger.Ledger, error)) (*ledger.Ledger, error) {
	g.mu.Lock()
	g.drain()
	g.mu.Unlock()
	l, err := open() // no read starts meanwhile: writers > 0
	g.mu.Lock()
	defer g.mu.Unlock()
	defer g.undrain()
	if err != nil {
		return nil, err
	}
	g.pass = l
	return l, nil
}

// ClosePass takes the ledger back from the page, once the reads in
// progress on it end, and closes it.
func (g *Gate) ClosePass(l *ledger.Ledger) error {
	g.mu.Lock()
	g.drain()
	g.pass = nil
	g.mu.Unlock()
	err := l.Close()
	g.mu.Lock()
	g.undrain()
	g.mu.Unlock()
	return err
}

// read runs fn on the ledger at path: the running pass's, or the read-only
// handle shared by the reads between passes (opened for them). fn must be
// one short read. A missing file is an error wrapping fs.ErrNotExist
// (nothing has run yet).
func (g *Gate) read(path string, fn func(*ledger.Ledger) error) error {
	g.mu.Lock()
	for g.writers > 0 {
		g.wait()
	}
	var l *ledger.Ledger
	private := false
	switch {
	case g.pass != nil && g.pass.Path() == path:
		l = g.pass
	case g.shared != nil && g.shared.Path() == path:
		l = g.shared
	default:
		// Opened under the lock, so that concurrent reads share it; this
		// waits only when another process holds the file, and then at most
		// readTimeout.
		var err error
		l, err = ledger.Open(path, ledger.Options{ReadOnly: true, Timeout: readTimeout})
		if err != nil {
			g.mu.Unlock()
			return err
		}
		if g.shared == nil {
			g.shared = l
		} else {
			private = true // the ledger moved on reload while reads of the old one run
		}
	}
	g.readers++
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.readers--
		if private {
			_ = l.Close()
		}
		if g.readers == 0 && g.shared != nil {
			_ = g.shared.Close() // between reads the page holds no lock
			g.shared = nil
		}
		g.broadcast()
	}()
	return fn(l)
}

// Source is the review page's web.Source over the ledger and the
// reports; OpenOrders and Attention as the open-orders workbook and
// orderdrop attention show them.
type Source struct {
	gate *Gate
	cfg  func() *config.Config // the configuration in force (it changes on reload)
	// chunkRead, when set, is called after each chunk of a report's rows
	// is read (tests: to hold a view in the middle of a report).
	chunkRead func()
}

// readChunk is how many orders one read of the ledger looks up at most,
// so that a view of a large batch holds the ledger for short reads only.
const readChunk = 500

var _ web.Source = (*Source)(nil)

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
func (s *Source) Batches(_ context.Context, limit int) ([]web.BatchSummary, error) {
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

// Batch returns a batch with the page of its report's rows q asks for,
// linked to their orders. The report is read outside the ledger's lock,
// row after row, keeping only the page; the ledger is read for the batch,
// then for the page's orders.
func (s *Source) Batch(ctx context.Context, id string, q web.RowQuery) (*web.BatchDetail, error) {
	cfg := s.cfg()
	var b *ledger.Batch
	err := s.gate.read(cfg.Ledger, func(l *ledger.Ledger) error {
		var err error
		b, err = l.Batch(id)
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
	page := web.NewPage(q)
	if err := reportRows(ctx, b.Report, cfg.Location(), page.Add, s.chunkRead); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		d.Note = fmt.Sprintf("The report %s could not be read, so the invalid rows are missing: below are the batch's orders as the ledger has them.", display.Line(filepath.Base(b.Report)))
		page = web.NewPage(q)
		if err := s.ledgerRows(ctx, cfg.Ledger, b.Keys, page.Add); err != nil {
			return nil, view(err)
		}
		d.Rows, d.Matched, d.Total = page.Rows(), page.Matched, page.Total
		return d, nil
	}
	d.Rows, d.Matched, d.Total = page.Rows(), page.Matched, page.Total
	if err := s.link(ctx, cfg.Ledger, b.Keys, d.Rows); err != nil {
		return nil, view(err)
	}
	return d, nil
}

// link sets each row's OrderKey to its order in the ledger, or "": the key
// guessed from its kind and order_ref when that order exists, else the
// batch's order with the row's carrier reference. The guesses are looked
// up in one read; a row left without an order but with a carrier
// reference (no order_ref) has the batch's orders looked up, readChunk a
// read, until every such row has its order.
func (s *Source) link(ctx context.Context, path string, keys []string, rows []web.Row) error {
	var guesses []string
	for _, r := range rows {
		if r.OrderKey != "" {
			guesses = append(guesses, r.OrderKey)
		}
	}
	var found map[string]*ledger.Order
	if err := s.gate.read(path, func(l *ledger.Ledger) error {
		var err error
		found, err = l.Lookup(guesses)
		return err
	}); err != nil {
		return err
	}
	byRef := map[string]int{} // carrier reference → rows still without an order
	for i := range rows {
		if o, ok := found[rows[i].OrderKey]; ok {
			rows[i].Stage = stageName(o)
		} else {
			rows[i].OrderKey = ""
			if rows[i].CarrierReference != "" {
				byRef[rows[i].CarrierReference]++
			}
		}
	}
	for start := 0; start < len(keys) && len(byRef) > 0; start += readChunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		var orders map[string]*ledger.Order
		if err := s.gate.read(path, func(l *ledger.Ledger) error {
			var err error
			orders, err = l.Lookup(keys[start:min(start+readChunk, len(keys))])
			return err
		}); err != nil {
			return err
		}
		for key, o := range orders {
			if o.Reference == "" || byRef[o.Reference] == 0 {
				continue
			}
			for i := range rows {
				if rows[i].OrderKey == "" && rows[i].CarrierReference == o.Reference {
					rows[i].OrderKey, rows[i].Stage = key, stageName(o)
				}
			}
			delete(byRef, o.Reference)
		}
	}
	return nil
}

// Order returns one order and its history.
func (s *Source) Order(_ context.Context, key string) (*web.OrderDetail, error) {
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
	loc := s.cfg().Location()
	for _, name := range slices.Sorted(maps.Keys(o.Fields)) {
		d.Fields = append(d.Fields, web.Field{Name: name, Value: fieldShown(name, o.Fields[name], loc)})
	}
	for _, e := range o.History {
		d.History = append(d.History, web.Event{At: e.At, State: string(e.State), Reference: e.Reference, Message: e.Message, By: e.By, Attempts: e.Attempts})
	}
	for _, a := range o.Attempts {
		outcome := string(ledger.StageRejected)
		if a.Stage == ledger.StageCancelled {
			outcome = string(ledger.StageCancelled)
		}
		d.Attempts = append(d.Attempts, web.Attempt{N: a.N, Reference: a.Reference, Outcome: outcome, Reason: a.Message, At: a.At})
	}
	if t := o.Track; t != nil {
		d.Stage = string(t.Stage)
		for _, e := range t.History {
			detail := strings.TrimSpace(strings.Join([]string{e.Date, e.Status, e.Message}, " "))
			d.Tracking = append(d.Tracking, web.Stage{At: e.At, Stage: string(e.Stage), Detail: detail})
		}
	}
	return d, nil
}

// fieldShown is a ledger field as a person reads it: a date-time kept in
// UTC for the fingerprint (wanted_date) is shown in loc, as it was typed.
func fieldShown(name, value string, loc *time.Location) string {
	if name != "wanted_date" {
		return value
	}
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return value
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// OpenOrders lists the orders not final at their carrier, as the
// open-orders workbook does, oldest submission first: limit of them from
// offset on. Reads of readChunk orders each walk the open orders' index,
// keeping only their key and submission time; one more reads the page's
// orders.
func (s *Source) OpenOrders(ctx context.Context, offset, limit int) ([]web.OpenOrder, int, error) {
	cfg := s.cfg()
	type entry struct {
		key       string
		submitted time.Time
	}
	var all []entry
	for after, first := "", true; first || after != ""; first = false {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		err := s.gate.read(cfg.Ledger, func(l *ledger.Ledger) error {
			orders, next, err := l.OpenAfter(after, readChunk)
			for _, o := range orders {
				all = append(all, entry{o.Key, o.SubmittedAt})
			}
			after = next
			return err
		})
		if errors.Is(err, fs.ErrNotExist) {
			return nil, 0, nil
		}
		if err != nil {
			return nil, 0, view(err)
		}
	}
	slices.SortStableFunc(all, func(a, b entry) int { return a.submitted.Compare(b.submitted) })
	pageOf := all[min(offset, len(all)):min(offset+limit, len(all))]
	keys := make([]string, len(pageOf))
	for i, e := range pageOf {
		keys[i] = e.key
	}
	var orders map[string]*ledger.Order
	err := s.gate.read(cfg.Ledger, func(l *ledger.Ledger) error {
		var err error
		orders, err = l.Lookup(keys)
		return err
	})
	if err != nil {
		return nil, 0, view(err)
	}
	out := make([]web.OpenOrder, 0, len(keys))
	for _, k := range keys {
		if o := orders[k]; o != nil {
			out = append(out, openOrder(o))
		}
	}
	return out, len(all), nil
}

// openOrder is one row of the open orders, in the workbook's words.
func openOrder(o *ledger.Order) web.OpenOrder {
	row := web.OpenOrder{Key: o.Key, Kind: o.Kind, Carrier: o.Carrier, Ref: o.Ref, Reference: o.Reference,
		Stage: "not asked yet", Submitted: o.SubmittedAt}
	t := o.Track
	if t == nil {
		return row
	}
	if t.Stage != "" {
		row.Stage, row.StageName = string(t.Stage), string(t.Stage)
	}
	if t.Date != "" {
		row.Stage += " " + t.Date
	}
	msg := t.Message
	if t.Stopped != "" {
		msg = strings.TrimPrefix(msg+"; "+t.Stopped, "; ")
	}
	status := t.Status
	if strings.EqualFold(status, string(t.Stage)) { // the stage column says it already
		status = ""
	}
	switch {
	case status != "" && msg != "" && !strings.EqualFold(status, msg): // no "Accepted: Accepted"
		row.Detail = status + ": " + msg
	case status != "":
		row.Detail = status
	default:
		row.Detail = msg
	}
	row.Checked = t.Checked
	return row
}

// Attention lists what needs a person now, as orderdrop attention does.
func (s *Source) Attention(ctx context.Context) ([]web.AttentionItem, error) {
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
		out[i] = web.AttentionItem{ID: it.ID, Key: it.Key, Ref: it.Ref, What: string(it.Kind), Detail: detail, Action: it.Action, Since: it.Since}
		if o := orders[it.Key]; o != nil {
			out[i].BatchID = o.BatchID
		}
	}
	return out, nil
}

func batchSummary(cfg *config.Config, b *ledger.Batch) web.BatchSummary {
	sum := web.BatchSummary{ID: b.ID, File: b.File, Report: reportName(cfg.Reports, b.Report), Started: b.Started, Finished: b.Finished,
		Counts: b.Counts, Interrupted: b.Interrupted}
	for _, st := range sheet.FixStatuses() { // such rows are what a to-fix file holds
		if b.Counts[st] > 0 && b.Report != "" {
			sum.ToFix = reportName(cfg.Reports, sheet.FixPath(b.Report))
		}
	}
	return sum
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

// reportChunkRows is how many rows of a report a view holds at a time.
const reportChunkRows = 256

// reportRows reads a report's rows one chunk after the other
// (sheet.StreamReport), never the whole file at once, and passes each to
// add (OrderKey a guess that link checks for the rows kept; times in loc).
// chunkRead, when set, is called after each chunk. Once ctx ends the rows
// are skipped and its error returned.
func reportRows(ctx context.Context, path string, loc *time.Location, add func(web.Row), chunkRead func()) error {
	type layout struct {
		csv    bool
		canon  []string // the input's columns by their canonical name; "" = unknown
		kind   order.Kind
		kindOK bool
		dates  map[string]bool // canonical columns holding a date
	}
	csvReport := strings.EqualFold(filepath.Ext(path), ".csv")
	layouts := map[*sheet.ReportedSheet]*layout{}
	_, err := sheet.StreamReport(ctx, path, loc, reportChunkRows, func(rs *sheet.ReportedSheet, rows []sheet.ReportedRow) {
		if chunkRead != nil {
			defer chunkRead()
		}
		lo, ok := layouts[rs]
		if !ok {
			lo = &layout{csv: csvReport, dates: map[string]bool{}}
			kind, err := order.DetectKind(rs.Name, rs.Header)
			lo.kind, lo.kindOK = kind, err == nil
			lo.canon = make([]string, len(rs.Header))
			if lo.kindOK {
				lo.canon = order.CanonicalHeader(kind, rs.Header)
			}
			for _, c := range order.Columns(kind) {
				lo.dates[c.Name] = c.Date
			}
			layouts[rs] = lo
		}
		for _, rec := range rows {
			r := web.Row{Sheet: rs.Name, Num: rec.Num, Status: rec.Status, CarrierReference: rec.CarrierReference,
				Message: rec.Message, SubmittedAt: rec.SubmittedAt}
			for i, h := range rs.Header {
				v := ""
				if i < len(rec.Cells) {
					v = rec.Cells[i]
				}
				if lo.canon[i] == "order_ref" {
					r.Ref = strings.TrimSpace(v)
				}
				if v == "" {
					continue
				}
				if !lo.csv && lo.dates[lo.canon[i]] {
					v = serialDate(v)
				}
				r.Cells = append(r.Cells, web.Field{Name: h, Value: v})
			}
			if lo.kindOK && r.Ref != "" {
				r.OrderKey = string(lo.kind) + "/ref:" + r.Ref
			}
			add(r)
		}
	})
	return err
}

// ledgerRows stands in for a report that cannot be read: the batch's
// orders, in the ledger's words, looked up readChunk a read.
func (s *Source) ledgerRows(ctx context.Context, path string, keys []string, add func(web.Row)) error {
	for start := 0; start < len(keys); start += readChunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunk := keys[start:min(start+readChunk, len(keys))]
		var orders map[string]*ledger.Order
		if err := s.gate.read(path, func(l *ledger.Ledger) error {
			var err error
			orders, err = l.Lookup(chunk)
			return err
		}); err != nil {
			return err
		}
		for _, k := range chunk {
			if o, ok := orders[k]; ok {
				add(web.Row{Ref: o.Ref, Status: string(o.State), CarrierReference: o.Reference, Message: o.Message, OrderKey: k})
			}
		}
	}
	return nil
}

// serialDate shows a spreadsheet date serial (as read from an XLSX date
// cell) as a date; any other value is returned as is.
func serialDate(v string) string {
	if f, err := strconv.ParseFloat(v, 64); err != nil || f < 1 {
		return v
	}
	t, err := sheet.SerialTime(v, time.UTC)
	if err != nil {
		return v
	}
	t = t.Round(time.Minute)
	if t.Hour() == 0 && t.Minute() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format("2006-01-02 15:04")
}

// attentionSources is what the attention list is read from, as orderdrop
// attention reads it.
func attentionSources(cfg *config.Config, l *ledger.Ledger) attention.Sources {
	return attention.SourcesOf(cfg, l)
}

// NewSource returns the review page's source reading through gate, with
// the configuration cfg returns (the one in force: it changes on reload).
func NewSource(gate *Gate, cfg func() *config.Config) *Source {
	return &Source{gate: gate, cfg: cfg}
}

// stageName is the order's last stage at its carrier, "" before tracking
// saw it.
func stageName(o *ledger.Order) string {
	if o.Track == nil {
		return ""
	}
	return string(o.Track.Stage)
}
