package batch

import (
	"fmt"
	"strings"

	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// reporter is the report stage: once the gate is open it writes, sheet
// after sheet, every row that has settled and follows only settled rows,
// then forgets its cells. It ends when every table has been read and
// written, or when the pass aborts (the writer is then dropped).
func (p *pass) reporter() error {
	next := 0 // index in p.tables of the sheet being written
	var cur *table
	for {
		p.mu.Lock()
		var (
			rows     []*slot
			startTab *table
			endTab   bool
			finished bool
		)
		for {
			if p.abort {
				p.mu.Unlock()
				if p.writer != nil {
					p.writer.Abort()
				}
				return nil
			}
			if p.gate {
				if cur == nil && next < len(p.tables) {
					cur, startTab = p.tables[next], p.tables[next]
					next++
					break
				}
				if cur != nil {
					n := 0
					for n < len(cur.queue) && cur.queue[n].st.settled {
						n++
					}
					if n > 0 {
						rows = append(rows, cur.queue[:n]...)
						cur.written(n)
						p.cond.Broadcast() // the checker may wait for the reporter
						break
					}
					if cur.readDone && len(cur.queue) == 0 {
						endTab = true
						break
					}
				} else if p.readEnd {
					finished = true
					break
				}
			}
			p.cond.Wait()
		}
		tab := cur
		if endTab {
			cur = nil
		}
		p.mu.Unlock()

		switch {
		case finished:
			return nil
		case startTab != nil:
			if err := p.startSheet(startTab); err != nil {
				return p.reportFailed(err)
			}
		case endTab:
			if err := p.writer.EndSheet(); err != nil {
				return p.reportFailed(err)
			}
		default:
			for _, s := range rows {
				if err := p.writeRow(tab, s); err != nil {
					return p.reportFailed(err)
				}
			}
		}
	}
}

// startSheet starts the report sheet of tab, and the report itself first.
func (p *pass) startSheet(tab *table) error {
	if p.writer == nil {
		path := p.report // chosen by startBatch: a resume replaces its report
		if path == "" {
			var err error
			if path, err = freeReportPath(p.reportDir(), p.opts.source(p.path), p.format); err != nil {
				return err
			}
			p.report = path
		}
		meta := &sheet.Report{Source: p.opts.source(p.path), SHA256: p.sha, Format: p.format,
			Delimiter: p.delim, Location: p.opts.Location}
		if p.batch != nil { // the summary names the ledger and batch, for a rebuild
			meta.LedgerID, meta.BatchID = p.opts.Ledger.ID(), p.batch.ID
		}
		w, err := sheet.NewReportWriter(path, meta)
		if err != nil {
			return err
		}
		p.writer = w
		p.fix = sheet.NewFixWriter(sheet.FixPath(path), p.format, p.delim, p.opts.Location)
	}
	p.fix.StartSheet(tab.name, fixColumns(tab))
	return p.writer.StartSheet(sheet.ReportSheet{Name: tab.name, Header: tab.header, DateColumns: tab.dateColumns()}, tab.size)
}

// writeRow writes one settled row and notes it for the summary.
func (p *pass) writeRow(tab *table, s *slot) error {
	st := s.st
	p.counts[st.status]++
	warnings := len(s.warnings)
	if st.status == Invalid {
		warnings = 0 // its problems come first; the warnings stay in its message
	}
	if warnings > 0 {
		p.warned++
		if len(p.warnedRows) < MaxAttentionRows {
			p.warnedRows = append(p.warnedRows, RowNote{Sheet: tab.name, Row: s.num, Status: st.status, Message: strings.Join(s.warnings, "; ")})
		}
	}
	if needsPerson(st.status) && len(p.attention) < MaxAttentionRows {
		p.attention = append(p.attention, RowNote{Sheet: tab.name, Row: s.num, OrderRef: tab.cell(s, "order_ref"), Status: st.status, Message: st.text()})
	}
	if sheet.NeedsFix(st.status) {
		if err := p.fix.WriteRow(sheet.FixRow{Cells: s.cells, Problem: st.text()}); err != nil {
			return err
		}
	}
	return p.writer.WriteRow(sheet.ReportRow{Num: s.num, Cells: s.cells, Status: st.status, CarrierReference: st.reference,
		Message: st.message, MessageFunc: st.lazy, SubmittedAt: st.at, Warnings: warnings})
}

// reportFailed keeps the reporter's error and waits for the end of the
// read, so that no stage blocks on it.
func (p *pass) reportFailed(err error) error {
	if p.writer != nil {
		p.writer.Abort()
	}
	p.mu.Lock()
	p.repFailed = true
	p.cond.Broadcast() // the checker may be waiting for the reporter
	for !p.readEnd && !p.abort {
		p.cond.Wait()
	}
	p.mu.Unlock()
	return fmt.Errorf("write report %s: %w", p.report, err)
}

// fixColumns lays the to-fix file's columns out as the input's header,
// each recognised column with its template help, dropdown and format.
func fixColumns(tab *table) []sheet.TemplateColumn {
	byName := map[string]order.Column{}
	for _, c := range order.Columns(tab.kind) {
		byName[c.Name] = c
	}
	out := make([]sheet.TemplateColumn, len(tab.header))
	for i, h := range tab.header {
		out[i] = sheet.TemplateColumn{Name: h}
		if i >= len(tab.columns) {
			continue
		}
		if c, ok := byName[tab.columns[i]]; ok {
			// As `orderdrop template` describes it; the sheet package adds
			// "required" and the example to the comment.
			out[i] = sheet.TemplateColumn{Name: h, Help: c.HelpFR + "\n\n" + c.HelpEN, Choices: c.Choices, Text: c.Text,
				Date: c.Date, Required: c.Required, Example: c.Example}
		}
	}
	return out
}
