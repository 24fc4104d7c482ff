package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func longAttention(n int) []AttentionItem {
	items := make([]AttentionItem, n)
	for i := range items {
		items[i] = AttentionItem{What: "orders.csv: in_doubt", Key: fmt.Sprintf("fr-port/REF-%05d", i),
			Action: "check with Netwo whether the port was placed, then orderdrop resolve KEY placed|not-placed"}
	}
	return items
}

func TestDigestCapsTheAttentionList(t *testing.T) {
	p := samplePass(t)
	p.Attention = longAttention(3000)
	d := Build(p, 0)
	require.NotNil(t, d)
	assert.Len(t, d.Attention, 50)
	assert.Equal(t, 2950, d.MoreAttention)
	text := d.Text()
	assert.Contains(t, text, "… and 2,950 more: run orderdrop attention")
	html, err := d.HTML()
	require.NoError(t, err)
	assert.Contains(t, html, "… and 2,950 more: run orderdrop attention")
	body, err := json.Marshal(WebhookBody{Text: text, Digest: d})
	require.NoError(t, err)
	assert.Less(t, len(body), 40_000, "well under Slack's and Teams' limits")
}

func TestOutboxIsCappedInBytes(t *testing.T) {
	outbox := filepath.Join(t.TempDir(), "notify-outbox.json")
	down := &recorder{name: "down"}
	var logs bytes.Buffer
	n := New(Options{Channels: []Channel{down}, Outbox: outbox, OutboxMaxBytes: 60_000,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	var last *Digest
	for i := range 8 {
		p := samplePass(t)
		p.At = passAt.Add(time.Duration(i) * time.Hour)
		p.Attention = longAttention(100)
		last = Build(p, 0)
		n.Deliver(context.Background(), last)
		st, err := os.Stat(outbox)
		require.NoError(t, err)
		assert.LessOrEqual(t, st.Size(), int64(60_000), "after pass %d", i+1)
	}
	data, err := os.ReadFile(outbox)
	require.NoError(t, err)
	var q []pending
	require.NoError(t, json.Unmarshal(data, &q))
	require.NotEmpty(t, q)
	assert.Less(t, len(q), 8)
	assert.Equal(t, last.ID, q[len(q)-1].Digest.ID, "the newest is kept")
	assert.Contains(t, logs.String(), "undelivered notification dropped: the outbox is over its size limit")
	assert.Equal(t, 8-len(q), strings.Count(logs.String(), "outbox is over its size limit"))
}
