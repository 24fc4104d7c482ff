package notify

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/notify/notifytest"
)

// hostilePass names files and carrier words with CR/LF and bidi controls.
func hostilePass(t *testing.T) Pass {
	t.Helper()
	dir := t.TempDir()
	report := filepath.Join(dir, "evil\r\nBcc: victim@example.com.result.csv")
	require.NoError(t, os.WriteFile(report, []byte("order_ref,status\n"), 0o640))
	evil := "invoice\u202Egpj.xlsx\r\nBcc: victim@example.com"
	return Pass{At: passAt, Host: "ops1\r\nX-Injected: 1",
		Files: []FileSummary{
			{File: evil, Report: report, Counts: map[string]int{"rejected": 1}},
			{File: "bad\u2066name.csv\n", Failed: "damaged\r\nBcc: x@example.com"},
		},
		Rows:      []Row{{File: evil, Sheet: "S\u202E1", Row: 2, Status: "rejected", Message: "Adresse\r\nintrouvable\u2069"}},
		Problems:  []string{"netwo said \u202Eok\r\n"},
		Attention: []AttentionItem{{What: evil + ": rejected", Key: "fr-port/A\u200F1", Action: "fix\nit"}},
	}
}

// unsafeRune reports a character display.Line would have replaced.
func unsafeRune(s string) bool {
	return strings.ContainsAny(s, "\r\n\u202E\u2066\u2069\u200F")
}

func TestDigestShowsUntrustedTextOnOneLine(t *testing.T) {
	d := Build(hostilePass(t), 0)
	require.NotNil(t, d)
	assert.False(t, unsafeRune(d.Subject()), "subject %q", d.Subject())
	for _, line := range strings.Split(strings.TrimSuffix(d.Text(), "\n"), "\n") {
		assert.False(t, strings.HasPrefix(line, "Bcc:") || strings.HasPrefix(line, "X-Injected"), "text line %q", line)
		assert.False(t, unsafeRune(line), "text line %q", line)
	}
	assert.Contains(t, d.Text(), "- invoice\uFFFDgpj.xlsx Bcc: victim@example.com: 1 rejected → report evil Bcc: victim@example.com.result.csv")
	html, err := d.HTML()
	require.NoError(t, err)
	assert.NotContains(t, html, "\u202E")
	assert.NotContains(t, html, "Adresse\r\n")
	body, err := json.Marshal(WebhookBody{Text: d.Text(), Digest: d})
	require.NoError(t, err)
	var back WebhookBody
	require.NoError(t, json.Unmarshal(body, &back))
	for _, s := range []string{back.Digest.Host, back.Digest.Files[0].File, back.Digest.Files[1].File, back.Digest.Files[1].Failed,
		back.Digest.Rows[0].File, back.Digest.Rows[0].Sheet, back.Digest.Rows[0].Message, back.Digest.Problems[0],
		back.Digest.Attention[0].What, back.Digest.Attention[0].Key, back.Digest.Attention[0].Action} {
		assert.False(t, unsafeRune(s), "webhook field %q", s)
	}
}

func TestMailHeadersCarryNoInjectedLine(t *testing.T) {
	srv := notifytest.StartSMTP(t, notifytest.Options{User: "u", Pass: "p"})
	d := Build(hostilePass(t), 0)
	require.NoError(t, testMail(t, srv).Send(context.Background(), d))
	got := srv.Received()
	require.Len(t, got, 1)
	hdr, parts := notifytest.ParseMail(t, got[0].Data)
	assert.Empty(t, hdr.Get("Bcc"))
	assert.Empty(t, hdr.Get("X-Injected"))
	assert.Equal(t, []string{"b@example.com"}, got[0].To)
	subject := notifytest.DecodeHeader(t, hdr.Get("Subject"))
	assert.Equal(t, d.Subject(), subject)
	assert.False(t, unsafeRune(subject))
	var names []string
	for _, p := range parts {
		if p.Filename != "" {
			names = append(names, p.Filename)
		}
	}
	require.Len(t, names, 1, "the report is attached")
	assert.False(t, unsafeRune(names[0]), "attachment name %q", names[0])
}

// A digest kept in the outbox by an older version is shown safely too.
func TestOutboxDigestIsShownOnOneLine(t *testing.T) {
	outbox := filepath.Join(t.TempDir(), "notify-outbox.json")
	old := &Digest{ID: "x", Kind: "run", At: passAt, Files: []FileSummary{{File: "a\r\nb.csv", Failed: "x"}}}
	data, err := json.Marshal([]pending{{Digest: old, Channels: []string{"webhook"}}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(outbox, data, 0o600))
	var mu sync.Mutex
	var got []WebhookBody
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b WebhookBody
		_ = json.NewDecoder(r.Body).Decode(&b)
		mu.Lock()
		defer mu.Unlock()
		got = append(got, b)
	}))
	t.Cleanup(srv.Close)
	hook, err := NewWebhook(WebhookOptions{URL: srv.URL, Backoff: noWait})
	require.NoError(t, err)
	assert.Equal(t, Result{Sent: 1}, New(Options{Channels: []Channel{hook}, Outbox: outbox}).Deliver(context.Background(), nil))
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 1)
	assert.Equal(t, "a b.csv", got[0].Digest.Files[0].File)
	assert.NotContains(t, got[0].Text, "a\r\nb.csv")
}
