package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"

	"github.com/orderdrop/orderdrop/internal/carrier/registry"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/netwo"
	"github.com/orderdrop/orderdrop/internal/carrier/prizz"
	"github.com/orderdrop/orderdrop/internal/carrier/thinktel"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/order"
)

// carriers are the clients of one run: built fresh per pass so that their
// per-run caches (Netwo prefixes, Thinktel offerings) are never stale.
type carriers struct {
	netwo    *netwo.Client
	prizz    *prizz.Client
	thinktel *thinktel.Client
	conc     map[order.Kind]int
	m        *metrics.Metrics // nil = no metrics
}

func httpOptions(h config.HTTP, log *slog.Logger) carrier.HTTPOptions {
	return carrier.HTTPOptions{
		BaseURL:        h.BaseURL,
		Timeout:        h.Timeout,
		ConnectTimeout: h.ConnectTimeout,
		Concurrency:    h.Concurrency,
		RatePerSecond:  h.RatePerSecond,
		Burst:          h.Burst,
		MaxAttempts:    h.MaxAttempts,
		MaxRetryTime:   h.MaxRetryTime,
		UserAgent:      "orderdrop/" + Version(),
		Logger:         log,
	}
}

func newCarriers(cfg *config.Config, log *slog.Logger) (*carriers, error) {
	return newObservedCarriers(cfg, log, nil)
}

// newObservedCarriers builds the clients reporting to m (nil = no metrics).
func newObservedCarriers(cfg *config.Config, log *slog.Logger, m *metrics.Metrics) (*carriers, error) {
	c := &carriers{conc: map[order.Kind]int{}, m: m}
	var err error
	if n := cfg.Carriers.Netwo; n.BaseURL != "" {
		c.netwo, err = netwo.New(netwo.Config{HTTP: instrument(httpOptions(n.HTTP, log.With(slog.String("carrier", "netwo"))), m, "netwo"),
			APIKey: n.APIKey.Value(), ActorSlug: n.ActorSlug.Value(), RoutingPrefix: n.RoutingPrefix, RoutingSIPTrunk: n.RoutingSIPTrunk,
			Track: n.Track, TrackPath: n.TrackPath})
		if err != nil {
			return nil, fmt.Errorf("carriers.netwo: %w", err)
		}
		c.conc[order.FrPort] = n.Concurrency
	}
	if p := cfg.Carriers.Prizz; p.BaseURL != "" {
		c.prizz, err = prizz.New(prizz.Config{HTTP: instrument(httpOptions(p.HTTP, log.With(slog.String("carrier", "prizz"))), m, "prizz"),
			Email: p.Email.Value(), Password: p.Password.Value(),
			AuthPath: p.AuthPath, OrderPath: p.OrderPath, ContactsPath: p.ContactsPath, PortsPath: p.PortsPath,
			Tracking: p.Tracking, APIToken: p.APIToken.Value(), ContractsPath: p.ContractsPath, ContractRefFields: p.ContractRefFields,
			ContractsPageSize: cfg.Tracking.PageSize,
			LegacyTrackPath:   p.LegacyTrackPath, LegacyStatusField: p.LegacyStatusField, LegacyMessageField: p.LegacyMessageField, LegacyDateField: p.LegacyDateField})
		if err != nil {
			return nil, fmt.Errorf("carriers.prizz: %w", err)
		}
		c.conc[order.L2] = p.Concurrency
	}
	if t := cfg.Carriers.Thinktel; t.BaseURL != "" {
		c.thinktel, err = thinktel.New(thinktel.Config{HTTP: instrument(httpOptions(t.HTTP, log.With(slog.String("carrier", "thinktel"))), m, "thinktel"),
			Username: t.Username.Value(), Password: t.Password.Value()})
		if err != nil {
			return nil, fmt.Errorf("carriers.thinktel: %w", err)
		}
		c.conc[order.CaPort] = t.Concurrency
	}
	return c, nil
}

// submitters returns the configured clients by kind.
func (c *carriers) submitters() map[order.Kind]batch.Submitter {
	m := map[order.Kind]batch.Submitter{}
	if c.netwo != nil {
		m[order.FrPort] = c.netwo
	}
	if c.prizz != nil {
		m[order.L2] = c.prizz
	}
	if c.thinktel != nil {
		m[order.CaPort] = c.thinktel
	}
	if c.m != nil {
		for k, s := range m {
			m[k] = countingSubmitter{next: s, m: c.m, kind: k}
		}
	}
	return m
}

