// Package carrier holds what the three carrier clients share: the outcome
// classes of a call, the HTTP plumbing (timeouts, retries, rate limits,
// masking) and the errors they report.
package carrier

// Class says what a carrier call did, as far as orderdrop can know.
type Class int

const (
	// Accepted: the carrier created the order; Result.Reference holds its reference.
	Accepted Class = iota + 1
	// Rejected: the carrier said no (4xx or a business rejection); nothing was created.
	Rejected
	// Retryable: the request surely was not processed (connection refused
	// before sending, 429, 503) and the retry budget is spent; safe to send again later.
	Retryable
	// InDoubt: the request may have been processed (timeout or another 5xx
	// after sending, unreadable success body). Never resent automatically.
	InDoubt
)

func (c Class) String() string {
	switch c {
	case Accepted:
		return "accepted"
	case Rejected:
		return "rejected"
	case Retryable:
		return "retryable"
	case InDoubt:
		return "in_doubt"
	}
	return "unknown"
}

// Checkpoint holds what a multi-step submission has done so far (Netwo:
// "cart_id", "cart_line_id"). The caller persists it before the next step so a
// crash resumes from the last step instead of starting over.
type Checkpoint map[string]string

// Result is the single outcome of submitting one order.
type Result struct {
	Class     Class
	Reference string // carrier reference when Accepted
	Message   string // carrier's words, or what happened; never credentials
	Attempts  int    // HTTP attempts made for the final step
}
