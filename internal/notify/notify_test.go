package notify

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/notify/notifytest"
)

var passAt = time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)

// samplePass is a pass with two files, one of them failed, 60 invalid rows
// of which the caller passed the first 55.
func samplePass(t *testing.T) Pass {
	t.Helper()
	report := filepath.Join(t.TempDir(), "orders.result.csv")
	require.NoError(t, os.WriteFile(report, []byte("order_ref,status\nA1,invalid\n"), 0o640))
	p := Pass{Kind: "run", At: passAt, Host: "ops1",
		Files: []FileSummary{
			{File: "orders.csv", Report: report, Counts: map[string]int{"submitted": 3, "invalid": 60, "in_doubt": 1}},
			{File: "broken.xlsx", Failed: "not a spreadsheet: save it again as .xlsx"},
		},
		Problems:  []string{"netwo refused the credentials: check NETWO_API_KEY"},
		Attention: []AttentionItem{{What: "in_doubt", Key: "fr-port/A9", Action: "check with Netwo, then orderdrop resolve"}},
	}
	for i := range 55 {
		p.Rows = append(p.Rows, Row{File: "orders.csv", Row: i + 2, Status: "invalid", Message: fmt.Sprintf("siret: bad check digit %d", i)})
	}
	return p
}

func TestBuild(t *testing.T) {
	tests := []struct {
		name     string
		pass     Pass
		wantNil  bool
		wantRows int
		wantMore int
	}{
		{name: "all submitted: no digest", pass: Pass{Files: []FileSummary{{File: "a.csv", Counts: map[string]int{"submitted": 2, "already_submitted": 1}}}}, wantNil: true},
		{name: "attention list alone: no digest", pass: Pass{Attention: []AttentionItem{{What: "in_doubt", Key: "k"}}}, wantNil: true},
		{name: "a failed file", pass: Pass{Files: []FileSummary{{File: "b.xlsx", Failed: "damaged"}}}},
		{name: "a pass problem", pass: Pass{Problems: []string{"prizz unreachable"}}},
		{name: "rows counted but not listed", pass: Pass{Files: []FileSummary{{File: "a.csv", Counts: map[string]int{"conflict": 2}}}}, wantMore: 2},
		{name: "first 50, then more", pass: samplePass(t), wantRows: 50, wantMore: 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Build(tt.pass, 0)
			if tt.wantNil {
				assert.Nil(t, d)
				return
			}
			require.NotNil(t, d)
			assert.Len(t, d.Rows, tt.wantRows)
			assert.Equal(t, tt.wantMore, d.MoreRows)
		})
	}
}

func TestDigestText(t *testing.T) {
	d := Build(samplePass(t), 0)
	got := d.Text()
	for _, want := range []string{
		"orderdrop run: 61 rows, 1 unreadable file, 1 problem need attention on ops1",
		"- orders.csv: 3 submitted, 60 invalid, 1 in_doubt → report orders.result.csv",
		"- broken.xlsx: not read, moved to failed/: not a spreadsheet: save it again as .xlsx",
		"- orders.csv, row 2: invalid: siret: bad check digit 0",
		"- orders.csv, row 51: invalid: siret: bad check digit 49",
		"… and 11 more: see the reports.",
		"- netwo refused the credentials: check NETWO_API_KEY",
		"- in_doubt fr-port/A9: check with Netwo, then orderdrop resolve",
	} {
		assert.Contains(t, got, want)
	}
	assert.NotContains(t, got, "bad check digit 50")
	html, err := d.HTML()
	require.NoError(t, err)
	assert.Contains(t, html, "<td>orders.csv, row 2</td><td>invalid</td><td>siret: bad check digit 0</td>")
}

