package attention

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/inbox"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// More kinds of item, about files.
const (
	// InvalidRows: a file whose last pass left invalid rows to correct.
	InvalidRows Kind = "invalid_rows"
	// AllOrNothingHold: a file whose last pass sent none of the valid rows
	// of a kind because of its invalid rows of that kind (the kind is
	// configured all-or-nothing).
	AllOrNothingHold Kind = "all_or_nothing_hold"
	// UnsupportedFile: a file or folder in the inbox that orderdrop does not
	// read (.ods, .tsv, a folder).
	UnsupportedFile Kind = "unsupported_file"
	// FutureFile: an inbox file whose modification time is in the future;
	// it is taken only once that time has passed.
	FutureFile Kind = "future_file"
)

// recentBatches is how many of the newest batches are looked at for files
// with invalid rows.
const recentBatches = 500

// futureSlack is how far ahead of the clock a modification time may be
// (a share's clock a little ahead) before the file is listed.
const futureSlack = time.Minute

// ToFixSuffix ends the name of the file beside a report that holds the
// rows to correct: reports/NAME.to-fix.xlsx.
const ToFixSuffix = ".to-fix.xlsx"

// invalidFiles lists, one item per file, the newest batch of each input
// file that left invalid rows, unless a later batch read the same file
// again (by name, or its NAME.to-fix.xlsx dropped back).
func invalidFiles(ctx context.Context, l *ledger.Ledger) ([]Item, error) {
	batches, err := l.Batches(recentBatches) // newest first
	if err != nil {
		return nil, fmt.Errorf("attention: read the batches: %w", err)
	}
	seen := map[string]bool{}
	var items []Item
	for _, b := range batches {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		stem := fileStem(b.File)
		if seen[stem] || b.File == "" {
			continue
		}
		seen[stem] = true
		n := b.Counts["invalid"]
		if n == 0 || (!b.Done && b.Finished.IsZero()) {
			continue
		}
		fix := toFixPath(b)
		items = append(items, Item{Kind: InvalidRows, File: b.File, ID: ID(InvalidRows, b.ID, ""), Since: b.Finished,
			What: fmt.Sprintf("%d invalid rows still to correct (batch %s)", n, b.ID),
			Action: fmt.Sprintf("correct the rows of %s, in the reports folder beside %s (each names the column and why), and drop it into the inbox again; the rows already sent are not sent twice",
				filepath.Base(fix), filepath.Base(b.Report))})
		for _, h := range b.Holds {
			items = append(items, holdItem(b, h, fix))
		}
	}
	return items, nil
}

// holdItem is the item of an all-or-nothing hold h of batch b, whose
// to-fix file is fix.
func holdItem(b *ledger.Batch, h ledger.Hold, fix string) Item {
	return Item{Kind: AllOrNothingHold, File: b.File, ID: ID(AllOrNothingHold, b.ID, h.Kind), Since: b.Finished,
		What: fmt.Sprintf("%d valid %s %s held back because of %d invalid %s %s: %s is on, so none of the file's %s orders is sent (batch %s)",
			h.Held, h.Kind, plural(h.Held, "row", "rows"), h.Invalid, h.Kind, plural(h.Invalid, "row", "rows"), h.Setting, h.Kind, b.ID),
		Action: fmt.Sprintf("correct the invalid rows with %s (in the reports folder) and drop the whole file again: all its %s orders are sent then; "+
			"or, to send the valid rows of such files anyway, set %s to false in the configuration and drop the file again",
			filepath.Base(fix), h.Kind, h.Setting)}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// fileStem is the name a corrected file shares with its original: without
// the extension and a ".to-fix" suffix.
func fileStem(name string) string {
	base := filepath.Base(name)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return strings.TrimSuffix(base, strings.TrimSuffix(ToFixSuffix, ".xlsx"))
}

// toFixPath is the to-fix file beside b's report: reports/NAME.to-fix.xlsx.
func toFixPath(b *ledger.Batch) string {
	if b.Report == "" {
		return fileStem(b.File) + ToFixSuffix
	}
	base := filepath.Base(b.Report)
	if i := strings.Index(base, ".result"); i > 0 {
		base = base[:i]
	} else {
		base = strings.TrimSuffix(base, filepath.Ext(base))
	}
	return filepath.Join(filepath.Dir(b.Report), base+ToFixSuffix)
}

// inboxFiles lists the inbox's folders and the files it cannot take, and
// the order files it waits for because their modification time is in the
// future. Lock and temporary files (src.Skip) are left out.
func inboxFiles(src Sources) ([]Item, error) {
	entries, err := os.ReadDir(src.Inbox)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("attention: read %s: %w", src.Inbox, err)
	}
	skip := src.Skip
	if skip == nil {
		skip = inbox.DefaultSkip()
	}
	now := time.Now
	if src.Now != nil {
		now = src.Now
	}
	var items []Item
	for _, e := range entries {
		name := e.Name()
		if slices.ContainsFunc(skip, func(p string) bool { ok, _ := path.Match(p, name); return ok }) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		p := filepath.Join(src.Inbox, name)
		ext := strings.ToLower(filepath.Ext(name))
		switch {
		case e.IsDir():
			items = append(items, Item{Kind: UnsupportedFile, File: p, Since: info.ModTime(),
				What:   "a folder in the inbox: orderdrop reads only the files dropped in the inbox itself",
				Action: "move the order files out of the folder into the inbox, then remove the folder"})
		case !e.Type().IsRegular():
			continue
		case !slices.Contains(inbox.DefaultExtensions(), ext) && !slices.Contains(inbox.DefaultAttachments(), ext):
			items = append(items, Item{Kind: UnsupportedFile, File: p, Since: info.ModTime(),
				What:   "not an order file: orderdrop reads .xlsx and .csv files",
				Action: "save it as .xlsx or .csv, drop that into the inbox and remove the original"})
		case slices.Contains(inbox.DefaultExtensions(), ext) && info.ModTime().After(now().Add(futureSlack)):
			items = append(items, Item{Kind: FutureFile, File: p, Since: info.ModTime(),
				What: fmt.Sprintf("its modification time is in the future (%s): it is taken only once that time has passed",
					info.ModTime().Format("2006-01-02 15:04 MST")),
				Action: "touch it (or copy it again) so that its time is now, and check the clock of the machine that wrote it"})
		}
	}
	return items, nil
}
