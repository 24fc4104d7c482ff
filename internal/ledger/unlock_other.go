//go:build !unix

package ledger

import "os"

// unlock does nothing where bbolt's lock is not a flock: closing the file
// releases it.
func unlock(*os.File) {}
