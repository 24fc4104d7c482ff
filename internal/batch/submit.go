package batch

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
)

// submit sends every planned order, one goroutine per kind, each kind in
// windows of 2×concurrency orders: one ledger transaction marks a whole
// window "submitting" before any of its requests starts, one records its
// outcomes after. A crash therefore leaves at most one window per carrier
// in_doubt, and the ledger commits stay grouped (DESIGN §9).
func (p *pass) submit(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(p.send))
	for kind, items := range p.send {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.sendKind(ctx, kind, items); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs // nil when the channel is empty
}

func (p *pass) sendKind(ctx context.Context, kind order.Kind, items []*item) error {
	sub := p.opts.Carriers[kind]
	conc := p.opts.concurrency(kind)
	window := 2 * conc
	// Requests already sent finish even when ctx is cancelled (a graceful
	// stop; the carrier clients' own timeouts bound them), but an order
	// waiting to be retried gives up at once: it surely was not processed.
	sendCtx := carrier.WithRetryStop(context.WithoutCancel(ctx), ctx.Done())
	for start, size := 0, 1; start < len(items); start, size = start+size, window {
		// The first order of a kind goes alone (size 1): a carrier that
		// refuses the credentials or cannot be reached is then asked once,
		// and the rest is held by the stop below (outage.go).
		end := min(start+size, len(items))
		chunk := items[start:end]
		if ctx.Err() != nil {
			p.stopBefore(items[start:])
			return nil
		}
		if _, stopped := p.avail.stops.Get(kind); stopped {
			p.holdBefore(items[start:])
			return nil
		}
		intents := make([]ledger.Intent, len(chunk))
		for i, it := range chunk {
			intents[i] = ledger.Intent{Key: it.o.Key, Kind: string(it.o.Kind), Carrier: kind.Carrier(), Ref: it.o.Ref,
				Fingerprint: it.o.Fingerprint, BatchID: p.batch.ID, Fields: it.o.Fields,
				File: p.opts.source(p.path), Sheet: it.tab.t.Name, Rows: it.o.Rows}
		}
		if err := p.opts.Ledger.BeginSubmits(intents); err != nil {
			return fmt.Errorf("%w: mark %d %s orders submitting: %w", errLedger, len(chunk), kind, err)
		}
		outs := make([]ledger.Outcome, len(chunk))
		sem := make(chan struct{}, conc)
		var wg sync.WaitGroup
		for i, it := range chunk {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				if ctx.Err() != nil { // stopping: this one was never sent
					outs[i] = ledger.Outcome{Key: it.o.Key, State: ledger.Retryable, Message: "not sent: orderdrop was stopping"}
					p.settleItem(it, rowState{status: NotSubmitted, message: "not sent: orderdrop was stopping; the next run sends it"})
					p.markInterrupted()
					return
				}
				if st, ok := p.held(it); ok { // its carrier was stopped meanwhile: never sent
					outs[i] = ledger.Outcome{Key: it.o.Key, State: ledger.Retryable, Message: st.message}
					p.settleItem(it, st)
					return
				}
				outs[i] = p.sendOne(sendCtx, sub, it)
			}()
		}
		wg.Wait()
		if err := p.opts.Ledger.RecordOutcomes(outs); err != nil {
			return fmt.Errorf("%w: record %d %s outcomes: %w", errLedger, len(outs), kind, err)
		}
	}
	return nil
}

// sendOne submits one order and settles its rows. The returned outcome is
// recorded in the ledger by the caller, with the rest of its window.
func (p *pass) sendOne(ctx context.Context, sub Submitter, it *item) ledger.Outcome {
	// Resume a multi-step submission only for the very same content: the
	// ledger drops the checkpoint when the fingerprint changes, and a
	// corrected row must never be ordered on the cart of its old content.
	var cp carrier.Checkpoint
	if p := it.prior; p != nil && len(p.Checkpoint) > 0 && p.Fingerprint == it.o.Fingerprint {
		cp = carrier.Checkpoint(p.Checkpoint)
	}
	key := it.o.Key
	save := func(_ context.Context, c carrier.Checkpoint) error {
		return p.opts.Ledger.SaveCheckpoint(key, c)
	}
	res := sub.Submit(ctx, it.o, cp, save)
	out := ledger.Outcome{Key: key, Reference: res.Reference, Message: res.Message, Attempts: res.Attempts}
	now := p.opts.now()
	st, unavailable := p.carrierOutcome(it, res) // refused credentials, unreachable, busy (outage.go)
	switch {
	case unavailable:
		out.State = ledger.Retryable // nothing was created: a later pass sends it
	case res.Class == carrier.Accepted:
		out.State = ledger.Submitted
		st = rowState{status: Submitted, reference: res.Reference, at: now, message: notes(it.tab, it.o, res.Message)}
	case res.Class == carrier.Rejected:
		out.State = ledger.Rejected
		st = rowState{status: Rejected, message: fmt.Sprintf("rejected by %s: %s — nothing was created; correct the row and drop the file again", it.o.Kind.Carrier(), res.Message)}
	default:
		out.State = ledger.InDoubt
		st = rowState{status: InDoubt, message: fmt.Sprintf("%s; the order may exist at %s and is never resent automatically. Check with %s, then run: orderdrop resolve %q --reference REF (or --not-submitted)",
			res.Message, it.o.Kind.Carrier(), it.o.Kind.Carrier(), key)}
	}
	if p.opts.Logger != nil {
		p.opts.Logger.Debug("order outcome", slog.String("key", key), slog.String("class", res.Class.String()),
			slog.String("reference", res.Reference), slog.Int("attempts", res.Attempts))
	}
	p.settleItem(it, st)
	return out
}

func (p *pass) settleItem(it *item, st rowState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.settleOrder(it.tab, it.o, st)
}

func (p *pass) markInterrupted() {
	p.mu.Lock()
	p.interrupted = true
	p.mu.Unlock()
}

// holdBefore settles orders never marked submitting whose carrier is
// stopped for the pass: nothing to record.
func (p *pass) holdBefore(items []*item) {
	for _, it := range items {
		if st, ok := p.held(it); ok {
			p.settleItem(it, st)
		}
	}
}

// stopBefore settles orders never marked submitting: nothing to record.
func (p *pass) stopBefore(items []*item) {
	for _, it := range items {
		p.settleItem(it, rowState{status: NotSubmitted, message: "not sent: orderdrop was stopping; the next run sends it"})
	}
	p.markInterrupted()
}
