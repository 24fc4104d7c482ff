package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Stage is where a submitted order stands at its carrier, in orderdrop's
// words; the carrier's own word is kept beside it (Tracking.Status).
type Stage string

// The normalised stages (DESIGN §11).
const (
	StagePending   Stage = "pending"   // received, not yet confirmed
	StageConfirmed Stage = "confirmed" // accepted by the carrier (or the losing carrier), no date yet
	StageScheduled Stage = "scheduled" // confirmed with a date (Tracking.Date)
	StageCompleted Stage = "completed" // done: ported, delivered, active
	StageRejected  Stage = "rejected"  // refused after submission (Tracking.Message holds the reason)
	StageCancelled Stage = "cancelled" // cancelled or expired
	StageOnHold    Stage = "on_hold"   // blocked, waiting for someone
	// StageUnknown: the carrier answered with a status word orderdrop does
	// not know (Tracking.Status); followed, and listed for a person to look.
	StageUnknown Stage = "unknown"
)

// Stages lists every stage in lifecycle order.
func Stages() []Stage {
	return []Stage{StagePending, StageConfirmed, StageScheduled, StageOnHold, StageCompleted, StageRejected, StageCancelled, StageUnknown}
}

// Final reports whether an order in stage s is no longer followed.
func (s Stage) Final() bool {
	return s == StageCompleted || s == StageRejected || s == StageCancelled
}

// Tracking is what the carrier said of a submitted order.
type Tracking struct {
	Stage   Stage     `json:"stage,omitempty"`
	Date    string    `json:"date,omitempty"`   // YYYY-MM-DD: the scheduled (or completion) date, when the carrier gives one
	Status  string    `json:"status,omitempty"` // the carrier's own word ("CONFIRMEDwDATECHANGE", "staging")
	Message string    `json:"msg,omitempty"`    // the carrier's message; for rejected, the reason and details
	Since   time.Time `json:"since,omitzero"`   // when the current stage was first seen
	Checked time.Time `json:"checked,omitzero"` // the last time the carrier was asked
	// Stopped, when set, says why the order is no longer asked about
	// (too old); "" = followed until final.
	Stopped string       `json:"stopped,omitempty"`
	History []TrackEvent `json:"history,omitempty"` // one entry per change, oldest first
}

// TrackEvent is one change seen at the carrier.
type TrackEvent struct {
	At      time.Time `json:"at"`
	Stage   Stage     `json:"stage"`
	Date    string    `json:"date,omitempty"`
	Status  string    `json:"status,omitempty"`
	Message string    `json:"msg,omitempty"`
}

// same reports whether e says the same as u (a re-check of an unchanged
// order records nothing).
func (e TrackEvent) same(u TrackUpdate) bool {
	return e.Stage == u.Stage && e.Date == u.Date && e.Status == u.Status && e.Message == u.Message
}

// tracked reports whether o belongs in the tracking index: submitted, not
// final, not stopped.
func (o *Order) tracked() bool {
	if o.State != Submitted {
		return false
	}
	return o.Track == nil || (!o.Track.Stage.Final() && o.Track.Stopped == "")
}

// Open reports whether the order is submitted and not final: it belongs in
// the open-orders list (even when no longer polled).
func (o *Order) Open() bool {
	return o.State == Submitted && (o.Track == nil || !o.Track.Stage.Final())
}

// TrackUpdate is what one look-up at the carrier found.
type TrackUpdate struct {
	Key     string
	Stage   Stage
	Date    string // YYYY-MM-DD or ""
	Status  string // the carrier's word
	Message string
}

// TrackChange is a change RecordTracking stored.
type TrackChange struct {
	Order *Order     // the order after the change
	From  TrackEvent // the previous state (zero for the first)
	To    TrackEvent
}

