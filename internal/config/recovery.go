package config

import (
	"fmt"
	"time"
)

// Recovery configures what happens to orders in doubt: those whose request
// may or may not have reached the carrier (orderdrop stopped mid-request, or
// the carrier never answered). Every pass looks them up at carriers that
// offer a lookup (Thinktel); a found order becomes submitted.
type Recovery struct {
	// SettleAfter: an order the lookups do not find stays in doubt until
	// this long after its request (a carrier may still be creating it).
	// 0 = 24h; at least 1m.
	SettleAfter time.Duration `yaml:"settle_after"`
	// ReleaseUnfoundAfterSettle: when true, an order a lookup still does not
	// find SettleAfter after its request is released (not_submitted: the
	// next drop of its file sends it again). false (the default) = it stays
	// in doubt until an operator runs `orderdrop resolve KEY --not-submitted`.
	ReleaseUnfoundAfterSettle bool `yaml:"release_unfound_after_settle"`
	// LookupEvery is the shortest time between two lookups of one order. 0 = 30m.
	LookupEvery time.Duration `yaml:"lookup_every"`
	// MaxLookupsPerPass bounds the orders looked up in one pass. 0 = 20.
	MaxLookupsPerPass int `yaml:"max_lookups_per_pass"`
}

func (r *Recovery) applyDefaults() {
	if r.SettleAfter == 0 {
		r.SettleAfter = 24 * time.Hour
	}
	if r.LookupEvery == 0 {
		r.LookupEvery = 30 * time.Minute
	}
	if r.MaxLookupsPerPass == 0 {
		r.MaxLookupsPerPass = 20
	}
}

// check returns one problem per bad key.
func (r *Recovery) check() []error {
	var errs []error
	if r.SettleAfter < time.Minute {
		errs = append(errs, fmt.Errorf("%w: recovery.settle_after: %v is too short: a carrier may take minutes to create an order; give at least 1m (default 24h)", ErrInvalid, r.SettleAfter))
	}
	if r.LookupEvery < 0 {
		errs = append(errs, fmt.Errorf("%w: recovery.lookup_every: must not be negative", ErrInvalid))
	}
	if r.MaxLookupsPerPass < 0 {
		errs = append(errs, fmt.Errorf("%w: recovery.max_lookups_per_pass: must not be negative", ErrInvalid))
	}
	return errs
}
