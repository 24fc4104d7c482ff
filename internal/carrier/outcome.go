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
	// AuthRefused: the carrier refused orderdrop's credentials (HTTP 401 or
	// 403; for Prizz after its one token renewal). Nothing was processed and
	// nothing is wrong with the order: the configuration is. The caller stops
	// using that carrier for the rest of the pass and sends the order again
	// once the credentials are right.
	AuthRefused
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
	case AuthRefused:
		return "auth_refused"
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
	// Unreachable is set when the Class is Retryable because the carrier
	// could not be reached at all (connection refused, DNS, TLS, connect
	// timeout): the short reason, e.g. "connection refused". "" otherwise.
	Unreachable string
}
