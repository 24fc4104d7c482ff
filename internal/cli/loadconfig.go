package cli

import (
	"log/slog"
	"time"

	"github.com/orderdrop/orderdrop/internal/config"
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
