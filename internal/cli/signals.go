package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// notifyStop returns a context cancelled on SIGINT or SIGTERM: the graceful
// stop (no new order starts, those in flight finish).
func notifyStop(parent context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}
