package ledger

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Order is everything the ledger knows about one carrier request.
type Order struct {
	Key         string            `json:"-"` // the bucket key
	Kind        string            `json:"kind,omitempty"`
	Carrier     string            `json:"carrier,omitempty"`
	Ref         string            `json:"ref,omitempty"` // the user's order_ref
	Fingerprint string            `json:"fp,omitempty"`
	Fields      map[string]string `json:"fields,omitempty"` // normalised request fields, to name what differs in a conflict
	State       State             `json:"state"`
	Reference   string            `json:"carrier_ref,omitempty"` // the carrier's reference
	Message     string            `json:"msg,omitempty"`         // the last message
	Checkpoint  map[string]string `json:"cp,omitempty"`          // multi-step progress (Netwo cart_id, cart_line_id)
	BatchID     string            `json:"batch,omitempty"`       // the batch that last touched it
	SubmittedAt time.Time         `json:"submitted_at,omitzero"` // when the carrier accepted it
	History     []Event           `json:"history,omitempty"`     // oldest first

	// Carrier lookups made while the order is in_doubt (see RecordLookup);
	// reset when the order is sent again.
	Lookups    int       `json:"lookups,omitempty"`     // how many
	LastLookup time.Time `json:"last_lookup,omitzero"`  // when the last one ran
	LookupNote string    `json:"lookup_note,omitempty"` // what it looked up and found

	// Where the order was read from, recorded at submission (schema 2; empty
	// for orders submitted by older versions): the input file as dropped,
	// its sheet ("" for CSV) and spreadsheet rows.
	File  string `json:"file,omitempty"`
	Sheet string `json:"sheet,omitempty"`
	Rows  []int  `json:"rows,omitempty"`
	// Track is what the carrier said of the order after submission; nil
	// until the first tracking pass saw it.
	Track *Tracking `json:"track,omitempty"`

	// Env is the carrier environment (carriers.NAME.environment) the order
	// was placed in, and BaseURL the carrier base URL it was sent to; both
	// empty on orders recorded before they existed (see Environment).
	Env     string `json:"env,omitempty"`
	BaseURL string `json:"base_url,omitempty"`

	// Attempts are the earlier sendings of this order that its carrier
	// turned down, oldest first (see Attempt); empty for an order sent once.
	Attempts []Attempt `json:"attempts,omitempty"`
}

// Event is one step of an order's history.
type Event struct {
	At        time.Time `json:"at"`
	State     State     `json:"state"`
	Reference string    `json:"ref,omitempty"`
	Message   string    `json:"msg,omitempty"`
	By        string    `json:"by,omitempty"` // "orderdrop" or the operator
	Attempts  int       `json:"attempts,omitempty"`
}

// byOrderdrop is Event.By for the events orderdrop records itself.
const byOrderdrop = "orderdrop"

// Get returns the order stored under key, or ErrNotFound.
func (l *Ledger) Get(key string) (*Order, error) {
	var o *Order
	err := l.db.View(func(tx *bolt.Tx) error {
		var err error
		o, err = getOrder(tx.Bucket(bucketOrders), key)
		return err
	})
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, fmt.Errorf("ledger: order %q: %w", key, ErrNotFound)
	}
	return o, nil
}

// Lookup returns the stored orders among keys, in one read transaction.
// Unknown keys are absent from the map.
func (l *Ledger) Lookup(keys []string) (map[string]*Order, error) {
	var found map[string]*Order
	err := l.db.View(func(tx *bolt.Tx) error {
		var err error
		found, err = lookupTx(tx, keys)
		return err
	})
	if err != nil {
		return nil, err
	}
	return found, nil
}

// getOrder decodes the order under key; nil, nil when there is none.
func getOrder(b *bolt.Bucket, key string) (*Order, error) {
	if key == "" {
		return nil, nil
	}
	raw := b.Get([]byte(key))
	if raw == nil {
		return nil, nil
	}
	var o Order
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, fmt.Errorf("ledger: decode order %q: %w", key, err)
	}
	o.Key = key
	return &o, nil
}

// appendFill is how full bbolt fills a page it splits in the orders bucket
// and the tracking index. Their keys are mostly appended (a file's
// order_refs follow each other), and bbolt's default (half) leaves every
// appended page half empty: twice the file, and twice the pages a run
// touches through the ledger's mapping. Not 0.9 or more: an order's value
// grows by about a quarter when its outcome is recorded, and a page filled
// that far splits again into a full one and a nearly empty one (measured on
// 20,000 l2 orders: 0.5 fills the pages to 44%, 0.8 to 88%, 0.9 to 55%).
const appendFill = 0.8

// putOrder stores o and keeps the inflight index (the keys in state
// submitting) in step with its state.
func putOrder(tx *bolt.Tx, o *Order) error {
	raw, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("ledger: encode order %q: %w", o.Key, err)
	}
	k := []byte(o.Key)
	orders := tx.Bucket(bucketOrders)
	orders.FillPercent = appendFill
	if err := orders.Put(k, raw); err != nil {
		return fmt.Errorf("ledger: write order %q: %w", o.Key, err)
	}
	return keepIndexes(tx, o)
}

// stateError is the ErrState of an order that cannot move from its state.
func stateError(key string, from State, to State) error {
	if from == "" {
		return fmt.Errorf("ledger: order %q is unknown, cannot become %s: %w", key, to, ErrNotFound)
	}
	return fmt.Errorf("ledger: order %q is %s, cannot become %s: %w", key, from, to, ErrState)
}
