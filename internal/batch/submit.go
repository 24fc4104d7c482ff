package batch

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/orderdrop/orderdrop/internal/carrier/registry"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
)

// inflightPerConcurrency × concurrency is the sliding window of one kind:
// the most orders marked submitting whose outcome is not yet on disk, hence
// the most a crash can leave in_doubt for that carrier.
const inflightPerConcurrency = 4

// sendKind sends the orders of one kind through a sliding window, in three
// stages running at once:
//   - intents: as soon as window slots are free, one ledger transaction marks
//     every order that fits "submitting" (fsync'd), then hands them to the
//     senders; no request starts before its order's record is on disk;
//   - senders: concurrency goroutines send one order each (sendOne);
//   - outcomes: one ledger transaction records every outcome that arrived
//     while the previous commit ran, then frees their slots.
//
// Commits therefore group themselves by how fast the carrier answers, and
// no sender waits for a window's slowest request (DESIGN §9).
func (p *pass) sendKind(ctx context.Context, kind order.Kind, in <-chan *item) error {
	sub := p.opts.Carriers[kind]
	conc := p.opts.concurrency(kind)
	window := inflightPerConcurrency * conc
	// Requests already sent finish even when ctx is cancelled (a graceful
	// stop; the carrier clients' own timeouts bound them), but an order
	// waiting to be retried gives up at once (ctx.Done() is the retry stop
	// given with each order): it surely was not processed.
	sendCtx := context.WithoutCancel(ctx)

	var (
		slots    = make(chan struct{}, window) // one per order submitting without a recorded outcome
		ready    = make(chan *item, window)    // submitting on disk, to send
		outcomes = make(chan ledger.Outcome, window)
		abort    = make(chan struct{}) // closed when the ledger fails: stop sending
		// firstDone is closed once the first order's outcome is on disk.
		firstDone = make(chan struct{})
		firstOnce sync.Once
		once      sync.Once
		failure   error
	)
	fail := func(err error) {
		once.Do(func() { failure = err; close(abort) })
	}
	aborted := func() bool {
		select {
		case <-abort:
			return true
		default:
			return false
		}
	}

	var wg sync.WaitGroup
	wg.Go(func() { // intents; ends when in is closed and drained
		defer close(ready)
		// rest settles the orders never marked submitting, this group's and
		// every later one, so that the checker never blocks on in.
		rest := func(group []*item, settle func([]*item)) {
			settle(group)
			for it := range in {
				settle([]*item{it})
			}
		}
		first := true
		for it := range in {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				rest([]*item{it}, p.stopBefore)
				return
			case <-abort:
				rest([]*item{it}, p.stopBefore)
				return
			}
			group := []*item{it}
		grab:
			for !first && len(group) < window { // the first order goes alone
				select {
				case slots <- struct{}{}:
				default:
					break grab
				}
				select {
				case more, ok := <-in:
					if ok {
						group = append(group, more)
						continue
					}
				default:
				}
				<-slots // no order waiting: give the slot back
				break grab
			}
			if ctx.Err() != nil {
				rest(group, p.stopBefore)
				return
			}
			if _, stopped := p.avail.stops.Get(kind); stopped { // credentials refused or unreachable (outage.go)
				rest(group, p.holdBefore)
				return
			}
			place := p.opts.Places[kind]
			if place.Environment == "" {
				place.Environment = ledger.Production
			}
			intents := make([]ledger.Intent, len(group))
			for i, it := range group {
				intents[i] = ledger.Intent{Key: it.o.Key, Kind: string(it.o.Kind), Carrier: registry.CarrierOf(kind), Ref: it.o.Ref,
					Fingerprint: it.o.Fingerprint, BatchID: p.batch.ID, Fields: it.o.Fields(),
					File: p.opts.source(p.path), Sheet: it.tab.name, Rows: it.o.Rows,
					Environment: place.Environment, BaseURL: place.BaseURL}
			}
			if err := p.opts.Ledger.BeginSubmits(intents); err != nil {
				fail(fmt.Errorf("%w: mark %d %s orders submitting: %w", errLedger, len(group), kind, err))
				rest(group, p.stopBefore)
				return
			}
			p.marked.Add(int64(len(group)))
			for _, it := range group {
				ready <- it // never blocks: ready holds as many as there are slots
			}
			if first {
				// The first order of a kind goes alone and is answered
				// before the rest: a carrier that refuses the credentials or
				// cannot be reached is then asked once, and the stop above
				// holds the rest (outage.go).
				first = false
				select {
				case <-firstDone:
				case <-abort:
					rest(nil, p.stopBefore)
					return
				}
			}
		}
	})

	var senders sync.WaitGroup
	for range conc {
		senders.Go(func() { // ends when ready is closed and drained
			for it := range ready {
				if ctx.Err() != nil || aborted() { // stopping: this one was never sent
					outcomes <- ledger.Outcome{Key: it.o.Key, State: ledger.Retryable, Message: "not sent: orderdrop was stopping"}
					p.settleItem(it, rowState{status: NotSubmitted, message: "not sent: orderdrop was stopping; the next run sends it"})
					p.markInterrupted()
					continue
				}
				if st, ok := p.held(it); ok { // its carrier was stopped meanwhile: never sent
					outcomes <- ledger.Outcome{Key: it.o.Key, State: ledger.Retryable, Message: st.message}
					p.settleItem(it, st)
					continue
				}
				outcomes <- p.sendOne(sendCtx, ctx.Done(), sub, it)
			}
		})
	}
	wg.Go(func() { senders.Wait(); close(outcomes) })

	wg.Go(func() { // outcomes; ends when every sender is done
		var group []ledger.Outcome
		for out := range outcomes {
			group = append(group[:0], out)
		more:
			for {
				select {
				case o, ok := <-outcomes:
					if !ok {
						break more
					}
					group = append(group, o)
				default:
					break more
				}
			}
			if aborted() {
				continue // the ledger failed: drain, so that the senders can end
			}
			if err := p.opts.Ledger.RecordOutcomes(group); err != nil {
				fail(fmt.Errorf("%w: record %d %s outcomes: %w", errLedger, len(group), kind, err))
				continue
			}
			for range group {
				<-slots
			}
			firstOnce.Do(func() { close(firstDone) })
		}
	})
	wg.Wait()
	return failure
}

