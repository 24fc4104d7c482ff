package pass

import (
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
)

// RecoverOptions are the options of the pass's batch.Recover, from the
// recovery section r of the configuration, asking the carriers through
// reconcilers (by carrier name); times in its messages are in loc.
func RecoverOptions(r config.Recovery, loc *time.Location, reconcilers map[string]batch.Reconciler, log *slog.Logger) batch.RecoverOptions {
	return batch.RecoverOptions{
		Reconcilers:    reconcilers,
		SettleAfter:    r.SettleAfter,
		ReleaseUnfound: r.ReleaseUnfoundAfterSettle,
		LookupEvery:    r.LookupEvery,
		MaxLookups:     r.MaxLookupsPerPass,
		Logger:         log,
		Location:       loc,
	}
}

// ReportRecovery prints what Recover settled and what still waits; it
// reports whether an operator must look at something.
func ReportRecovery(w io.Writer, rec batch.RecoverReport) bool {
	for _, s := range rec.Settled {
		if s.Released {
			fmt.Fprintf(w, "%s: %s still has no such order after recovery.settle_after: released as not submitted; drop its file again to send it\n", s.Key, s.Carrier)
		} else {
			fmt.Fprintf(w, "%s: found at %s (reference %s): recorded as submitted\n", s.Key, s.Carrier, s.Reference)
		}
	}
	if rec.InDoubt > 0 {
		fmt.Fprintf(w, "%d order(s) interrupted by an earlier stop are in doubt: see `orderdrop status` and `orderdrop resolve`\n", rec.InDoubt)
	}
	return rec.InDoubt > 0 || rec.Released > 0
}
