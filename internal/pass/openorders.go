package pass

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/observe"
	"github.com/orderdrop/orderdrop/internal/sheet"
	"github.com/orderdrop/orderdrop/internal/track"
)

// writeOpenOrders rewrites the open-orders workbook after a run. A failure
// never fails the run (its orders are sent and recorded), but it is seen:
// printed, logged as an error, a problem of the pass's digest, and the old
// workbook is marked out of date beside it (track.WriteOpenOrders).
func writeOpenOrders(l *ledger.Ledger, cfg *config.Config, log *slog.Logger, stdout io.Writer, pr *observe.Record) {
	if _, err := track.WriteOpenOrders(l, cfg.Reports, cfg.Location(), time.Now()); err != nil {
		openOrdersFailed(cfg, log, stdout, pr, err)
	}
}

// openOrdersFailed says that the open-orders workbook could not be rewritten.
func openOrdersFailed(cfg *config.Config, log *slog.Logger, stdout io.Writer, pr *observe.Record, err error) {
	xlsx := filepath.Join(cfg.Reports, sheet.OpenOrdersXLSX)
	log.Error("open-orders workbook not rewritten; the next pass retries", slog.String("path", xlsx), slog.Any("error", err))
	fmt.Fprintf(stdout, "%s: not rewritten, it is out of date (see %s): %s\n", xlsx, sheet.OpenOrdersStale, display.Line(err.Error()))
	pr.Problem("%s could not be rewritten, so it is out of date (%s beside it says since when): %s; fix the cause, then run orderdrop track",
		xlsx, sheet.OpenOrdersStale, display.Line(err.Error()))
}
