package sheet

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file so that path holds either its old content or
// the complete new one, even across a crash: write fills a temporary file in
// the same folder (".NAME.tmp-*"), which is flushed, fsynced, closed, given
// perm, renamed onto path, and then the folder itself is fsynced so the
// rename survives a power loss. On any error the temporary file is removed
// and path is untouched.
func WriteFileAtomic(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file for %s: %w", base, err)
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			_ = tmp.Close() // may already be closed; the error is not news
			_ = os.Remove(tmpName)
		}
	}()

	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err = write(bw); err != nil {
		return fmt.Errorf("write %s: %w", base, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", base, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", base, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", base, err)
	}
	if err = os.Chmod(tmpName, perm); err != nil {
		return fmt.Errorf("chmod %s: %w", base, err)
	}
	if err = os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("rename %s into place: %w", base, err)
	}
	if err = syncDir(dir); err != nil {
		return fmt.Errorf("sync folder of %s: %w", base, err)
	}
	return nil
}

// syncDir fsyncs a folder so a rename inside it is durable. File systems
// that cannot sync a folder (EINVAL) are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, os.ErrInvalid) {
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
