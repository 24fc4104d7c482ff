package attention

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/ledger"
)

// TestAckHintAndAcknowledge: an order on the list is named with its id and
// the two ways off the list; acknowledging it by that id takes it off, and
// an unknown id is ErrNoItem.
func TestAckHintAndAcknowledge(t *testing.T) {
	l, err := ledger.Open(filepath.Join(t.TempDir(), "ledger.db"), ledger.Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	require.NoError(t, l.BeginSubmits([]ledger.Intent{{Key: "l2/GONE", Kind: "l2", Carrier: "prizz", Ref: "GONE", Fingerprint: "fp", BatchID: "b", File: "l2.xlsx", Rows: []int{2}}}))
	require.NoError(t, l.RecordOutcomes([]ledger.Outcome{{Key: "l2/GONE", State: ledger.Rejected, Message: "HTTP 400"}}))
	items, err := Collect(context.Background(), Sources{Ledger: l})
	require.NoError(t, err)
	require.Len(t, items, 1)
	id := items[0].ID

	tests := []struct{ key, want string }{
		{"l2/GONE", "; it is on the attention list as " + string(items[0].Kind) + ": correct the row and drop it again (it is sent again under the same order_ref), " +
			"or take it off the list: orderdrop attention ack " + id + " --note WHY"},
		{"l2/OTHER", ""},
	}
	for _, tt := range tests {
		if got := AckHint(context.Background(), l, tt.key); got != tt.want {
			t.Errorf("AckHint(%s): got %q, want %q", tt.key, got, tt.want)
		}
	}

	_, _, err = Acknowledge(l, items, "deadbeef", "bob", "x")
	assert.True(t, errors.Is(err, ErrNoItem), "got %v, want ErrNoItem", err)
	it, subject, err := Acknowledge(l, items, id, "bob", "customer gave up")
	require.NoError(t, err)
	assert.Equal(t, "l2/GONE", subject)
	assert.Equal(t, id, it.ID)
	assert.Equal(t, "", AckHint(context.Background(), l, "l2/GONE"), "acknowledged: off the list")
	items, err = Collect(context.Background(), Sources{Ledger: l, All: true})
	require.NoError(t, err)
	require.Len(t, items, 1)
	require.NotNil(t, items[0].Ack)
	assert.True(t, strings.Contains(items[0].Ack.Note, "gave up"))
}
