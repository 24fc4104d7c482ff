//go:build !unix

package inbox

import "os"

// links is 1 where the link count is not available: a move interrupted
// between its link and its removal is then not detected by Scan.
func links(os.FileInfo) uint64 { return 1 }

// device is unknown where Stat_t is not available: every folder then counts
// as on processing/'s filesystem, and a move across filesystems still works
// (it copies when the rename says EXDEV).
func device(string) (uint64, bool) { return 0, false }
