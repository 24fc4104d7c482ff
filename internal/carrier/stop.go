package carrier

import (
	"context"
	"errors"
)

type retryStopKey struct{}

// errStopping is returned by a retry wait interrupted by WithRetryStop.
var errStopping = errors.New("orderdrop is stopping")

// WithRetryStop returns a context under which Do makes no further retry once
// stop is closed: a request already sent still finishes (the caller keeps
// ctx itself alive for that), but an order waiting to be retried after a
// 429, a 503 or a refused connection — surely not processed — gives up at
// once as Retryable. This is the graceful stop of DESIGN §5.
func WithRetryStop(ctx context.Context, stop <-chan struct{}) context.Context {
	return context.WithValue(ctx, retryStopKey{}, stop)
}

func retryStop(ctx context.Context) <-chan struct{} {
	stop, _ := ctx.Value(retryStopKey{}).(<-chan struct{})
	return stop // nil: never
}
