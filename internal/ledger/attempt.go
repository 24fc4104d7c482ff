package ledger

import (
	"slices"
	"time"
)

// Attempt is an earlier sending of an order that its carrier turned down
// (rejected at submission, rejected after accepting it, cancelled or
// expired), kept when the order is sent again under the same key. The
// order's own fields describe its latest attempt; an order recorded before
// attempts existed has none kept and is its attempt 1.
type Attempt struct {
	N           int               `json:"n"`
	Fingerprint string            `json:"fp,omitempty"`
	Fields      map[string]string `json:"fields,omitempty"`
	BatchID     string            `json:"batch,omitempty"`
	File        string            `json:"file,omitempty"`
	Rows        []int             `json:"rows,omitempty"`
	Reference   string            `json:"carrier_ref,omitempty"`
	SubmittedAt time.Time         `json:"submitted_at,omitzero"`
	// State is rejected (at submission) or submitted (then turned down at
	// the carrier: Stage says how).
	State   State     `json:"state"`
	Stage   Stage     `json:"stage,omitempty"`
	Status  string    `json:"status,omitempty"` // the carrier's word
	Message string    `json:"msg,omitempty"`    // why the carrier said no
	At      time.Time `json:"at"`               // when orderdrop learnt it
	Track   *Tracking `json:"track,omitempty"`
}

// AttemptNo is the number of the order's latest attempt: 1 for an order
// sent once, 2 once it was sent again after its carrier said no, …
func (o *Order) AttemptNo() int {
	return len(o.Attempts) + 1
}

// TurnedDown reports whether the carrier's last word on the order is final
// and negative — rejected at submission, rejected after it accepted it,
// cancelled, terminated or expired — with when orderdrop learnt it and the
// carrier's reason. Such an order created nothing that still stands, so it
// may be sent again (BeginSubmits) as a new attempt.
func (o *Order) TurnedDown() (at time.Time, why string, ok bool) {
	switch o.State {
	case Rejected:
		for i := len(o.History) - 1; i >= 0; i-- {
			if o.History[i].State == Rejected {
				return o.History[i].At, o.Message, true
			}
		}
		return time.Time{}, o.Message, true
	case Submitted:
		t := o.Track
		if t == nil || (t.Stage != StageRejected && t.Stage != StageCancelled) {
			return time.Time{}, "", false
		}
		why = t.Message
		if why == "" {
			why = t.Status
		}
		return t.Since, why, true
	}
	return time.Time{}, "", false
}

// keepAttempt moves o's latest attempt, turned down by its carrier, into
// o.Attempts before o is sent again.
func (o *Order) keepAttempt() {
	at, why, ok := o.TurnedDown()
	if !ok {
		return
	}
	a := Attempt{N: o.AttemptNo(), Fingerprint: o.Fingerprint, Fields: o.Fields, BatchID: o.BatchID,
		File: o.File, Rows: slices.Clone(o.Rows), Reference: o.Reference, SubmittedAt: o.SubmittedAt,
		State: o.State, Message: why, At: at, Track: o.Track}
	if o.Track != nil {
		a.Stage, a.Status = o.Track.Stage, o.Track.Status
	}
	o.Attempts = append(o.Attempts, a)
	o.SubmittedAt = time.Time{}
}
