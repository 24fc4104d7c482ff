package cli

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/inbox"
	"github.com/orderdrop/orderdrop/internal/observe"
	"github.com/orderdrop/orderdrop/internal/pass"
)

// runPass is one pass as run makes it, unobserved, its error as the
// command's.
func runPass(ctx context.Context, cfg *config.Config, box *inbox.Inbox, now func() time.Time, stdout io.Writer, log *slog.Logger) (int, error) {
	return observedPass(ctx, cfg, false, box, now, stdout, log, nil)
}

// observedPass is runPass recording into rec.
func observedPass(ctx context.Context, cfg *config.Config, newLedger bool, box *inbox.Inbox, now func() time.Time, stdout io.Writer, log *slog.Logger, rec *observe.Record) (int, error) {
	code, err := pass.Run(ctx, passDeps(cfg, stdout, log), pass.Options{NewLedger: newLedger, Inbox: box, Now: now, Record: rec})
	return code, passError(err)
}

// runTrack is one tracking pass as track makes it, unobserved, its error as
// the command's.
func runTrack(ctx context.Context, cfg *config.Config, now func() time.Time, stdout io.Writer, log *slog.Logger) (int, error) {
	code, err := pass.Track(ctx, passDeps(cfg, stdout, log), pass.TrackOptions{Now: now})
	return code, passError(err)
}
