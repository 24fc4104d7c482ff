package cli

// What a pass tells the operator beyond its files' summaries: configuration
// warnings and inbox files it cannot take.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/inbox"
)

// logConfigWarnings logs what the configuration says the operator should
// fix although orderdrop can run (e.g. a credential written in the file).
func logConfigWarnings(log *slog.Logger, cfg *config.Config) {
	for _, w := range cfg.Warnings {
		log.Warn(w)
	}
}

// inboxStableAfter is stable_after as package inbox takes it: there 0 is
// its 30 s default, while stable_after: 0 means no wait at all.
func inboxStableAfter(d time.Duration) time.Duration {
	if d == 0 {
		return time.Nanosecond
	}
	return d
}

// reportNotOrderFiles prints one line per inbox file orderdrop cannot take
// (a .ods, a .tsv…), left where it is, and reports whether there was any.
// Failing to list them is logged, not worth stopping the pass for.
func reportNotOrderFiles(ctx context.Context, box *inbox.Inbox, stdout io.Writer, log *slog.Logger) bool {
	names, err := box.NotOrderFiles(ctx)
	if err != nil {
		log.Warn("could not look for files other than orders in the inbox", slog.Any("error", err))
		return false
	}
	for _, name := range names {
		fmt.Fprintf(stdout, "not an order file: %s; save it as .xlsx or .csv\n", name)
	}
	return len(names) > 0
}