// Tracked returns up to limit orders of the tracking index (submitted, not
// final, not stopped) with keys after the key after ("" = from the start),
// in key order, and the key to continue after ("" when there are no more).
// limit <= 0 means 100.
func (l *Ledger) Tracked(after string, limit int) ([]*Order, string, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []*Order
	next := ""
	err := l.db.View(func(tx *bolt.Tx) error {
		orders := tx.Bucket(bucketOrders)
		c := tx.Bucket(bucketTracking).Cursor()
		k, _ := c.First()
		if after != "" {
			k, _ = c.Seek([]byte(after))
			if k != nil && bytes.Equal(k, []byte(after)) {
				k, _ = c.Next()
			}
		}
		for ; k != nil; k, _ = c.Next() {
			if len(out) == limit {
				next = out[len(out)-1].Key
				return nil
			}
			o, err := getOrder(orders, string(k))
			if err != nil {
				return err
			}
			if o != nil && o.tracked() {
				out = append(out, o)
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// RecordTracking stores what the carrier said of each order, in ONE write
// transaction: every order gets Checked; an order whose stage, date,
// carrier status or message differs from its last entry gets a history
// entry and is returned as a change. The carrier's text is stored cut to
// MaxCarrierText per field (see boundText). Recording the same answer twice adds
// nothing, so a pass interrupted and run again neither loses nor doubles an
// entry. An order that is not submitted is refused (ErrState or ErrNotFound
// joined in the error) while the others are committed.
func (l *Ledger) RecordTracking(ups []TrackUpdate) ([]TrackChange, error) {
	if len(ups) == 0 {
		return nil, nil
	}
	at := l.stamp()
	var changes []TrackChange
	var refused []error
	err := l.db.Update(func(tx *bolt.Tx) error {
		changes, refused = changes[:0], refused[:0]
		orders := tx.Bucket(bucketOrders)
		for _, u := range ups {
			u.Date, u.Status, u.Message = boundText(u.Date), boundText(u.Status), boundText(u.Message)
			if u.Stage == "" {
				refused = append(refused, fmt.Errorf("ledger: order %q: tracking update without a stage: %w", u.Key, ErrInvalid))
				continue
			}
			o, err := getOrder(orders, u.Key)
			if err != nil {
				return err
			}
			if o == nil || o.State != Submitted {
				refused = append(refused, fmt.Errorf("ledger: order %q is %s, only submitted orders are tracked: %w",
					u.Key, stateOf(o), notFoundOr(o)))
				continue
			}
			t := o.Track
			if t == nil {
				t = &Tracking{}
				o.Track = t
			}
			t.Checked = at
			var last TrackEvent
			if n := len(t.History); n > 0 {
				last = t.History[n-1]
			}
			if len(t.History) == 0 || !last.same(u) {
				ev := TrackEvent{At: at, Stage: u.Stage, Date: u.Date, Status: u.Status, Message: u.Message}
				t.History = append(t.History, ev)
				if t.Stage != u.Stage {
					t.Since = at
				}
				t.Stage, t.Date, t.Status, t.Message = u.Stage, u.Date, u.Status, u.Message
				changes = append(changes, TrackChange{Order: o, From: last, To: ev})
				if err := markChanged(tx, o.Key); err != nil {
					return err
				}
			}
			if err := putOrder(tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("record tracking of %d orders: %w", len(ups), err)
	}
	return changes, errors.Join(refused...)
}

func notFoundOr(o *Order) error {
	if o == nil {
		return ErrNotFound
	}
	return ErrState
}

// StopTracking stops following the orders (too old to be polled): they stay
// open but leave the tracking index. Unknown or unsubmitted keys are skipped.
func (l *Ledger) StopTracking(keys []string, why string) error {
	if len(keys) == 0 {
		return nil
	}
	at := l.stamp()
	return l.db.Update(func(tx *bolt.Tx) error {
		orders := tx.Bucket(bucketOrders)
		for _, k := range keys {
			o, err := getOrder(orders, k)
			if err != nil {
				return err
			}
			if o == nil || o.State != Submitted {
				continue
			}
			if o.Track == nil {
				o.Track = &Tracking{}
			}
			o.Track.Stopped, o.Track.Checked = why, at
			if err := putOrder(tx, o); err != nil {
				return err
			}
		}
		return nil
	})
}

// ForEach calls fn with every order, in key order, inside one read
// transaction; an error from fn stops the walk and is returned.
func (l *Ledger) ForEach(fn func(*Order) error) error {
	return l.View(func(s *Snapshot) error { return s.ForEach(fn) })
}

// OpenOrders returns every submitted order that is not final, in key order.
func (l *Ledger) OpenOrders() ([]*Order, error) {
	var out []*Order
	err := l.ForEach(func(o *Order) error {
		if o.Open() {
			out = append(out, o)
		}
		return nil
	})
	return out, err
}

// keyTrackPasses holds the start times of the last two tracking passes.
var keyTrackPasses = []byte("track_passes")

// TrackPasses are the start times of the latest tracking pass and of the
// one before it (zero when there was none).
type TrackPasses struct {
	Last     time.Time `json:"last,omitzero"`
	Previous time.Time `json:"previous,omitzero"`
}

// BeginTrackPass records that a tracking pass starts now and returns the
// updated pass times.
func (l *Ledger) BeginTrackPass() (TrackPasses, error) {
	at := l.stamp()
	var p TrackPasses
	err := l.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if raw := meta.Get(keyTrackPasses); raw != nil {
			if err := json.Unmarshal(raw, &p); err != nil {
				return fmt.Errorf("ledger: decode tracking passes: %w", err)
			}
		}
		p.Previous, p.Last = p.Last, at
		raw, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("ledger: encode tracking passes: %w", err)
		}
		if err := pruneChanged(tx, at.Add(-ChangesKept)); err != nil {
			return err
		}
		return meta.Put(keyTrackPasses, raw)
	})
	return p, err
}

// LastTrackPasses returns the start times recorded by BeginTrackPass.
func (l *Ledger) LastTrackPasses() (TrackPasses, error) {
	var p TrackPasses
	err := l.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketMeta).Get(keyTrackPasses)
		if raw == nil {
			return nil
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			return fmt.Errorf("ledger: decode tracking passes: %w", err)
		}
		return nil
	})
	return p, err
}