// reconcilers returns the carriers that can look an order in doubt up.
// Netwo and Prizz document no lookup that finds an order by what orderdrop
// knows of it: their orders in doubt wait for orderdrop resolve.
func (c *carriers) reconcilers() map[string]batch.Reconciler {
	m := map[string]batch.Reconciler{}
	if c.thinktel != nil {
		m["thinktel"] = c.thinktel
	}
	return m
}

// reference fetches the carriers' reference data for validate --online:
// every list, or an error naming those that could not be read.
func (c *carriers) reference(ctx context.Context) (*order.Reference, error) {
	ref, unread := c.referenceEach(ctx, batch.NewStops())
	var errs []error
	for _, d := range slices.Sorted(maps.Keys(unread)) {
		errs = append(errs, fmt.Errorf("could not read %s: %w", d, unread[d]))
	}
	return ref, errors.Join(errs...)
}

// referenceEach fetches every list of reference data on its own: a list
// that cannot be read is left nil in ref (its checks are not made) and
// returned in unread, so that only the rows needing it are held back and
// the checks of the other lists are still made. A carrier that refuses the
// credentials or cannot be reached is also stopped in stops (its rows are
// held for the pass) and its remaining lists are not asked for.
func (c *carriers) referenceEach(ctx context.Context, stops *batch.Stops) (*order.Reference, map[order.RefData]error) {
	ref := &order.Reference{}
	unread := map[order.RefData]error{}
	// read runs one lookup of kind k unless its carrier is stopped; it
	// reports whether the lookup succeeded.
	read := func(k order.Kind, d order.RefData, fetch func() error) bool {
		if _, stopped := stops.Get(k); stopped {
			return false
		}
		err := fetch()
		if err == nil {
			return true
		}
		unread[d] = err
		if carrier.ClassOf(err) == carrier.AuthRefused {
			stops.Stop(k, batch.Stop{Cause: batch.CauseAuth, Detail: fmt.Sprintf("reading %s: %v", d, err)})
		} else if why, ok := carrier.UnreachableReason(err); ok {
			stops.Stop(k, batch.Stop{Cause: batch.CauseUnreachable, Detail: why})
		}
		return false
	}
	if c.netwo != nil {
		read(order.FrPort, order.RefNetwoPrefixes, func() (err error) {
			ref.NetwoPrefixes, err = c.netwo.Prefixes(ctx)
			return err
		})
	}
	if c.thinktel != nil {
		read(order.CaPort, order.RefThinktelTrunks, func() error {
			trunks, err := c.thinktel.SipTrunks(ctx)
			if err == nil {
				ref.ThinktelTrunks = map[int64]bool{}
				for _, t := range trunks {
					ref.ThinktelTrunks[t] = true
				}
			}
			return err
		})
		read(order.CaPort, order.RefThinktelOfferings, func() error {
			offs, err := c.thinktel.Offerings(ctx)
			if err == nil {
				ref.ThinktelOfferings = map[string]int{}
				for id, o := range offs {
					ref.ThinktelOfferings[id] = o.Type
				}
			}
			return err
		})
		read(order.CaPort, order.RefThinktelProviders, func() error {
			providers, err := c.thinktel.Providers(ctx)
			if err == nil {
				ref.ThinktelProviders = map[int32]string{}
				for _, p := range providers {
					ref.ThinktelProviders[p.ID] = p.Name
				}
			}
			return err
		})
	}
	if c.prizz != nil {
		read(order.L2, order.RefPrizzContacts, func() error {
			contacts, err := c.prizz.Contacts(ctx)
			if err == nil {
				ref.PrizzContacts = map[int]bool{}
				for _, id := range contacts {
					ref.PrizzContacts[id] = true
				}
			}
			return err
		})
		read(order.L2, order.RefPrizzPorts, func() error {
			ports, err := c.prizz.Ports(ctx)
			if err == nil {
				ref.PrizzPorts = map[string]bool{}
				for _, p := range ports {
					ref.PrizzPorts[p] = true
				}
			}
			return err
		})
	}
	return ref, unread
}

// credentialsHints says, per kind, where its carrier's credentials are
// configured, for the message of a refusal.
func credentialsHints(cfg *config.Config) map[order.Kind]string {
	m := map[order.Kind]string{}
	for _, k := range order.Kinds {
		m[k] = cfg.CredentialsHint(registry.CarrierOf(k))
	}
	return m
}