func TestMailOverSTARTTLSWithAuthAndAttachment(t *testing.T) {
	srv := notifytest.StartSMTP(t, notifytest.Options{User: "orderdrop", Pass: "s3cret"})
	host, port, _ := net.SplitHostPort(srv.Addr)
	p, _ := strconv.Atoi(port)
	m, err := NewMail(MailOptions{Host: host, Port: p, Username: "orderdrop", Password: "s3cret",
		From: "orderdrop@example.com", To: []string{"ops@example.com", "lead@example.com"},
		TLSConfig: &tls.Config{RootCAs: srv.Pool, ServerName: host, MinVersion: tls.VersionTLS12}})
	require.NoError(t, err)
	d := Build(samplePass(t), 0)
	require.NoError(t, m.Send(context.Background(), d))

	got := srv.Received()
	require.Len(t, got, 1)
	assert.True(t, got[0].TLS, "the mail went over STARTTLS")
	assert.Equal(t, "orderdrop", got[0].User)
	assert.Equal(t, "orderdrop@example.com", got[0].From)
	assert.Equal(t, []string{"ops@example.com", "lead@example.com"}, got[0].To)
	hdr, parts := notifytest.ParseMail(t, got[0].Data)
	assert.Equal(t, d.Subject(), notifytest.DecodeHeader(t, hdr.Get("Subject")))
	assert.Equal(t, d.ID, hdr.Get("X-Orderdrop-Digest"))
	var text, html, attached string
	for _, p := range parts {
		switch {
		case p.Filename != "":
			attached = p.Filename + "=" + string(p.Body)
		case p.Type == "text/plain":
			text = string(p.Body)
		case p.Type == "text/html":
			html = string(p.Body)
		}
	}
	assert.Contains(t, text, "- orders.csv, row 2: invalid: siret: bad check digit 0")
	assert.Contains(t, html, "<h3>Rows needing attention</h3>")
	assert.Equal(t, "orders.result.csv=order_ref,status\nA1,invalid\n", attached)
}

func TestMailRefusedCredentials(t *testing.T) {
	srv := notifytest.StartSMTP(t, notifytest.Options{User: "orderdrop", Pass: "s3cret"})
	host, port, _ := net.SplitHostPort(srv.Addr)
	p, _ := strconv.Atoi(port)
	m, err := NewMail(MailOptions{Host: host, Port: p, Username: "orderdrop", Password: "wrong",
		From: "orderdrop@example.com", To: []string{"ops@example.com"},
		TLSConfig: &tls.Config{RootCAs: srv.Pool, ServerName: host, MinVersion: tls.VersionTLS12}})
	require.NoError(t, err)
	err = m.Send(context.Background(), Build(samplePass(t), 0))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "wrong", "the password never reaches a message")
	assert.Empty(t, srv.Received())
}

func TestMailAttachmentOverLimitIsNamedOnly(t *testing.T) {
	srv := notifytest.StartSMTP(t, notifytest.Options{User: "u", Pass: "p"})
	host, port, _ := net.SplitHostPort(srv.Addr)
	p, _ := strconv.Atoi(port)
	m, err := NewMail(MailOptions{Host: host, Port: p, Username: "u", Password: "p", From: "a@example.com", To: []string{"b@example.com"},
		AttachMax: 10, TLSConfig: &tls.Config{RootCAs: srv.Pool, ServerName: host, MinVersion: tls.VersionTLS12}})
	require.NoError(t, err)
	require.NoError(t, m.Send(context.Background(), Build(samplePass(t), 0)))
	got := srv.Received()
	require.Len(t, got, 1)
	_, parts := notifytest.ParseMail(t, got[0].Data)
	for _, p := range parts {
		assert.Empty(t, p.Filename, "a report over the limit is not attached")
	}
}

// hookReceiver is a loopback webhook receiver that verifies signatures.
type hookReceiver struct {
	secret string
	mu     sync.Mutex
	fail   int // answer 503 to this many requests first
	got    []WebhookBody
	bad    []string
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fail > 0 {
		h.fail--
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	if !Verify(h.secret, r.Header.Get(TimestampHeader), body, r.Header.Get(SignatureHeader)) {
		h.bad = append(h.bad, string(body))
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var b WebhookBody
	if err := json.Unmarshal(body, &b); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.got = append(h.got, b)
}

func (h *hookReceiver) bodies() []WebhookBody {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]WebhookBody(nil), h.got...)
}

func noWait(int) time.Duration { return 0 }

