package carrier

import (
	"context"
	"errors"
)

// errStopping is returned by a retry wait interrupted by a closed Stop.
var errStopping = errors.New("orderdrop is stopping")

// Submission is what a pass gives a carrier client with each order it
// submits, besides the order itself.
type Submission struct {
	// Checkpoint is what an earlier attempt of a multi-step submission did
	// (nil: start from the beginning).
	Checkpoint Checkpoint
	// Save records a new checkpoint before the next step starts; nil: the
	// checkpoint is not kept.
	Save func(context.Context, Checkpoint) error
	// Stop, once closed, ends the submission's retries: a request already
	// sent still finishes (the caller keeps ctx itself alive for that), but
	// an order waiting to be retried after a 429, a 503 or a refused
	// connection — surely not processed — gives up at once as Retryable.
	// This is the graceful stop of DESIGN §5. nil: never.
	Stop <-chan struct{}
}
