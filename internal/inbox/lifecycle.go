package inbox

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

// Claim moves a ready inbox file into processing/ with an atomic rename and
// returns its new path ("name.2.xlsx" when the name is taken there). It
// first re-checks the file: ErrGone when it disappeared, ErrNotStable when
// its size or modification time changed since Scan. A Resumed candidate is
// already in processing/ and is returned as it is (ErrGone if it vanished).
func (b *Inbox) Claim(c Candidate) (string, error) {
	fi, err := os.Lstat(c.Path)
	if os.IsNotExist(err) {
		return "", fmt.Errorf("inbox: claim %s: %w", c.Path, ErrGone)
	}
	if err != nil {
		return "", fmt.Errorf("inbox: claim %s: %w", c.Path, err)
	}
	if c.Resumed {
		return c.Path, nil
	}
	if fi.Size() != c.Size || !fi.ModTime().Equal(c.ModTime) {
		return "", fmt.Errorf("inbox: claim %s: %d bytes modified %s, scanned as %d bytes modified %s: %w",
			c.Path, fi.Size(), fi.ModTime().Format(time.RFC3339Nano), c.Size, c.ModTime.Format(time.RFC3339Nano), ErrNotStable)
	}
	dst, err := move(c.Path, b.opts.Processing, filepath.Base(c.Path))
	if err != nil {
		return "", fmt.Errorf("inbox: claim: %w", err)
	}
	return dst, nil
}

// Archive moves a processed file into archive/YYYY-MM-DD/ (day in
// Options.Location; the folder is created 0750), as "name.2.ext"… on a name
// clash, and returns the new path. archive/ may be on another filesystem:
// the file is then copied, fsynced and put in place before the original is
// removed.
func (b *Inbox) Archive(path string, day time.Time) (string, error) {
	dir := filepath.Join(b.opts.Archive, day.In(b.opts.Location).Format(time.DateOnly))
	if !exists(dir) {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", fmt.Errorf("inbox: archive %s: %w", path, err)
		}
		if err := syncDir(b.opts.Archive); err != nil {
			return "", err
		}
	}
	dst, err := move(path, dir, filepath.Base(path))
	if err != nil {
		return "", fmt.Errorf("inbox: archive: %w", err)
	}
	return dst, nil
}

// errorSuffix is appended to a failed file's name to name its error file.
const errorSuffix = ".error.txt"

// Fail moves an unreadable file into failed/ ("name.2.ext"… on a name
// clash) and writes NAME.error.txt beside it holding reason, which should
// say what was wrong and what to do next. It returns the file's new path.
//
// The error file is written first, crash-safely (temp file in failed/,
// write, Sync, Close, link to its name, fsync the folder); then the file is
// moved. A crash in between leaves the file in processing/, so the next run
// fails it again under a free name.
func (b *Inbox) Fail(path, reason string) (string, error) {
	if !exists(path) {
		return "", fmt.Errorf("inbox: fail %s: %w", path, ErrGone)
	}
	var dst string
	_, err := sheet.FreeName(filepath.Base(path), func(name string) error {
		dst = filepath.Join(b.opts.Failed, name)
		errFile := dst + errorSuffix
		if exists(dst) || exists(errFile) {
			return fs.ErrExist
		}
		if err := writeNew(errFile, []byte(b.errorText(filepath.Base(path), reason))); err != nil {
			return err
		}
		return place(path, dst) // fs.ErrExist: taken meanwhile; its error file stays for the record
	})
	if err != nil {
		return "", fmt.Errorf("inbox: fail %s: %w", path, err)
	}
	return dst, nil
}

// errorText is the content of an error file.
func (b *Inbox) errorText(name, reason string) string {
	var s strings.Builder
	fmt.Fprintf(&s, "orderdrop could not process %q.\n\n", name)
	s.WriteString(strings.TrimSpace(reason))
	fmt.Fprintf(&s, "\n\nThe file was moved here unchanged on %s.\n", b.opts.Now().In(b.opts.Location).Format("2006-01-02 15:04:05 -07:00"))
	fmt.Fprintf(&s, "To try again, correct it and drop it into %s again; nothing of it was sent.\n", b.opts.Inbox)
	return s.String()
}

// writeNew writes data to a new file p, crash-safely and without
// overwriting: fs.ErrExist when p exists.
func writeNew(p string, data []byte) (err error) {
	dir := filepath.Dir(p)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(p)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name()) // our own temp file, never the user's
		}
	}()
	if err := tmp.Chmod(0o640); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return place(tmp.Name(), p)
}
