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
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// startBatch records the batch before anything is sent: a new one, or on a
// resume the file's open batch, continued. The report's name is fixed here
// and stored with it, so that a resume after a crash writes the same report.
func (p *pass) startBatch() error {
	l := p.opts.Ledger
	src := p.opts.source(p.path)
	if p.opts.Resume {
		prev, err := l.OpenBatch(p.sha, p.path)
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
		p.batch = &ledger.Batch{ID: l.NewBatchID(p.start), File: src, SHA256: p.sha, Started: p.start}
	}
	if p.report == "" {
		var err error
		if p.report, err = freeReportPath(p.reportDir(), src, p.format); err != nil {
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
// to be closed: the point where a pass holds the most of a file.
var beforeReport func()

// finish closes the report (its summary sheet) and the batch in the ledger.
func (p *pass) finish() (*Summary, error) {
	s := &Summary{File: p.opts.source(p.path), SHA256: p.sha, Counts: p.counts, Warnings: p.warned, Warned: p.warnedRows, Interrupted: p.interrupted, Attention: p.attention}
	for _, tab := range p.tables {
		s.Rows += tab.rows
	}
	if beforeReport != nil {
		beforeReport()
	}
	if p.writer == nil {
		return nil, fmt.Errorf("write report of %s: no sheet was written", s.File)
	}
	if err := p.writer.Close(p.opts.now()); err != nil {
		return nil, fmt.Errorf("write report %s: %w", p.report, err)
	}
	s.Report = p.report
	if p.batch != nil {
		p.batch.Report, p.batch.Finished, p.batch.Counts, p.batch.Interrupted = p.report, p.opts.now(), s.Counts, s.Interrupted
		p.batch.Keys, p.batch.Holds = p.keys, p.holds
		if err := p.opts.Ledger.PutBatch(p.batch); err != nil {
			return nil, fmt.Errorf("%w: close batch %s: %w", errLedger, p.batch.ID, err)
		}
		s.BatchID = p.batch.ID
	}
	if p.fix != nil { // after the report and the batch: a to-fix file is a help, never the record
		ok, err := p.fix.Close()
		switch {
		case err != nil:
			s.ToFixErr = err
		case ok:
			s.ToFix = p.fix.Path()
		}
	}
	return s, nil
}

// failed ends a pass whose file turned out unusable (err a *FileError)
// after some of its orders were sent: the batch is closed, interrupted,
// with what was sent, and the error says so, since the file's report is
// not written. Any other error is returned as it is.
func (p *pass) failed(err error) error {
	var fe *FileError
	if !errors.As(err, &fe) || p.batch == nil || p.marked.Load() == 0 {
		return err
	}
	p.batch.Finished, p.batch.Interrupted, p.batch.Counts, p.batch.Keys = p.opts.now(), true, p.counts, p.keys
	if perr := p.opts.Ledger.PutBatch(p.batch); perr != nil {
		return errors.Join(err, fmt.Errorf("%w: close batch %s: %w", errLedger, p.batch.ID, perr))
	}
	return &FileError{File: fe.File, Err: fmt.Errorf("%w; %d order(s) from the rows before had already been sent (orderdrop status %s lists them): a corrected file marks them already_submitted",
		fe.Err, p.marked.Load(), p.batch.ID)}
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
