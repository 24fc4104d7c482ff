package batch

import (
	"errors"
	"fmt"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// doneEarlier returns the summary of a resumed file whose batch is Done:
// an earlier pass finished it and only its move to archive/ failed. The
// file, whose content hashes to sum, is not read as a spreadsheet, and
// nothing is sent or written. nil, nil when the file is to be processed.
func doneEarlier(path, sum string, opts Options) (*Summary, error) {
	b, err := opts.Ledger.OpenBatch(sum, path)
	if errors.Is(err, ledger.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: find the batch of %s: %w", errLedger, opts.source(path), err)
	}
	if !b.Done {
		return nil, nil
	}
	rows := 0
	for _, n := range b.Counts {
		rows += n
	}
	return &Summary{File: b.File, Report: b.Report, BatchID: b.ID, SHA256: b.SHA256, Rows: rows, Counts: b.Counts, Done: true}, nil
}
