package ledger

// State is where an order stands in the ledger.
//
// The transitions (see the methods below, the only place they are decided):
//
//	(new), not_submitted, retryable, rejected ──BeginSubmits──▶ submitting
//	submitted then rejected/cancelled at the carrier ──BeginSubmits──▶ submitting (next attempt)
//	submitting ──RecordOutcomes──▶ submitted | rejected | in_doubt | retryable
//	submitting ──MarkInDoubt─────▶ in_doubt
//	submitting, in_doubt ──Resolve──▶ submitted | not_submitted
//	submitting ──SaveCheckpoint──▶ submitting (progress only)
//
// Everything else is refused with ErrState.
type State string

const (
	// Submitting means the intent is on disk and the request may be in
	// flight. An order found in this state by a new run was interrupted by a
	// crash.
	Submitting State = "submitting"
	// Submitted means the carrier accepted the order; Order.Reference holds
	// its reference.
	Submitted State = "submitted"
	// Rejected means the carrier refused the order; nothing was created.
	Rejected State = "rejected"
	// InDoubt means the request may or may not have reached the carrier; it
	// is never resent automatically. A carrier lookup that finds it, or an
	// operator, resolves it (Resolve).
	InDoubt State = "in_doubt"
	// NotSubmitted means an operator (or, when so configured, orderdrop once
	// the settle time passed with no lookup finding it) said the request
	// never reached the carrier: it may be sent again.
	NotSubmitted State = "not_submitted"
	// Retryable means the request surely was not processed (connection
	// refused, 429, 503 after the retries ran out): it may be sent again.
	Retryable State = "retryable"
)

// canBegin reports whether an order in state s (the zero State for an order
// the ledger has never seen) may start a new submission.
func (s State) canBegin() bool {
	// A rejected order created nothing at the carrier, so it may be sent
	// again; the batch does so only when its content changed.
	return s == "" || s == NotSubmitted || s == Retryable || s == Rejected
}

// isOutcome reports whether s may be recorded as the outcome of a request.
func (s State) isOutcome() bool {
	switch s {
	case Submitted, Rejected, InDoubt, Retryable:
		return true
	}
	return false
}

// canResolve reports whether an operator may settle an order in state s.
func (s State) canResolve() bool {
	return s == InDoubt || s == Submitting
}
