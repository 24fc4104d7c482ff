package ledger

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Production is the environment of an order placed on a carrier's
// production platform, and of every order recorded before environments
// existed (Order.Env empty).
const Production = "production"

// KeyIn is the ledger key of the order with idempotency key key placed in
// environment env: key itself in production (so the keys of ledgers written
// before environments existed stay valid), key@env elsewhere. An order
// placed in one environment is thus not already_submitted in another.
func KeyIn(env, key string) string {
	if env == "" || env == Production {
		return key
	}
	return key + "@" + env
}

// Environment is the environment the order was placed in; production for
// orders recorded before environments existed.
func (o *Order) Environment() string {
	if o.Env == "" {
		return Production
	}
	return o.Env
}

// baseURLKey is the meta key remembering the last base URL orders of
// carrier were sent to in env.
func baseURLKey(carrier, env string) []byte {
	return []byte("base_url/" + carrier + "/" + env)
}

// NoteBaseURL remembers url as the base URL carrier's orders are sent to in
// env and returns the previous one when it differs (so that the caller says
// once that it changed); "" when it is the first or the same.
func (l *Ledger) NoteBaseURL(carrier, env, url string) (string, error) {
	var prev string
	err := l.writes.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		k := baseURLKey(carrier, env)
		old := string(meta.Get(k))
		if old == url {
			return nil
		}
		prev = old
		return meta.Put(k, []byte(url))
	})
	if err != nil {
		return "", fmt.Errorf("ledger: remember the base URL of %s (%s): %w", carrier, env, err)
	}
	return prev, nil
}
