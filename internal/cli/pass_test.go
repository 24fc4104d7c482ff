package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/inbox"
	"github.com/orderdrop/orderdrop/internal/ledger"
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

// TestPassErrorKeepsCode shows that an error of package pass becomes the
// command's exit error with its code and message, and that others are
// left as they are.
func TestPassErrorKeepsCode(t *testing.T) {
	plain := errors.New("disk full")
	tests := []struct {
		name     string
		err      error
		wantCode int // 0 = not an *ExitError
		wantMsg  string
	}{
		{"nil", nil, 0, ""},
		{"plain", plain, 0, "disk full"},
		{"fatal", &pass.Error{Code: pass.Fatal, Err: plain}, ExitFatal, "disk full"},
		{"wrapped usage", fmt.Errorf("run: %w", &pass.Error{Code: pass.Usage, Err: plain}), ExitUsage, "run: disk full"},
		{"code only", &pass.Error{Code: pass.Attention}, ExitAttention, "exit 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := passError(tt.err)
			var ee *ExitError
			if tt.wantCode == 0 {
				assert.False(t, errors.As(got, &ee), "got %v", got)
				assert.Equal(t, tt.err, got)
				return
			}
			require.ErrorAs(t, got, &ee)
			assert.Equal(t, tt.wantCode, ee.Code)
			assert.Equal(t, tt.wantMsg, got.Error())
		})
	}
}

// openPassLedger opens the ledger as a pass does, its refusal as the
// command's error.
func openPassLedger(cfg *config.Config, newLedger bool, log *slog.Logger) (*ledger.Ledger, error) {
	l, err := pass.OpenGuarded(cfg, Version(), newLedger, log)
	return l, passError(err)
}
