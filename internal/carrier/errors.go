package carrier

import (
	"errors"
	"fmt"
	"time"
)

var (
	// ErrInsecureURL is returned when a base URL is not https and its host is
	// not loopback (127.0.0.0/8, ::1, localhost).
	ErrInsecureURL = errors.New("base URL must use https (plain http is allowed for loopback only)")
	// ErrBadBaseURL is returned when a base URL cannot be parsed or has no host.
	ErrBadBaseURL = errors.New("invalid base URL")
	// ErrMissingCredentials is returned when a carrier client is built without
	// the credentials it needs.
	ErrMissingCredentials = errors.New("missing carrier credentials")
	// ErrRejected is returned (wrapped in *Error) when the carrier refused the
	// request; errors.Is(err, ErrRejected) reports it.
	ErrRejected = errors.New("rejected by carrier")
	// ErrRetryable is returned (wrapped in *Error) when the request surely was
	// not processed and the retry budget is spent.
	ErrRetryable = errors.New("not processed, retry later")
	// ErrInDoubt is returned (wrapped in *Error) when the request may have been
	// processed; it must never be resent automatically.
	ErrInDoubt = errors.New("outcome unknown")
	// ErrAuthRefused is returned (wrapped in *Error) when the carrier refused
	// the credentials (HTTP 401 or 403); errors.Is(err, ErrAuthRefused)
	// reports it.
	ErrAuthRefused = errors.New("credentials refused by carrier")
)

// Error is the classified failure of one call made through HTTP.Do.
type Error struct {
	Class    Class  // Rejected, Retryable, InDoubt or AuthRefused
	Status   int    // HTTP status; 0 when no response was read
	Message  string // the carrier's words, or what happened; never credentials
	Attempts int    // HTTP attempts made, counting the first
	Err      error  // underlying transport error, if any

	retry       bool          // this attempt may be retried
	retryAfter  time.Duration // how long the carrier asked to wait (Retry-After)
	unreachable string        // why the carrier could not be reached at all; "" when it was
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Class, e.Message)
}

// Unwrap returns the transport error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrRejected / ErrRetryable / ErrInDoubt) match the class.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrRejected:
		return e.Class == Rejected
	case ErrRetryable:
		return e.Class == Retryable
	case ErrInDoubt:
		return e.Class == InDoubt
	case ErrAuthRefused:
		return e.Class == AuthRefused
	}
	return false
}

// UnreachableReason reports whether err says the carrier could not be
// reached at all (connection refused, DNS, TLS, connect timeout: nothing
// was sent), with the short reason ("connection refused").
func UnreachableReason(err error) (string, bool) {
	var ce *Error
	if errors.As(err, &ce) && ce.unreachable != "" {
		return ce.unreachable, true
	}
	return "", false
}

// ClassOf returns the class of an error returned by HTTP.Do or by a carrier
// client. An error that is not an *Error (a programming or local error, such
// as a body that cannot be encoded) happened before anything was sent: it is
// Rejected, so the row is reported and never silently retried.
func ClassOf(err error) Class {
	if err == nil {
		return Accepted
	}
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Class
	}
	return Rejected
}

// ResultOf turns a failed call into the Result of an order submission. op
// names the step ("create cart") and prefixes the message.
func ResultOf(op string, err error) Result {
	var ce *Error
	if errors.As(err, &ce) {
		msg := ce.Message
		if op != "" {
			msg = op + ": " + msg
		}
		return Result{Class: ce.Class, Message: msg, Attempts: ce.Attempts, Unreachable: ce.unreachable}
	}
	msg := err.Error()
	if op != "" {
		msg = op + ": " + msg
	}
	return Result{Class: ClassOf(err), Message: msg}
}

// LookupFailed is the Result of an order whose submission stopped because
// a reference-data lookup it needs (Netwo prefixes, Thinktel offerings)
// failed: nothing was sent and nothing is wrong with the order, so it is
// never Rejected. Refused credentials stay AuthRefused; everything else is
// Retryable. op names the lookup and prefixes the message.
func LookupFailed(op string, err error) Result {
	r := ResultOf(op, err)
	if r.Class != AuthRefused {
		r.Class = Retryable
	}
	return r
}

// Rejection is the Result of an order refused before anything was sent.
func Rejection(format string, args ...any) Result {
	return Result{Class: Rejected, Message: fmt.Sprintf(format, args...)}
}
