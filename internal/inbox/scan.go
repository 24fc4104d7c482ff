package inbox

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Candidate is a file to process (or, from Scan's waiting list, one not
// stable yet).
type Candidate struct {
	Name    string // base name
	Path    string
	Size    int64
	ModTime time.Time
	Resumed bool // left in processing/ by an earlier run
}

// Scan lists the files to process. ready holds the files left in
// processing/ first (Resumed, oldest first), then the stable inbox files,
// oldest first (modification time, then name). waiting holds the inbox files
// not stable yet, for a log line. Skipped names, other extensions, folders,
// symlinks and other non-regular files are left alone (NotOrderFiles lists
// the files of other extensions, for the caller to report).
//
// Scan also finishes a move that a crash interrupted between its hard link
// and the removal of the old name (see move): an inbox file that is the same
// file as one in processing/, or a processing/ file that is the same file as
// one in archive/ or failed/, loses its old name; nothing else is removed.
func (b *Inbox) Scan(ctx context.Context) (ready []Candidate, waiting []Candidate, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()

	processing, err := b.list(ctx, b.opts.Processing)
	if err != nil {
		return nil, nil, err
	}
	var resumed []Candidate
	for _, f := range processing {
		done, err := b.movedOnward(f.info)
		if err != nil {
			return nil, nil, err
		}
		if done {
			if err := removeOldName(f.path); err != nil {
				return nil, nil, err
			}
			continue
		}
		resumed = append(resumed, f.candidate(true))
	}

	inbox, err := b.list(ctx, b.opts.Inbox)
	if err != nil {
		return nil, nil, err
	}
	now := b.opts.Now()
	seen := make(map[string]fileState, len(inbox))
	var fresh []Candidate
	for _, f := range inbox {
		if slices.ContainsFunc(processing, func(p listed) bool { return os.SameFile(p.info, f.info) }) {
			if err := removeOldName(f.path); err != nil {
				return nil, nil, err
			}
			continue
		}
		c := f.candidate(false)
		st := fileState{size: c.Size, modTime: c.ModTime}
		prev, wasSeen := b.seen[c.Name]
		seen[c.Name] = st
		if now.Sub(c.ModTime) >= b.opts.StableAfter && (!wasSeen || prev == st) {
			fresh = append(fresh, c)
		} else {
			waiting = append(waiting, c)
		}
	}
	b.seen = seen

	sortOldestFirst(resumed)
	sortOldestFirst(fresh)
	sortOldestFirst(waiting)
	return append(resumed, fresh...), waiting, nil
}

// listed is one file found by list.
type listed struct {
	path string
	info os.FileInfo
}

func (f listed) candidate(resumed bool) Candidate {
	return Candidate{Name: f.info.Name(), Path: f.path, Size: f.info.Size(), ModTime: f.info.ModTime(), Resumed: resumed}
}

// list returns the regular files of dir that are neither skipped nor of
// another extension.
func (b *Inbox) list(ctx context.Context, dir string) ([]listed, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("inbox: scan %s: %w", dir, err)
	}
	var out []listed
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("inbox: scan %s: %w", dir, err)
		}
		if !e.Type().IsRegular() || !b.wanted(e.Name()) {
			continue
		}
		info, err := e.Info()
		if os.IsNotExist(err) {
			continue // gone since ReadDir
		}
		if err != nil {
			return nil, fmt.Errorf("inbox: scan %s: %w", dir, err)
		}
		out = append(out, listed{path: filepath.Join(dir, e.Name()), info: info})
	}
	return out, nil
}

// wanted reports whether a file named name is for orderdrop.
func (b *Inbox) wanted(name string) bool {
	return !b.skipped(name) && b.exts[strings.ToLower(filepath.Ext(name))]
}

// skipped reports whether name matches a Skip pattern (lock and temporary
// files): left alone and never reported.
func (b *Inbox) skipped(name string) bool {
	for _, p := range b.opts.Skip {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// NotOrderFiles lists, by name, the inbox's regular files that orderdrop
// cannot take: neither order files (Extensions), attachments (Attachments)
// nor skipped (lock and temporary files), e.g. a LibreOffice .ods or a .tsv.
// They are left where they are; the caller reports them, once per pass, so
// that nobody waits for orders that were never going to be read.
func (b *Inbox) NotOrderFiles(ctx context.Context) ([]string, error) {
	entries, err := os.ReadDir(b.opts.Inbox)
	if err != nil {
		return nil, fmt.Errorf("inbox: scan %s: %w", b.opts.Inbox, err)
	}
	var out []string
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("inbox: scan %s: %w", b.opts.Inbox, err)
		}
		name := e.Name()
		ext := strings.ToLower(filepath.Ext(name))
		if !e.Type().IsRegular() || b.skipped(name) || b.exts[ext] || b.atts[ext] {
			continue
		}
		out = append(out, name)
	}
	return out, nil // ReadDir sorts by name
}

func sortOldestFirst(cs []Candidate) {
	slices.SortFunc(cs, func(x, y Candidate) int {
		return cmp.Or(x.ModTime.Compare(y.ModTime), strings.Compare(x.Name, y.Name))
	})
}

// movedOnward reports whether a processing/ file is also in archive/ or
// failed/ under another name: a move that a crash interrupted after the
// link. Only files with several links are looked for.
func (b *Inbox) movedOnward(fi os.FileInfo) (bool, error) {
	if links(fi) < 2 {
		return false, nil
	}
	dirs := []string{b.opts.Failed}
	days, err := os.ReadDir(b.opts.Archive)
	if err != nil {
		return false, fmt.Errorf("inbox: read %s: %w", b.opts.Archive, err)
	}
	for _, d := range days {
		if d.IsDir() {
			dirs = append(dirs, filepath.Join(b.opts.Archive, d.Name()))
		}
	}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return false, fmt.Errorf("inbox: read %s: %w", dir, err)
		}
		for _, e := range entries {
			if !e.Type().IsRegular() {
				continue
			}
			other, err := e.Info()
			if err == nil && os.SameFile(fi, other) {
				return true, nil
			}
		}
	}
	return false, nil
}

// removeOldName removes the old name of a file that a crash left under two
// names; the data stays under the new one.
func removeOldName(p string) error {
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("inbox: finish the interrupted move of %s: %w", p, err)
	}
	return syncDir(filepath.Dir(p))
}