// sendOne submits one order and settles its rows. The returned outcome is
// recorded in the ledger by the caller, with the others of its group. Once
// stop is closed, the carrier makes no further retry.
func (p *pass) sendOne(ctx context.Context, stop <-chan struct{}, sub Submitter, it *item) ledger.Outcome {
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
	res := sub.Submit(ctx, it.o, carrier.Submission{Checkpoint: cp, Save: save, Stop: stop})
	out := ledger.Outcome{Key: key, Reference: res.Reference, Message: res.Message, Attempts: res.Attempts}
	now := p.opts.now()
	st, unavailable := p.carrierOutcome(it, res) // refused credentials, unreachable, busy (outage.go)
	switch {
	case unavailable:
		out.State = ledger.Retryable // nothing was created: a later pass sends it
	case res.Class == carrier.Accepted:
		out.State = ledger.Submitted
		st = rowState{status: Submitted, reference: res.Reference, at: now, message: notes(it, res.Message)}
	case res.Class == carrier.Rejected:
		out.State = ledger.Rejected
		st = rowState{status: Rejected, message: fmt.Sprintf("rejected by %s: %s — nothing was created; correct the row and drop the file again", registry.CarrierOf(it.o.Kind), res.Message)}
	default:
		out.State = ledger.InDoubt
		st = rowState{status: InDoubt, message: fmt.Sprintf("%s; the order may exist at %s and is never resent automatically. Check with %s, then run: orderdrop resolve %q --reference REF (or --not-submitted)",
			res.Message, registry.CarrierOf(it.o.Kind), registry.CarrierOf(it.o.Kind), key)}
	}
	if p.opts.Logger != nil {
		p.opts.Logger.Debug("order outcome", slog.String("key", key), slog.String("class", res.Class.String()),
			slog.String("reference", res.Reference), slog.Int("attempts", res.Attempts))
	}
	p.settleItem(it, st)
	return out
}

func (p *pass) settleItem(it *item, st rowState) {
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
