package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

// Channel delivers a digest somewhere (mail, webhook).
type Channel interface {
	Name() string
	Send(ctx context.Context, d *Digest) error
}

// DefaultTimeout bounds one Deliver call: everything it sends, retries included.
const DefaultTimeout = 30 * time.Second

// DefaultOutboxMax is how many undelivered digests the outbox keeps.
const DefaultOutboxMax = 100

// Options configure a Notifier.
type Options struct {
	Channels []Channel
	// Outbox is the file keeping undelivered digests until the next pass.
	// "" = no outbox: a failed digest is only logged.
	Outbox string
	// OutboxMax is how many digests the outbox keeps; the oldest are
	// dropped (and logged) beyond. 0 = 100.
	OutboxMax int
	// Timeout bounds one Deliver call. 0 = 30s.
	Timeout time.Duration
	// Logger receives delivery failures. nil = discard.
	Logger *slog.Logger
	// Location is the time zone a digest kept in the outbox is shown in
	// when it is sent again: its JSON keeps the offset, not the zone's
	// name. nil = as stored ("+0100").
	Location *time.Location
}

// Notifier sends digests through its channels, keeping what could not be
// delivered in the outbox for the next call. It is used by one pass at a
// time (the ledger lock already serialises passes).
type Notifier struct{ opts Options }

// New returns a Notifier.
func New(opts Options) *Notifier {
	if opts.OutboxMax <= 0 {
		opts.OutboxMax = DefaultOutboxMax
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Notifier{opts: opts}
}

// pending is one outbox entry: a digest and the channels still owed it.
type pending struct {
	Digest   *Digest  `json:"digest"`
	Channels []string `json:"channels"`
	Tries    int      `json:"tries"`
	LastErr  string   `json:"last_error,omitempty"`
}

// Result says what one Deliver call did.
type Result struct {
	Sent    int // (digest, channel) deliveries that succeeded
	Failed  int // deliveries that failed and stay in the outbox
	Pending int // digests left in the outbox
}

// Deliver sends d (nil = nothing new) and every digest the outbox still
// holds, through every channel that has not had it yet, within the
// Notifier's timeout. It never returns an error: failures are logged and
// kept in the outbox for the next call.
func (n *Notifier) Deliver(ctx context.Context, d *Digest) Result {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), n.opts.Timeout)
	defer cancel()
	queue, err := n.load()
	if err != nil {
		n.opts.Logger.Error("notification outbox unreadable; starting a new one", slog.String("outbox", n.opts.Outbox), slog.Any("error", err))
	}
	if d != nil && len(n.opts.Channels) > 0 {
		names := make([]string, len(n.opts.Channels))
		for i, c := range n.opts.Channels {
			names[i] = c.Name()
		}
		queue = append(queue, &pending{Digest: d, Channels: names})
	}
	var res Result
	if len(queue) == 0 {
		return res
	}
	byName := map[string]Channel{}
	for _, c := range n.opts.Channels {
		byName[c.Name()] = c
	}
	var keep []*pending
	for _, p := range queue {
		var left []string
		for _, name := range p.Channels {
			c := byName[name]
			if c == nil {
				continue // channel removed from the configuration since
			}
			if ctx.Err() != nil {
				left = append(left, name)
				res.Failed++
				continue
			}
			if err := c.Send(ctx, p.Digest); err != nil {
				left = append(left, name)
				p.LastErr = err.Error()
				res.Failed++
				n.opts.Logger.Warn("notification not delivered; retried at the next pass",
					slog.String("channel", name), slog.String("digest", p.Digest.ID), slog.Any("error", err))
				continue
			}
			res.Sent++
		}
		if len(left) > 0 {
			p.Channels = left
			p.Tries++
			keep = append(keep, p)
		}
	}
	if over := len(keep) - n.opts.OutboxMax; over > 0 {
		for _, p := range keep[:over] {
			n.opts.Logger.Error("undelivered notification dropped: the outbox is full", slog.String("digest", p.Digest.ID), slog.String("last_error", p.LastErr))
		}
		keep = slices.Clone(keep[over:])
	}
	res.Pending = len(keep)
	if err := n.save(keep); err != nil {
		n.opts.Logger.Error("notification outbox not saved", slog.String("outbox", n.opts.Outbox), slog.Any("error", err))
	}
	return res
}

func (n *Notifier) load() ([]*pending, error) {
	if n.opts.Outbox == "" {
		return nil, nil
	}
	data, err := os.ReadFile(n.opts.Outbox)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	var q []*pending
	if err := json.Unmarshal(data, &q); err != nil {
		return nil, fmt.Errorf("decode outbox %s: %w", n.opts.Outbox, err)
	}
	q = slices.DeleteFunc(q, func(p *pending) bool { return p == nil || p.Digest == nil })
	if loc := n.opts.Location; loc != nil {
		for _, p := range q {
			p.Digest.At = p.Digest.At.In(loc)
		}
	}
	return q, nil
}

func (n *Notifier) save(q []*pending) error {
	if n.opts.Outbox == "" {
		return nil
	}
	if len(q) == 0 {
		if err := os.Remove(n.opts.Outbox); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("empty outbox: %w", err)
		}
		return nil
	}
	return sheet.WriteFileAtomic(n.opts.Outbox, 0o600, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		return enc.Encode(q)
	})
}
