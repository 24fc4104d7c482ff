package cli

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
)

// recoverOptions are the options of the pass's batch.Recover, from the
// recovery section of the configuration.
func recoverOptions(cfg *config.Config, cs *carriers, log *slog.Logger) batch.RecoverOptions {
	r := cfg.Recovery
	return batch.RecoverOptions{
		Reconcilers:    cs.reconcilers(),
		SettleAfter:    r.SettleAfter,
		ReleaseUnfound: r.ReleaseUnfoundAfterSettle,
		LookupEvery:    r.LookupEvery,
		MaxLookups:     r.MaxLookupsPerPass,
		Logger:         log,
		Location:       cfg.Location(),
	}
}

// reportRecovery prints what Recover settled and what still waits; it
// reports whether an operator must look at something.
func reportRecovery(w io.Writer, rec batch.RecoverReport) bool {
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
