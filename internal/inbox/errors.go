package inbox

import "errors"

var (
	// ErrNotStable is returned by Claim when the file's size or modification
	// time changed since Scan: it is still being written. Try again on a
	// later Scan.
	ErrNotStable = errors.New("file changed since it was scanned (still being written?)")

	// ErrGone is returned by Claim (and the moves) when the file disappeared
	// before it could be moved.
	ErrGone = errors.New("file disappeared")
)
