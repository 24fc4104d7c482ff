package inbox

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

// sys holds the system calls a move makes. Tests replace them to simulate
// folders on another filesystem (EXDEV) or a disk that fails.
var sys = struct {
	link, rename func(oldpath, newpath string) error
	copy         func(dst io.Writer, src io.Reader) (int64, error)
}{os.Link, os.Rename, io.Copy}

// move moves src into dir under name, or "name.2.ext"… when taken (see
// sheet.FreeName), and returns the new path. It never overwrites.
func move(src, dir, name string) (string, error) {
	got, err := sheet.FreeName(name, func(n string) error { return place(src, filepath.Join(dir, n)) })
	if err != nil {
		return "", fmt.Errorf("inbox: move %s to %s: %w", src, dir, err)
	}
	return filepath.Join(dir, got), nil
}

// place moves src to dst, which must not exist (fs.ErrExist otherwise),
// then fsyncs both folders.
//
// Within one filesystem it links dst to src (link fails when dst exists:
// no clobbering, even against another writer) and removes src. A crash
// between the two leaves the file under both names; Scan finishes such a
// move. Where hard links are not supported it renames after checking that
// dst is free. Across filesystems (EXDEV) it copies: see copyAcross.
func place(src, dst string) error {
	err := placeLocal(src, dst)
	if errors.Is(err, syscall.EXDEV) {
		return copyAcross(src, dst)
	}
	return err
}

// placeLocal is place within one filesystem; EXDEV is returned as it is.
func placeLocal(src, dst string) error {
	err := sys.link(src, dst)
	switch {
	case err == nil:
		if err := os.Remove(src); err != nil {
			return fmt.Errorf("inbox: move %s to %s: remove the old name: %w", src, dst, err)
		}
	case errors.Is(err, fs.ErrExist):
		return err
	case errors.Is(err, syscall.EXDEV):
		return fmt.Errorf("inbox: move %s to %s: %w", src, dst, err)
	default:
		if _, serr := os.Lstat(src); os.IsNotExist(serr) {
			return fmt.Errorf("inbox: move %s: %w", src, ErrGone)
		}
		if _, serr := os.Lstat(dst); serr == nil {
			return fmt.Errorf("inbox: move %s: %w", dst, fs.ErrExist)
		}
		if rerr := sys.rename(src, dst); rerr != nil {
			return fmt.Errorf("inbox: move %s to %s: %w", src, dst, rerr)
		}
	}
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return err
	}
	return syncDir(filepath.Dir(src))
}

// copyAcross moves src to dst on another filesystem: it copies src to a
// temporary file in dst's folder, fsyncs it, gives it src's mode and
// modification time, puts it in place under dst without overwriting (a
// link, as placeLocal does), fsyncs the folder, and only then removes src.
// On an error before dst is in place, the temporary file is removed and src
// is untouched. A crash after dst is in place but before src is removed
// leaves the file under both names, on two filesystems; nothing is lost.
func copyAcross(src, dst string) (err error) {
	in, err := os.Open(src)
	if os.IsNotExist(err) {
		return fmt.Errorf("inbox: move %s: %w", src, ErrGone)
	}
	if err != nil {
		return fmt.Errorf("inbox: copy %s to another filesystem: %w", src, err)
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return fmt.Errorf("inbox: copy %s to another filesystem: %w", src, err)
	}
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("inbox: move %s: %w", dst, fs.ErrExist)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return fmt.Errorf("inbox: copy %s to %s: %w", src, filepath.Dir(dst), err)
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			_ = tmp.Close()        // may be closed already
			_ = os.Remove(tmpName) // our own temporary file, never the user's
		}
	}()
	if _, err = sys.copy(tmp, in); err != nil {
		return fmt.Errorf("inbox: copy %s to %s: %w", src, filepath.Dir(dst), err)
	}
	if err = tmp.Chmod(fi.Mode().Perm()); err != nil {
		return fmt.Errorf("inbox: copy %s: %w", src, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("inbox: copy %s: %w", src, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("inbox: copy %s: %w", src, err)
	}
	if err = os.Chtimes(tmpName, fi.ModTime(), fi.ModTime()); err != nil {
		return fmt.Errorf("inbox: copy %s: %w", src, err)
	}
	if err = placeLocal(tmpName, dst); err != nil {
		return err // fs.ErrExist: taken meanwhile, the caller picks another name
	}
	if err := os.Remove(src); err != nil {
		return fmt.Errorf("inbox: move %s to %s: copied, but the old name could not be removed: %w", src, dst, err)
	}
	return syncDir(filepath.Dir(src))
}

// syncDir fsyncs a folder, making the entries just created or removed in it
// durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("inbox: sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("inbox: sync %s: %w", dir, err)
	}
	return nil
}

// exists reports whether p names anything (even a broken symlink).
func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
