package batch

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// Reconciler looks an order up at its carrier after a crash. found=false
// with a nil error means the carrier surely has no such order.
type Reconciler interface {
	Reconcile(ctx context.Context, o *ledger.Order) (reference string, found bool, err error)
}

// RecoverReport says what Recover did.
type RecoverReport struct {
	Stuck      int // orders found "submitting": a run stopped mid-request
	Submitted  int // settled as submitted by a carrier lookup
	NotCreated int // settled as not submitted by a carrier lookup (sent again by the next drop)
	InDoubt    int // left for an operator: orderdrop resolve
}

// Recover runs at start: orders left "submitting" become in_doubt, then each
// is reconciled where its carrier allows a lookup (reconcilers by carrier
// name); the rest wait for `orderdrop resolve`.
func Recover(ctx context.Context, l *ledger.Ledger, reconcilers map[string]Reconciler, log *slog.Logger) (RecoverReport, error) {
	var r RecoverReport
	stuck, err := l.Stuck()
	if err != nil {
		return r, fmt.Errorf("find interrupted orders: %w", err)
	}
	r.Stuck = len(stuck)
	if len(stuck) == 0 {
		return r, nil
	}
	keys := make([]string, len(stuck))
	for i, o := range stuck {
		keys[i] = o.Key
	}
	if err := l.MarkInDoubt(keys, "orderdrop stopped while this order was being sent"); err != nil {
		return r, fmt.Errorf("mark %d interrupted orders in_doubt: %w", len(keys), err)
	}
	for _, o := range stuck {
		rec := reconcilers[o.Carrier]
		if rec == nil {
			r.InDoubt++
			log.Warn("order in doubt after a crash: check with the carrier, then run orderdrop resolve",
				slog.String("key", o.Key), slog.String("carrier", o.Carrier))
			continue
		}
		ref, found, err := rec.Reconcile(ctx, o)
		switch {
		case err != nil:
			r.InDoubt++
			log.Warn("could not reconcile order in doubt", slog.String("key", o.Key), slog.String("carrier", o.Carrier), slog.Any("error", err))
			continue
		case found:
			err = l.Resolve(o.Key, ledger.Resolution{Reference: ref, By: "orderdrop (carrier lookup)", Why: "found at " + o.Carrier + " after an interrupted run"})
			r.Submitted++
		default:
			err = l.Resolve(o.Key, ledger.Resolution{NotSubmitted: true, By: "orderdrop (carrier lookup)", Why: o.Carrier + " has no such order after an interrupted run"})
			r.NotCreated++
		}
		if err != nil {
			return r, fmt.Errorf("settle %s: %w", o.Key, err)
		}
		log.Info("order in doubt reconciled", slog.String("key", o.Key), slog.String("carrier", o.Carrier), slog.Bool("found", found), slog.String("reference", ref))
	}
	return r, nil
}