func TestWebhookSignedRetriedThenOutboxNextPass(t *testing.T) {
	recv := &hookReceiver{secret: "hook-secret", fail: 3}
	srv := httptest.NewServer(recv)
	t.Cleanup(srv.Close)
	hook, err := NewWebhook(WebhookOptions{URL: srv.URL + "/hook", Secret: "hook-secret", MaxAttempts: 2, Backoff: noWait})
	require.NoError(t, err)
	outbox := filepath.Join(t.TempDir(), "notify-outbox.json")
	n := New(Options{Channels: []Channel{hook}, Outbox: outbox, Logger: slog.New(slog.DiscardHandler)})

	// Pass 1: two attempts, both 503: kept in the outbox.
	d1 := Build(samplePass(t), 0)
	res := n.Deliver(context.Background(), d1)
	assert.Equal(t, Result{Sent: 0, Failed: 1, Pending: 1}, res)
	assert.FileExists(t, outbox)
	assert.Empty(t, recv.bodies())

	// Pass 2 with nothing new: the first attempt fails (the last 503), the
	// retry delivers the digest of pass 1; the outbox is emptied.
	res = n.Deliver(context.Background(), nil)
	assert.Equal(t, Result{Sent: 1, Failed: 0, Pending: 0}, res)
	assert.NoFileExists(t, outbox)

	// Pass 3: a new digest goes straight through.
	d3 := Build(Pass{At: passAt.Add(time.Hour), Problems: []string{"thinktel unreachable"}}, 0)
	res = n.Deliver(context.Background(), d3)
	assert.Equal(t, Result{Sent: 1}, res)

	got := recv.bodies()
	require.Len(t, got, 2)
	assert.Equal(t, d1.ID, got[0].Digest.ID)
	assert.Equal(t, d1.Text(), got[0].Text)
	assert.Len(t, got[0].Digest.Rows, 50)
	assert.Equal(t, 11, got[0].Digest.MoreRows)
	assert.Equal(t, "fr-port/A9", got[0].Digest.Attention[0].Key)
	assert.Equal(t, d3.ID, got[1].Digest.ID)
	assert.Empty(t, recv.bad, "every signature verified")
}

func TestWebhookWrongSecretIsRefused(t *testing.T) {
	recv := &hookReceiver{secret: "right"}
	srv := httptest.NewServer(recv)
	t.Cleanup(srv.Close)
	hook, err := NewWebhook(WebhookOptions{URL: srv.URL, Secret: "wrong", Backoff: noWait})
	require.NoError(t, err)
	err = hook.Send(context.Background(), Build(samplePass(t), 0))
	require.ErrorIs(t, err, errPermanent)
	assert.Len(t, recv.bad, 1, "a 401 is not retried")
}

func TestDeliverIsBoundedInTime(t *testing.T) {
	// A receiver that never answers: Deliver returns when its timeout ends
	// and keeps the digest.
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(block); srv.Close() })
	hook, err := NewWebhook(WebhookOptions{URL: srv.URL, Secret: "s", Backoff: noWait})
	require.NoError(t, err)
	outbox := filepath.Join(t.TempDir(), "outbox.json")
	n := New(Options{Channels: []Channel{hook}, Outbox: outbox, Timeout: 50 * time.Millisecond})
	res := n.Deliver(context.Background(), Build(samplePass(t), 0))
	assert.Equal(t, Result{Failed: 1, Pending: 1}, res)
	data, err := os.ReadFile(outbox)
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(data), `"channels": [`), string(data))
}

func TestHeartbeat(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r.Method+" "+r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	h, err := NewHeartbeat(srv.URL+"/ping/abc", "post")
	require.NoError(t, err)
	require.NoError(t, h.Ping(context.Background()))
	assert.Equal(t, []string{"POST /ping/abc"}, got)

	_, err = NewHeartbeat("http://example.com/ping", "")
	assert.ErrorIs(t, err, ErrBadURL, "plain http only to loopback")
}

// flakyChannel fails its first fail sends and keeps what it delivered.
type flakyChannel struct {
	fail int
	got  []*Digest
}

func (c *flakyChannel) Name() string { return "flaky" }

func (c *flakyChannel) Send(_ context.Context, d *Digest) error {
	if c.fail > 0 {
		c.fail--
		return fmt.Errorf("down")
	}
	c.got = append(c.got, d)
	return nil
}

// A digest sent again from the outbox names its time zone as it did the
// first time, not only its offset.
func TestOutboxKeepsTheTimeZoneName(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	outbox := filepath.Join(t.TempDir(), "notify-outbox.json")
	ch := &flakyChannel{fail: 1}
	n := New(Options{Channels: []Channel{ch}, Outbox: outbox, Location: paris, Logger: slog.New(slog.DiscardHandler)})
	d := Build(Pass{At: passAt.In(paris), Problems: []string{"thinktel unreachable"}}, 0)
	require.Contains(t, d.Text(), "Pass ended 2026-12-02 04:00:00 CET.")

	assert.Equal(t, Result{Failed: 1, Pending: 1}, n.Deliver(context.Background(), d))
	assert.Equal(t, Result{Sent: 1}, n.Deliver(context.Background(), nil))
	require.Len(t, ch.got, 1)
	assert.Contains(t, ch.got[0].Text(), "orderdrop run: 1 problem needs attention\nPass ended 2026-12-02 04:00:00 CET.", "got %q", ch.got[0].Text())
}
