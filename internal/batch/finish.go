package batch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// startBatch records the batch before anything is sent: a new one, or on a
// resume the file's open batch, continued. The report's name is fixed here
// and stored with it, so that a resume after a crash writes the same report.
func (p *pass) startBatch() error {
	l := p.opts.Ledger
	src := p.opts.source(p.path)
	if p.opts.Resume {
		prev, err := l.OpenBatch(p.wb.SHA256, p.path)
		switch {
		case err == nil:
			p.batch = prev
			p.batch.Keys, p.batch.Counts, p.batch.Finished, p.batch.Interrupted = nil, nil, time.Time{}, false
			p.report = prev.Report
		case !errors.Is(err, ledger.ErrNotFound):
			return fmt.Errorf("%w: find the batch of %s: %w", errLedger, src, err)
		}
	}
	if p.batch == nil {
		p.batch = &ledger.Batch{ID: l.NewBatchID(p.start), File: src, SHA256: p.wb.SHA256, Started: p.start}
	}
	if p.report == "" {
		var err error
		if p.report, err = freeReportPath(p.reportDir(), src, p.wb.Format); err != nil {
			return err
		}
	}
	p.batch.Input, p.batch.Report = p.path, p.report
	if err := l.PutBatch(p.batch); err != nil {
		return fmt.Errorf("%w: start batch: %w", errLedger, err)
	}
	return nil
}

// reportDir is where the report goes.
func (p *pass) reportDir() string {
	if p.opts.ReportDir != "" {
		return p.opts.ReportDir
	}
	return filepath.Dir(p.path)
}

// beforeReport, when set by a benchmark, is called as the report is about
// to be written: the point where a pass holds the most of a file.
var beforeReport func()

// finish writes the report and closes the batch in the ledger.
func (p *pass) finish() (*Summary, error) {
	s := &Summary{File: p.opts.source(p.path), SHA256: p.wb.SHA256, Rows: p.total, Counts: map[string]int{}, Interrupted: p.interrupted}
	rep := &sheet.Report{Source: s.File, SHA256: p.wb.SHA256, Format: p.wb.Format, Delimiter: p.wb.Delimiter, Generated: p.opts.now(),
		Location: p.opts.Location}
	for _, tab := range p.tables {
		rs := sheet.ReportSheet{Name: tab.t.Name, Header: tab.t.Header, Rows: make([]sheet.ReportRow, len(tab.t.Records)),
			DateColumns: dateColumns(tab.res)}
		for i, rec := range tab.t.Records {
			st := tab.rows[i]
			if !st.settled { // cannot happen; never leave a row without a status
				st = rowState{status: NotSubmitted, message: "not processed (internal error): drop the file again"}
			}
			s.Counts[st.status]++
			if needsPerson(st.status) && len(s.Attention) < MaxAttentionRows {
				s.Attention = append(s.Attention, RowNote{Sheet: tab.t.Name, Row: rec.Num, Status: st.status, Message: st.text()})
			}
			rs.Rows[i] = sheet.ReportRow{Num: rec.Num, Cells: rec.Cells, Status: st.status, CarrierReference: st.reference, Message: st.message,
				MessageFunc: st.lazy, SubmittedAt: st.at}
		}
		rep.Sheets = append(rep.Sheets, rs)
	}
	path := p.report // chosen by startBatch: a resume replaces its report
	if path == "" {
		var err error
		if path, err = freeReportPath(p.reportDir(), s.File, p.wb.Format); err != nil {
			return nil, err
		}
	}
	if beforeReport != nil {
		beforeReport()
	}
	if err := sheet.WriteReport(path, rep); err != nil {
		return nil, fmt.Errorf("write report %s: %w", path, err)
	}
	s.Report = path
	if p.batch != nil {
		p.batch.Report, p.batch.Finished, p.batch.Counts, p.batch.Interrupted = path, p.opts.now(), s.Counts, s.Interrupted
		for _, tab := range p.tables {
			for _, o := range tab.res.Orders {
				p.batch.Keys = append(p.batch.Keys, o.Key)
			}
		}
		if err := p.opts.Ledger.PutBatch(p.batch); err != nil {
			return nil, fmt.Errorf("%w: close batch %s: %w", errLedger, p.batch.ID, err)
		}
		s.BatchID = p.batch.ID
	}
	return s, nil
}

// freeReportPath names the report NAME.result.xlsx (or .csv) in dir, or
// NAME.result.2.xlsx, .3… when that name is taken: an earlier report is
// never overwritten by a new batch.
func freeReportPath(dir, source string, f sheet.Format) (string, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("create report folder: %w", err)
	}
	ext := ".xlsx"
	if f == sheet.CSV {
		ext = ".csv"
	}
	name, err := sheet.FreeName(strings.TrimSuffix(source, filepath.Ext(source))+".result"+ext, func(name string) error {
		_, err := os.Lstat(filepath.Join(dir, name))
		if err == nil {
			return fs.ErrExist
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("name the report of %s in %s: %w", source, dir, err)
	}
	return filepath.Join(dir, name), nil
}

// dateColumns marks the header positions of the kind's date columns, so the
// report shows their spreadsheet serials as dates again.
func dateColumns(res *order.Result) []bool {
	isDate := map[string]bool{}
	for _, c := range order.Columns(res.Kind) {
		if c.Date {
			isDate[c.Name] = true
		}
	}
	out := make([]bool, len(res.Columns))
	for i, name := range res.Columns {
		out[i] = isDate[name]
	}
	return out
}
