package pass

import "fmt"

// Exit codes of a pass (DESIGN §5). The command line maps an *Error to the
// process's exit status; a pass's own result is one of these.
const (
	OK        = 0 // all good
	Attention = 1 // done, but some rows or files need attention
	Usage     = 2 // configuration error
	Fatal     = 3 // could not run (ledger locked, damaged, unwritable…)
)

// Error is an error that ends a pass, carrying the exit code it means, as
// restic's fatal errors do: the command line maps it, the pass never exits.
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// fatal is err ending the pass with exit code 3.
func fatal(err error) error { return &Error{Code: Fatal, Err: err} }
