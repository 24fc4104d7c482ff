package status

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/pass"
	"github.com/orderdrop/orderdrop/internal/snapshot"
)

// SnapshotStaleAfter: while a pass runs, a file in processing/ may be the
// one it is working on; it is listed only once it has not changed for this long.
const SnapshotStaleAfter = time.Hour

// Attention reads the attention list from the ledger opened read-only or,
// while a pass holds it, from that pass's snapshot; note then says so, and
// as of when. all keeps the acknowledged items. version names this
// orderdrop in the message of a ledger it cannot read.
func Attention(ctx context.Context, cfg *config.Config, version string, all bool) ([]attention.Item, string, error) {
	l, err := ledger.OpenReadOnly(cfg.Ledger, ledger.Options{Timeout: Wait})
	switch {
	case err == nil:
		defer l.Close()
		src := attention.SourcesOf(cfg, l)
		src.All = all
		items, err := attention.Collect(ctx, src)
		if err != nil {
			return nil, "", err
		}
		return items, "", nil
	case errors.Is(err, ledger.ErrNotFound): // nothing processed yet: the folders only
		items, err := attention.Collect(ctx, attention.SourcesOf(cfg, nil))
		if err != nil {
			return nil, "", err
		}
		return items, "", nil
	case !errors.Is(err, ledger.ErrLocked):
		return nil, "", pass.LedgerTrouble(cfg.Ledger, version, err) // damaged, newer: names the backup
	}
	snap, err := snapshot.Read(cfg.Ledger)
	if err == nil && snap.Attention == nil {
		err = os.ErrNotExist // written by an orderdrop that kept no attention list
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", fmt.Errorf("another orderdrop is using %s and has written no attention list yet: try again in a few seconds", cfg.Ledger)
	}
	if err != nil {
		return nil, "", fmt.Errorf("another orderdrop is using %s and its snapshot cannot be read: %w; try again when it has finished", cfg.Ledger, err)
	}
	src := attention.SourcesOf(cfg, nil)
	src.StaleAfter = SnapshotStaleAfter
	files, err := attention.Collect(ctx, src)
	if err != nil {
		return nil, "", err
	}
	// The snapshot keeps the acknowledged items with their Ack: filter
	// them, and the folders' items, as the ledger would.
	items := attention.Acknowledged(slices.Clone(*snap.Attention), nil, all)
	items = append(items, attention.Acknowledged(files, snap.Acks, all)...)
	sort.SliceStable(items, func(i, j int) bool { return items[i].Since.Before(items[j].Since) })
	note := fmt.Sprintf("a pass is running (process %d): attention list as of %s", snap.PID, snap.Written.In(cfg.Location()).Format(time.TimeOnly))
	return items, note, nil
}
