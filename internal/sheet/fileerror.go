package sheet

import "fmt"

// fileError is an error about one input file: its message names the file
// and says what to do next, and it unwraps to a sentinel (ErrDamaged …) and,
// when there is one, the underlying cause.
type fileError struct {
	msg      string
	sentinel error
	cause    error
}

// newFileError builds a fileError whose message is the formatted text,
// followed by ": cause" when cause is not nil.
func newFileError(sentinel, cause error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if cause != nil {
		msg += ": " + cause.Error()
	}
	return &fileError{msg: msg, sentinel: sentinel, cause: cause}
}

// Error returns the message for people.
func (e *fileError) Error() string { return e.msg }

// Unwrap returns the sentinel and the cause, for errors.Is and errors.As.
func (e *fileError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.sentinel}
	}
	return []error{e.sentinel, e.cause}
}

// damaged returns an ErrDamaged error for the file base.
func damaged(base string, cause error) error {
	return newFileError(ErrDamaged, cause,
		"%s is damaged or incomplete (perhaps still being copied): copy it again, or open it in Excel or LibreOffice and save it again", base)
}
