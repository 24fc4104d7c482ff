package batch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

func (p *pass) startBatch() error {
	l := p.opts.Ledger
	p.batch = &ledger.Batch{ID: l.NewBatchID(p.start), File: p.opts.source(p.path), SHA256: p.wb.SHA256, Started: p.start}
	if err := l.PutBatch(p.batch); err != nil {
		return fmt.Errorf("%w: start batch: %w", errLedger, err)
	}
	return nil
}

// finish writes the report and closes the batch in the ledger.
func (p *pass) finish() (*Summary, error) {
	s := &Summary{File: p.opts.source(p.path), SHA256: p.wb.SHA256, Rows: p.total, Counts: map[string]int{}, Interrupted: p.interrupted}
	rep := &sheet.Report{Source: s.File, SHA256: p.wb.SHA256, Format: p.wb.Format, Delimiter: p.wb.Delimiter, Generated: p.opts.now()}
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
				s.Attention = append(s.Attention, RowNote{Sheet: tab.t.Name, Row: rec.Num, Status: st.status, Message: st.message})
			}
			rs.Rows[i] = sheet.ReportRow{Num: rec.Num, Cells: rec.Cells, Status: st.status, CarrierReference: st.reference, Message: st.message, SubmittedAt: st.at}
		}
		rep.Sheets = append(rep.Sheets, rs)
	}
	dir := p.opts.ReportDir
	if dir == "" {
		dir = filepath.Dir(p.path)
	}
	path, err := freeReportPath(dir, s.File, p.wb.Format)
	if err != nil {
		return nil, err
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

// freeReportPath names the report NAME.result.xlsx (or .csv) in dir, with
// " (2)", " (3)"… when that name is taken: an earlier report is never overwritten.
func freeReportPath(dir, source string, f sheet.Format) (string, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("create report folder: %w", err)
	}
	ext := ".xlsx"
	if f == sheet.CSV {
		ext = ".csv"
	}
	stem := strings.TrimSuffix(source, filepath.Ext(source)) + ".result"
	for n := 1; n < 10000; n++ {
		name := stem + ext
		if n > 1 {
			name = fmt.Sprintf("%s (%d)%s", stem, n, ext)
		}
		path := filepath.Join(dir, name)
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			return path, nil
		}
	}
	return "", fmt.Errorf("no free report name for %s in %s", source, dir)
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
