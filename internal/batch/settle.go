package batch

import (
	"fmt"
	"time"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// TooEarlyToRelease refuses to release an in_doubt order whose request was
// sent less than settle ago: the carrier may still be creating it, and
// "not found" so soon proves nothing. Its error says until when to wait;
// nil when the order may be released (or Resolve will say what is wrong).
func TooEarlyToRelease(l *ledger.Ledger, key string, settle time.Duration, loc *time.Location) error {
	o, err := l.Get(key)
	if err != nil || o.State != ledger.InDoubt {
		return nil // Resolve says what is wrong
	}
	sent := o.SentAt()
	if sent.IsZero() || l.Now().Sub(sent) >= settle {
		return nil
	}
	return fmt.Errorf("%s was sent at %s, %s ago: %s may still be creating it, and releasing it now may order it twice. "+
		"Wait until %s (recovery.settle_after), or, if %s confirmed it has no such order, run again with --force",
		key, sent.In(loc).Format("2006-01-02 15:04:05 MST"), l.Now().Sub(sent).Round(time.Second), o.Carrier, sent.Add(settle).In(loc).Format("2006-01-02 15:04:05 MST"), o.Carrier)
}
