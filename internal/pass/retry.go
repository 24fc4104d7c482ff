// Package pass holds the steps of one pass over the inbox that outlive a
// file: the retry of files kept in processing/ while a carrier is
// unavailable, the archiving of a finished file, the recovery options, and
// what the folders show of earlier passes (the lost-ledger guard).
package pass

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/inbox"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// Retries keeps in processing/ the files whose orders could not all be
// sent because a carrier was unavailable (credentials refused, unreachable,
// busy, reference data unreadable), and paces the passes that take them
// again. Its state is one ledger.PendingFile per kept file, by its name in
// processing/: how many passes kept it and when it is due again. A file
// waiting for its turn is skipped, so it never blocks newer files; when it
// is taken again, its orders already sent answer already_submitted.
type Retries struct {
	l   *ledger.Ledger
	cfg config.Retry
	now time.Time // the pass clock
	loc *time.Location
	log *slog.Logger
}

// NewRetries paces the retries of the pass at now (its clock) on l, with
// the retry section cfg; times are shown in loc.
func NewRetries(l *ledger.Ledger, cfg config.Retry, now time.Time, loc *time.Location, log *slog.Logger) *Retries {
	return &Retries{l: l, cfg: cfg, now: now, loc: loc, log: log}
}

// pending returns the record of a file in processing/, nil when there is
// none or it was made for another file of the same name.
func (r *Retries) pending(path string) (*ledger.PendingFile, error) {
	p, err := r.l.Pending(filepath.Base(path))
	if err != nil || p == nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("check pending file %s: %w", filepath.Base(path), err)
	}
	if !p.Matches(fi.Size(), fi.ModTime()) {
		return nil, nil
	}
	return p, nil
}

// Waiting reports whether c is a file kept for a retry whose turn has not
// come; it then prints and logs when it is taken again.
func (r *Retries) Waiting(c inbox.Candidate, stdout io.Writer) (bool, error) {
	if !c.Resumed {
		return false, nil
	}
	p, err := r.pending(c.Path)
	if err != nil || p == nil || !r.now.Before(p.NextTry) {
		return false, err
	}
	at := p.NextTry.In(r.loc).Format("15:04")
	fmt.Fprintf(stdout, "%s: waiting in processing/ (%s); retried at the next pass after %s\n", c.Name, p.Reason, at)
	r.log.Info("file waits for its retry", slog.String("file", c.Name), slog.String("reason", p.Reason),
		slog.Int("attempts", p.Attempts), slog.Time("next_try", p.NextTry))
	return true, nil
}

// RetryAt is when the file at path would be taken again if this pass keeps
// it, in the configured time zone, for the report messages.
func (r *Retries) RetryAt(path string) (time.Time, error) {
	p, err := r.pending(path)
	if err != nil {
		return time.Time{}, err
	}
	attempts := 1
	if p != nil {
		attempts = p.Attempts + 1
	}
	return r.now.Add(r.cfg.Backoff(attempts)).In(r.loc), nil
}

// Keep records the file at path as kept after sum's pass and prints one
// line per carrier outage.
func (r *Retries) Keep(path string, sum *batch.Summary, stdout io.Writer) error {
	prev, err := r.pending(path)
	if err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("keep %s for a retry: %w", filepath.Base(path), err)
	}
	p := &ledger.PendingFile{Name: filepath.Base(path), Size: fi.Size(), ModTime: fi.ModTime(), Attempts: 1, First: r.now, BatchID: sum.BatchID}
	if prev != nil {
		p.Attempts, p.First = prev.Attempts+1, prev.First
	}
	// Refused credentials are fixed in the configuration: the next pass
	// tries again. An outage of the carrier itself is given time.
	p.NextTry = r.now
	if !sum.CredentialsRefused() {
		p.NextTry = r.now.Add(r.cfg.Backoff(p.Attempts))
	}
	var reasons []string
	for _, o := range sum.Outages {
		line := o.Line(p.NextTry.In(r.loc))
		if p.NextTry.Equal(r.now) {
			line = o.Line(time.Time{})
		}
		fmt.Fprintf(stdout, "%s: %s\n", sum.File, line)
		r.log.Warn("orders not sent: the file stays in processing/ for a retry", slog.String("file", sum.File),
			slog.String("carrier", o.Carrier), slog.String("reason", o.Detail), slog.Int("rows", o.Rows),
			slog.Int("attempts", p.Attempts), slog.Time("next_try", p.NextTry))
		reasons = append(reasons, fmt.Sprintf("%s: %s", o.Carrier, o.Detail))
	}
	p.Reason = strings.Join(reasons, "; ")
	if err := r.l.PutPending(p); err != nil {
		return fmt.Errorf("keep %s for a retry: %w", sum.File, err)
	}
	return nil
}

// Release forgets the retry record of a file leaving processing/.
func (r *Retries) Release(path string) error {
	if err := r.l.DeletePending(filepath.Base(path)); err != nil {
		return fmt.Errorf("forget the retry of %s: %w", filepath.Base(path), err)
	}
	return nil
}
