package cli

// What a pass tells the operator beyond its files' summaries: configuration
// warnings and inbox files it cannot take.

import (
	"log/slog"

	"github.com/orderdrop/orderdrop/internal/config"
)

// logConfigWarnings logs what the configuration says the operator should
// fix although orderdrop can run (e.g. a credential written in the file).
func logConfigWarnings(log *slog.Logger, cfg *config.Config) {
	for _, w := range cfg.Warnings {
		log.Warn(w)
	}
}
