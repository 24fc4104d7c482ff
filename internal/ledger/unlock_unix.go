//go:build unix

package ledger

import (
	"os"
	"syscall"
)

// unlock releases bbolt's flock on f. Closing f is not enough once bbolt
// has mapped the file: the mapping keeps the open file, and its lock,
// alive until it is unmapped.
func unlock(f *os.File) {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
