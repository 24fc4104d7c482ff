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
func WriteFileAtomic(path string, perm os.FileMode, write func(io.Writer) error) error {
	af, err := CreateAtomic(path, perm)
	if err != nil {
		return err
	}
	if err := write(af); err != nil {
		af.Abort()
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return af.Commit()
}

// AtomicFile is a file being written that appears at its path only when
// Commit succeeds, whole (see WriteFileAtomic): for content written bit by
// bit over a long time, such as a report whose rows are written as they
// settle. Until then it is a temporary file ".NAME.tmp-*" beside path.
type AtomicFile struct {
	path string
	perm os.FileMode
	tmp  *os.File
	bw   *bufio.Writer
	done bool
}

// CreateAtomic starts writing path (mode perm once committed).
func CreateAtomic(path string, perm os.FileMode) (*AtomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create temporary file for %s: %w", base, err)
	}
	return &AtomicFile{path: path, perm: perm, tmp: tmp, bw: bufio.NewWriterSize(tmp, 64<<10)}, nil
}

// Write writes to the temporary file.
func (a *AtomicFile) Write(b []byte) (int, error) { return a.bw.Write(b) }

// Commit flushes, fsyncs and closes the temporary file, renames it onto the
// path and fsyncs the folder. On error the temporary file is removed and
// the path untouched.
func (a *AtomicFile) Commit() (err error) {
	if a.done {
		return fmt.Errorf("commit %s: already committed or aborted", filepath.Base(a.path))
	}
	a.done = true
	dir, base := filepath.Split(a.path)
	if dir == "" {
		dir = "."
	}
	tmpName := a.tmp.Name()
	defer func() {
		if err != nil {
			_ = a.tmp.Close() // may already be closed; the error is not news
			_ = os.Remove(tmpName)
		}
	}()
	if err = a.bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", base, err)
	}
	if err = a.tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", base, err)
	}
	if err = a.tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", base, err)
	}
	if err = os.Chmod(tmpName, a.perm); err != nil {
		return fmt.Errorf("chmod %s: %w", base, err)
	}
	if err = os.Rename(tmpName, a.path); err != nil {
		return fmt.Errorf("rename %s into place: %w", base, err)
	}
	if err = syncDir(dir); err != nil {
		return fmt.Errorf("sync folder of %s: %w", base, err)
	}
	return nil
}

// Abort removes the temporary file; the path is untouched. It does nothing
// after Commit or another Abort.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	_ = a.tmp.Close()
	_ = os.Remove(a.tmp.Name())
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
