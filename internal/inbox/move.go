package inbox

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// maxSuffix bounds the search for a free name.
const maxSuffix = 10000

// suffixed returns name for i == 1, else "base (i).ext".
func suffixed(name string, i int) string {
	if i <= 1 {
		return name
	}
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + " (" + strconv.Itoa(i) + ")" + ext
}

// move moves src into dir under name, or "name (2)…" when taken, and
// returns the new path. It never overwrites.
func move(src, dir, name string) (string, error) {
	for i := 1; i <= maxSuffix; i++ {
		dst := filepath.Join(dir, suffixed(name, i))
		err := place(src, dst)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		return dst, nil
	}
	return "", fmt.Errorf("inbox: no free name for %s in %s", name, dir)
}

// place moves src to dst, which must not exist (fs.ErrExist otherwise),
// then fsyncs both folders.
//
// It links dst to src (link fails when dst exists: no clobbering, even
// against another writer) and removes src. A crash between the two leaves
// the file under both names; Scan finishes such a move. Where hard links are
// not supported it renames after checking that dst is free.
func place(src, dst string) error {
	err := os.Link(src, dst)
	switch {
	case err == nil:
		if err := os.Remove(src); err != nil {
			return fmt.Errorf("inbox: move %s to %s: remove the old name: %w", src, dst, err)
		}
	case errors.Is(err, fs.ErrExist):
		return err
	case errors.Is(err, syscall.EXDEV):
		return fmt.Errorf("inbox: move %s to %s: the folders must be on the same filesystem: %w", src, dst, err)
	default:
		if _, serr := os.Lstat(src); os.IsNotExist(serr) {
			return fmt.Errorf("inbox: move %s: %w", src, ErrGone)
		}
		if _, serr := os.Lstat(dst); serr == nil {
			return fmt.Errorf("inbox: move %s: %w", dst, fs.ErrExist)
		}
		if rerr := os.Rename(src, dst); rerr != nil {
			return fmt.Errorf("inbox: move %s to %s: %w", src, dst, rerr)
		}
	}
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return err
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
