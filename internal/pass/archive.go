package pass

import (
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/inbox"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// Archive moves a file the pass is finished with to archive/. First its
// batch is marked Done in the ledger, so that if the move fails (archive/
// unwritable, full, gone) the file is never read again: later passes only
// retry the move. It returns false when the file could not be moved; the
// error is logged and printed, and the pass goes on with the next file.
func Archive(l *ledger.Ledger, box *inbox.Inbox, path string, sum *batch.Summary, now time.Time, stdout io.Writer, log *slog.Logger) bool {
	if sum.BatchID != "" && !sum.Done {
		if err := l.UpdateBatch(sum.BatchID, func(b *ledger.Batch) error { b.Done = true; return nil }); err != nil {
			log.Error("could not record the file as processed; it stays in processing/ and is resumed by the next pass",
				slog.String("file", sum.File), slog.Any("error", err))
			fmt.Fprintf(stdout, "%s: processed, but the ledger could not record it: %v; the file stays in processing/\n", sum.File, err)
			return false
		}
	}
	dst, err := box.Archive(path, now)
	if err != nil {
		log.Error("could not move the file to archive/; it stays in processing/ and the next pass moves it (nothing is sent again)",
			slog.String("file", sum.File), slog.String("path", path), slog.Any("error", err))
		fmt.Fprintf(stdout, "%s: processed, but not moved to archive: %v. It stays in processing/; fix the archive folder and the next pass moves it (nothing is sent again)\n", sum.File, err)
		return false
	}
	if sum.BatchID != "" {
		if err := l.UpdateBatch(sum.BatchID, func(b *ledger.Batch) error { b.Archived = dst; return nil }); err != nil {
			log.Warn("could not record where the file was archived", slog.String("file", sum.File), slog.String("archived", dst), slog.Any("error", err))
		}
	}
	return true
}
