// Package inbox owns the folders of DESIGN §4 and a file's way through them:
//
//	inbox/ → (stable, not a lock or temp file, claimed by an atomic rename)
//	processing/ → archive/YYYY-MM-DD/ (read) or failed/ (with NAME.error.txt)
//
// Nothing is ever deleted or overwritten: every move picks a free name
// ("name.2.xlsx" on a clash) and fsyncs the folders. A file left in
// processing/ by a crash is offered again by the next Scan as Resumed.
package inbox

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configures New. Only the four folders are required.
type Options struct {
	// Inbox, Processing, Archive and Failed are the folders; New creates
	// the missing ones (0750) and checks that each is writable. Moves
	// between folders on one filesystem are atomic; a folder on another
	// filesystem than processing/ (see OtherFilesystems) is reached by copy,
	// fsync, link into place, then removal of the original.
	Inbox, Processing, Archive, Failed string
	// StableAfter: a file is stable when its modification time is at least
	// this old AND, if this Inbox saw it in its previous Scan, its size and
	// modification time are unchanged since. 0 (or negative) means 30s.
	StableAfter time.Duration
	// Skip lists path.Match patterns on the base name of files to leave
	// alone and never report. nil means DefaultSkip; an empty non-nil slice
	// skips nothing.
	Skip []string
	// Extensions lists the extensions (case-insensitive, with the dot) of
	// the files to process; Scan leaves other files alone (NotOrderFiles
	// lists those that are not attachments either). nil means
	// DefaultExtensions.
	Extensions []string
	// Attachments lists the extensions (case-insensitive, with the dot) of
	// files dropped beside order files for them to name (loa_file): left
	// alone, like the skipped ones. Files of neither kind are listed by
	// NotOrderFiles. nil means DefaultAttachments.
	Attachments []string
	// Now is the clock. nil means time.Now.
	Now func() time.Time
	// Location is the time zone of archive/ day folders and of the times in
	// error files. nil means time.Local.
	Location *time.Location
}

// DefaultSkip returns the patterns skipped when Options.Skip is nil: office
// lock files, temporary and partial downloads, dot-files.
func DefaultSkip() []string { return []string{"~$*", ".~lock.*#", "*.tmp", "*.part", ".*"} }

// DefaultExtensions returns the extensions processed when
// Options.Extensions is nil.
func DefaultExtensions() []string { return []string{".csv", ".xlsx", ".xlsm", ".xls", ".txt"} }

// DefaultAttachments returns the attachment extensions when
// Options.Attachments is nil: PDF letters of authorization.
func DefaultAttachments() []string { return []string{".pdf"} }

// defaultStableAfter is StableAfter's zero value meaning.
const defaultStableAfter = 30 * time.Second

// Inbox scans the inbox and moves files through the folders. It is safe
// for concurrent use, but one process should own the folders at a time
// (orderdrop's ledger lock ensures it).
type Inbox struct {
	opts Options // with defaults applied
	exts map[string]bool
	atts map[string]bool // attachment extensions

	mu   sync.Mutex
	seen map[string]fileState // inbox files of the previous Scan, by name

	otherFS []string // folders not on processing/'s filesystem, by name
}

// fileState is what stability is judged on.
type fileState struct {
	size    int64
	modTime time.Time
}

// New checks opts, applies the defaults and creates the missing folders.
func New(opts Options) (*Inbox, error) {
	dirs := []struct{ name, dir string }{
		{"inbox", opts.Inbox}, {"processing", opts.Processing}, {"archive", opts.Archive}, {"failed", opts.Failed},
	}
	for _, d := range dirs {
		if d.dir == "" {
			return nil, fmt.Errorf("inbox: the %s folder is not set", d.name)
		}
		if err := CheckFolder(d.name, d.dir); err != nil {
			return nil, err
		}
	}
	var otherFS []string
	if procDev, ok := device(opts.Processing); ok {
		for _, d := range dirs {
			if dev, ok := device(d.dir); ok && dev != procDev {
				otherFS = append(otherFS, d.name)
			}
		}
	}
	if opts.StableAfter <= 0 {
		opts.StableAfter = defaultStableAfter
	}
	if opts.Skip == nil {
		opts.Skip = DefaultSkip()
	}
	for _, p := range opts.Skip {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("inbox: skip pattern %q: %w", p, err)
		}
	}
	if opts.Extensions == nil {
		opts.Extensions = DefaultExtensions()
	}
	exts := make(map[string]bool, len(opts.Extensions))
	for _, e := range opts.Extensions {
		if !strings.HasPrefix(e, ".") {
			return nil, fmt.Errorf("inbox: extension %q: %w", e, errors.New("must start with a dot"))
		}
		exts[strings.ToLower(e)] = true
	}
	if opts.Attachments == nil {
		opts.Attachments = DefaultAttachments()
	}
	atts := make(map[string]bool, len(opts.Attachments))
	for _, e := range opts.Attachments {
		if !strings.HasPrefix(e, ".") {
			return nil, fmt.Errorf("inbox: attachment extension %q: %w", e, errors.New("must start with a dot"))
		}
		atts[strings.ToLower(e)] = true
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	return &Inbox{opts: opts, exts: exts, atts: atts, seen: map[string]fileState{}, otherFS: otherFS}, nil
}

// Dir returns the inbox folder (attachments such as LOA PDFs are read from
// there).
func (b *Inbox) Dir() string { return b.opts.Inbox }

// OtherFilesystems names the folders ("inbox", "archive", "failed") that are
// not on the filesystem of processing/, as New found them: moves to and from
// them copy the file instead of renaming it. nil when all are on one.
func (b *Inbox) OtherFilesystems() []string { return slices.Clone(b.otherFS) }

// CheckFolder makes sure dir exists (creating it and its parents 0750) and
// that a file can be created in it; name ("archive", "reports"…) is how the
// error names it. The error says what to do.
func CheckFolder(name, dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("inbox: the %s folder %s does not exist and cannot be created (%w): create it or set %s in the configuration to a folder orderdrop can write to", name, dir, err, name)
	}
	f, err := os.CreateTemp(dir, ".orderdrop-check-*.tmp")
	if err != nil {
		return fmt.Errorf("inbox: the %s folder %s is not writable (%w): give the user running orderdrop write access to it", name, dir, err)
	}
	_ = f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return fmt.Errorf("inbox: the %s folder %s: remove the check file %s: %w", name, dir, filepath.Base(f.Name()), err)
	}
	return nil
}

// Skipped reports whether name matches one of the skip patterns (nil =
// the inbox's defaults: lock files, temporary files, dot-files).
func Skipped(patterns []string, name string) bool {
	if patterns == nil {
		patterns = DefaultSkip()
	}
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}
