package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/netwo"
	"github.com/orderdrop/orderdrop/internal/carrier/prizz"
	"github.com/orderdrop/orderdrop/internal/carrier/thinktel"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
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
			APIKey: n.APIKey.Value(), ActorSlug: n.ActorSlug.Value(), RoutingPrefix: n.RoutingPrefix, RoutingSIPTrunk: n.RoutingSIPTrunk})
		if err != nil {
			return nil, fmt.Errorf("carriers.netwo: %w", err)
		}
		c.conc[order.FrPort] = n.Concurrency
	}
	if p := cfg.Carriers.Prizz; p.BaseURL != "" {
		c.prizz, err = prizz.New(prizz.Config{HTTP: instrument(httpOptions(p.HTTP, log.With(slog.String("carrier", "prizz"))), m, "prizz"),
			Email: p.Email.Value(), Password: p.Password.Value(),
			AuthPath: p.AuthPath, OrderPath: p.OrderPath, ContactsPath: p.ContactsPath, PortsPath: p.PortsPath})
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

// reconcilers returns the carriers that can look an order up after a crash.
func (c *carriers) reconcilers() map[string]batch.Reconciler {
	m := map[string]batch.Reconciler{}
	if c.thinktel != nil {
		m["thinktel"] = thinktelReconciler{c.thinktel}
	}
	return m
}

// reference fetches the carriers' reference data for validate --online.
func (c *carriers) reference(ctx context.Context) (*order.Reference, error) {
	ref := &order.Reference{}
	var err error
	if c.netwo != nil {
		if ref.NetwoPrefixes, err = c.netwo.Prefixes(ctx); err != nil {
			return nil, fmt.Errorf("netwo prefixes: %w", err)
		}
	}
	if c.thinktel != nil {
		trunks, err := c.thinktel.SipTrunks(ctx)
		if err != nil {
			return nil, fmt.Errorf("thinktel SIP trunks: %w", err)
		}
		ref.ThinktelTrunks = map[int64]bool{}
		for _, t := range trunks {
			ref.ThinktelTrunks[t] = true
		}
		offs, err := c.thinktel.Offerings(ctx)
		if err != nil {
			return nil, fmt.Errorf("thinktel offerings: %w", err)
		}
		ref.ThinktelOfferings = map[string]int{}
		for id, o := range offs {
			ref.ThinktelOfferings[id] = o.Type
		}
		providers, err := c.thinktel.Providers(ctx)
		if err != nil {
			return nil, fmt.Errorf("thinktel losing-carrier list: %w", err)
		}
		ref.ThinktelProviders = map[int32]string{}
		for _, p := range providers {
			ref.ThinktelProviders[p.ID] = p.Name
		}
	}
	if c.prizz != nil {
		contacts, err := c.prizz.Contacts(ctx)
		if err != nil {
			return nil, fmt.Errorf("prizz contacts: %w", err)
		}
		ref.PrizzContacts = map[int]bool{}
		for _, id := range contacts {
			ref.PrizzContacts[id] = true
		}
		ports, err := c.prizz.Ports(ctx)
		if err != nil {
			return nil, fmt.Errorf("prizz delivery ports: %w", err)
		}
		ref.PrizzPorts = map[string]bool{}
		for _, p := range ports {
			ref.PrizzPorts[p] = true
		}
	}
	return ref, nil
}

// thinktelReconciler finds a port-in by the first of its numbers.
type thinktelReconciler struct{ c *thinktel.Client }

func (r thinktelReconciler) Reconcile(ctx context.Context, o *ledger.Order) (string, bool, error) {
	first, _, _ := strings.Cut(o.Fields["numbers"], ",")
	tn, err := strconv.ParseInt(strings.TrimSpace(first), 10, 64)
	if err != nil {
		return "", false, fmt.Errorf("order %s has no number to look up", o.Key)
	}
	st, err := r.c.PortInStatus(ctx, tn)
	var ce *carrier.Error
	if errors.As(err, &ce) && ce.Status == http.StatusNotFound {
		return "", false, nil // Thinktel has no port-in for this number: it was never created
	}
	if err != nil {
		return "", false, err
	}
	if st.TicketID == "" {
		return "", false, fmt.Errorf("thinktel port-in status of %d has no ticket id", tn)
	}
	return st.TicketID, true, nil
}
