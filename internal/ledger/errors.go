package ledger

import "errors"

var (
	// ErrLocked is returned by Open when another process holds the ledger
	// file: bbolt's file lock was not obtained within Options.Timeout. The
	// wrapping error reads "another orderdrop is using <path>".
	ErrLocked = errors.New("ledger is locked")

	// ErrNotFound is returned when an order key or a batch ID is unknown to
	// the ledger.
	ErrNotFound = errors.New("not found")

	// ErrSchema is returned by Open when the file is not an orderdrop ledger
	// or its schema version is newer than (or unknown to) this program.
	ErrSchema = errors.New("unsupported ledger schema")

	// ErrDamaged is returned by Open, OpenReadOnly and Backup when the file
	// cannot be read as a ledger: not a bbolt file, truncated, a page
	// zeroed or overwritten. bbolt's checks failed, or it panicked reading
	// the file. The file is left as it was; the way out is a backup.
	ErrDamaged = errors.New("ledger file is damaged")

	// ErrState is returned when a transition is not allowed from an order's
	// current state (for example submitting an order that is already
	// submitted). The wrapping error names the key and both states.
	ErrState = errors.New("transition not allowed")

	// ErrInvalid is returned when an argument is malformed: an empty key or
	// fingerprint, an outcome state that is not an outcome, a Resolution
	// without exactly one of Reference and NotSubmitted, or without By.
	ErrInvalid = errors.New("invalid argument")
)
