package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// doneEarlier returns the summary of a resumed file whose batch is Done:
// an earlier pass finished it and only its move to archive/ failed. The
// file is hashed, not read as a spreadsheet, and nothing is sent or
// written. nil, nil when the file is to be processed.
func doneEarlier(path string, opts Options) (*Summary, error) {
	sum, err := hashFile(path)
	if err != nil {
		return nil, &FileError{File: opts.source(path), Err: err}
	}
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

// hashFile is the hex SHA-256 of a file's content, as sheet.Open computes it.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
