package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

// Channel delivers a digest somewhere (mail, webhook).
type Channel interface {
	Name() string
	Send(ctx context.Context, d *Digest) error
}

// DefaultTimeout bounds what one Deliver call sends through one channel,
// retries included; channels are sent in parallel.
const DefaultTimeout = 30 * time.Second

// AttemptTimeout is the timeout of one attempt (an SMTP session, one
// webhook request, a heartbeat ping) under a channel's budget: a third of
// it, at most 10s, so that an attempt that hangs leaves time for a retry or
// the next digest. budget 0 = DefaultTimeout.
func AttemptTimeout(budget time.Duration) time.Duration {
	if budget <= 0 {
		budget = DefaultTimeout
	}
	return min(budget/3, 10*time.Second)
}

// DefaultOutboxMax is how many undelivered digests the outbox keeps.
const DefaultOutboxMax = 100

// DefaultOutboxMaxBytes is the largest the outbox file grows.
const DefaultOutboxMaxBytes = 4 << 20

// Options configure a Notifier.
type Options struct {
	Channels []Channel
	// Outbox is the file keeping undelivered digests until the next pass.
	// "" = no outbox: a failed digest is only logged.
	Outbox string
	// OutboxMax is how many digests the outbox keeps; the oldest are
	// dropped (and logged) beyond. 0 = 100.
	OutboxMax int
	// OutboxMaxBytes is the largest the outbox file grows; the oldest
	// digests are dropped (and logged) beyond. 0 = 4 MiB.
	OutboxMaxBytes int
	// Timeout is each channel's budget in one Deliver call, retries
	// included; the channels are sent in parallel, so it also bounds the
	// call. 0 = 30s.
	Timeout time.Duration
	// Logger receives delivery failures. nil = discard.
	Logger *slog.Logger
	// Location is the time zone a digest kept in the outbox is shown in
	// when it is sent again: its JSON keeps the offset, not the zone's
	// name. nil = as stored ("+0100").
	Location *time.Location
}

// Notifier sends digests through its channels, keeping what could not be
// delivered in the outbox for the next call. It is safe for concurrent use:
// Deliver calls on one outbox file run one at a time in this process, even
// from different Notifiers (the daemon's before and after a reload).
type Notifier struct{ opts Options }

// outboxLocks holds one *sync.Mutex per outbox path.
var outboxLocks sync.Map

// lockOutbox takes the outbox's lock and returns its unlock.
func (n *Notifier) lockOutbox() func() {
	m, _ := outboxLocks.LoadOrStore(filepath.Clean(n.opts.Outbox), new(sync.Mutex))
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// New returns a Notifier.
func New(opts Options) *Notifier {
	if opts.OutboxMax <= 0 {
		opts.OutboxMax = DefaultOutboxMax
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.OutboxMaxBytes <= 0 {
		opts.OutboxMaxBytes = DefaultOutboxMaxBytes
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
// holds, through every channel that has not had it yet. The channels are
// sent in parallel, each within the Notifier's timeout, newest digest
// first, so a channel that hangs delays neither the others nor the latest
// news. Deliver returns within the timeout, or as soon as ctx ends (a stop):
// what was not delivered stays in the outbox for the next call. It never
// returns an error: failures are logged. Calls are serialised.
func (n *Notifier) Deliver(ctx context.Context, d *Digest) Result {
	defer n.lockOutbox()()
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
	// outcome[c][i] is what channel c did with queue[i]; only the channel's
	// own goroutine writes its row.
	outcome := make([][]error, len(n.opts.Channels))
	var wg sync.WaitGroup
	for ci, c := range n.opts.Channels {
		outcome[ci] = make([]error, len(queue))
		wg.Go(func() { n.sendAll(ctx, c, queue, outcome[ci]) })
	}
	wg.Wait()

	var keep []*pending
	for i, p := range queue {
		var left []string
		for _, name := range p.Channels {
			ci := slices.IndexFunc(n.opts.Channels, func(c Channel) bool { return c.Name() == name })
			if ci < 0 {
				continue // channel removed from the configuration since
			}
			if err := outcome[ci][i]; err != nil {
				left = append(left, name)
				if !errors.Is(err, errNotTried) {
					p.LastErr = err.Error()
				}
				res.Failed++
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
	entries := make([][]byte, len(keep))
	size := len("[\n]\n")
	for i, p := range keep {
		if entries[i], err = json.MarshalIndent(p, " ", " "); err != nil {
			n.opts.Logger.Error("undelivered notification dropped: it cannot be encoded", slog.String("digest", p.Digest.ID), slog.Any("error", err))
			continue
		}
		size += len(" ,\n") + len(entries[i])
	}
	drop := 0
	for ; drop < len(keep) && size > n.opts.OutboxMaxBytes; drop++ {
		p := keep[drop]
		n.opts.Logger.Error("undelivered notification dropped: the outbox is over its size limit", slog.String("digest", p.Digest.ID),
			slog.Int("outbox_max_bytes", n.opts.OutboxMaxBytes), slog.String("last_error", p.LastErr))
		if entries[drop] != nil {
			size -= len(" ,\n") + len(entries[drop])
		}
	}
	entries = slices.DeleteFunc(entries[drop:], func(e []byte) bool { return e == nil })
	res.Pending = len(entries)
	if err := n.save(entries); err != nil {
		n.opts.Logger.Error("notification outbox not saved", slog.String("outbox", n.opts.Outbox), slog.Any("error", err))
	}
	return res
}

// errNotTried marks a digest a channel had no time left for.
var errNotTried = errors.New("not tried: no time left")

// sendAll sends through c, newest first, every digest of queue that still
// owes c, within the Notifier's timeout, writing each outcome to out (nil =
// delivered; queue entries not owed c stay nil and are not read).
func (n *Notifier) sendAll(ctx context.Context, c Channel, queue []*pending, out []error) {
	ctx, cancel := context.WithTimeout(ctx, n.opts.Timeout)
	defer cancel()
	for i := len(queue) - 1; i >= 0; i-- {
		p := queue[i]
		if !slices.Contains(p.Channels, c.Name()) {
			continue
		}
		if ctx.Err() != nil {
			out[i] = errNotTried
			continue
		}
		if err := c.Send(ctx, p.Digest); err != nil {
			out[i] = err
			n.opts.Logger.Warn("notification not delivered; retried at the next pass",
				slog.String("channel", c.Name()), slog.String("digest", p.Digest.ID), slog.Any("error", err))
		}
	}
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
	for _, p := range q {
		p.Digest.oneLine() // kept by an older version, or edited by hand
	}
	if loc := n.opts.Location; loc != nil {
		for _, p := range q {
			p.Digest.At = p.Digest.At.In(loc)
		}
	}
	return q, nil
}

// save writes the outbox's encoded entries as one JSON array, or removes
// the file when there are none.
func (n *Notifier) save(entries [][]byte) error {
	if n.opts.Outbox == "" {
		return nil
	}
	if len(entries) == 0 {
		if err := os.Remove(n.opts.Outbox); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("empty outbox: %w", err)
		}
		return nil
	}
	return sheet.WriteFileAtomic(n.opts.Outbox, 0o600, func(w io.Writer) error {
		var b bytes.Buffer
		b.WriteString("[\n")
		for i, e := range entries {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(" ")
			b.Write(e)
		}
		b.WriteString("\n]\n")
		_, err := w.Write(b.Bytes())
		return err
	})
}
