package notify

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/notify/notifytest"
)

// hangingHook is a loopback webhook receiver that never answers; it is
// released when the test ends.
func hangingHook(t *testing.T) *httptest.Server {
	t.Helper()
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(block); srv.Close() })
	return srv
}

func testMail(t *testing.T, srv *notifytest.SMTP) *Mail {
	t.Helper()
	host, port, _ := net.SplitHostPort(srv.Addr)
	p, _ := strconv.Atoi(port)
	m, err := NewMail(MailOptions{Host: host, Port: p, Username: "u", Password: "p", From: "a@example.com", To: []string{"b@example.com"},
		TLSConfig: &tls.Config{RootCAs: srv.Pool, ServerName: host, MinVersion: tls.VersionTLS12}})
	require.NoError(t, err)
	return m
}

func TestHangingWebhookDoesNotStarveMail(t *testing.T) {
	hook, err := NewWebhook(WebhookOptions{URL: hangingHook(t).URL + "/hook", Secret: "s", Backoff: noWait})
	require.NoError(t, err)
	smtpSrv := notifytest.StartSMTP(t, notifytest.Options{User: "u", Pass: "p"})
	outbox := filepath.Join(t.TempDir(), "notify-outbox.json")
	n := New(Options{Channels: []Channel{hook, testMail(t, smtpSrv)}, Outbox: outbox, Timeout: 2 * time.Second})

	start := time.Now()
	res := n.Deliver(context.Background(), Build(samplePass(t), 0))
	assert.Less(t, time.Since(start), 4*time.Second)
	assert.Equal(t, Result{Sent: 1, Failed: 1, Pending: 1}, res)
	assert.Len(t, smtpSrv.Received(), 1, "the mail went out although the webhook hung")
}

// recorder records the digests it is asked to send, delivering the first
// ok of them and failing the others.
type recorder struct {
	name string
	ok   int
	mu   sync.Mutex
	got  []string
}

func (r *recorder) Name() string { return r.name }

func (r *recorder) Send(_ context.Context, d *Digest) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, d.ID)
	if len(r.got) > r.ok {
		return errDown
	}
	return nil
}

var errDown = &net.OpError{Op: "dial", Net: "tcp", Err: assert.AnError}

func TestDeliverSendsTheNewestFirst(t *testing.T) {
	outbox := filepath.Join(t.TempDir(), "notify-outbox.json")
	down := &recorder{name: "flaky"}
	n := New(Options{Channels: []Channel{down}, Outbox: outbox, Logger: slog.New(slog.DiscardHandler)})
	var ids []string
	for i := range 3 {
		d := Build(Pass{At: passAt.Add(time.Duration(i) * time.Hour), Problems: []string{"prizz unreachable"}}, 0)
		ids = append(ids, d.ID)
		n.Deliver(context.Background(), d)
	}
	down.mu.Lock()
	down.got, down.ok = nil, 1
	down.mu.Unlock()
	d := Build(Pass{At: passAt.Add(4 * time.Hour), Problems: []string{"prizz unreachable"}}, 0)
	res := n.Deliver(context.Background(), d)
	assert.Equal(t, Result{Sent: 1, Failed: 3, Pending: 3}, res)
	assert.Equal(t, []string{d.ID, ids[2], ids[1], ids[0]}, down.got, "newest first")
}

func TestDeliverStopsWhenCancelled(t *testing.T) {
	hook, err := NewWebhook(WebhookOptions{URL: hangingHook(t).URL, Secret: "s", Backoff: noWait})
	require.NoError(t, err)
	outbox := filepath.Join(t.TempDir(), "notify-outbox.json")
	n := New(Options{Channels: []Channel{hook}, Outbox: outbox, Timeout: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	res := n.Deliver(ctx, Build(samplePass(t), 0))
	assert.Less(t, time.Since(start), 5*time.Second, "a stop (SIGTERM) ends the delivery")
	assert.Equal(t, Result{Failed: 1, Pending: 1}, res, "the digest waits in the outbox")
}

func TestAttemptTimeout(t *testing.T) {
	tests := []struct{ budget, want time.Duration }{
		{30 * time.Second, 10 * time.Second},
		{time.Minute, 10 * time.Second},
		{3 * time.Second, time.Second},
		{0, 10 * time.Second},
	}
	for _, tt := range tests {
		if got := AttemptTimeout(tt.budget); got != tt.want {
			t.Errorf("AttemptTimeout(%s) = %s, want %s", tt.budget, got, tt.want)
		}
	}
}

// A webhook request that hangs is cut short enough for its retry to
// deliver within the channel's budget.
func TestWebhookRetriesAHangingRequestWithinTheBudget(t *testing.T) {
	recv := &hookReceiver{secret: "s"}
	var mu sync.Mutex
	hung := false
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		first := !hung
		hung = true
		mu.Unlock()
		if first {
			select {
			case <-block:
			case <-r.Context().Done():
			}
			return
		}
		recv.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { close(block); srv.Close() })
	budget := 1500 * time.Millisecond
	hook, err := NewWebhook(WebhookOptions{URL: srv.URL, Secret: "s", Backoff: noWait, Timeout: AttemptTimeout(budget)})
	require.NoError(t, err)
	n := New(Options{Channels: []Channel{hook}, Timeout: budget})
	assert.Equal(t, Result{Sent: 1}, n.Deliver(context.Background(), Build(samplePass(t), 0)))
	assert.Len(t, recv.bodies(), 1)
}

// gateChannel fails every send, the first one only once released or after
// a short wait.
type gateChannel struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (g *gateChannel) Name() string { return "mail" }

func (g *gateChannel) Send(context.Context, *Digest) error {
	g.once.Do(func() {
		close(g.started)
		select {
		case <-g.release:
		case <-time.After(300 * time.Millisecond):
		}
	})
	return errDown
}

// Two notifiers on one outbox (the daemon's before and after a reload)
// never lose each other's digests.
func TestNotifiersSharingAnOutboxKeepBothDigests(t *testing.T) {
	outbox := filepath.Join(t.TempDir(), "notify-outbox.json")
	slow := &gateChannel{started: make(chan struct{}), release: make(chan struct{})}
	a := New(Options{Channels: []Channel{slow}, Outbox: outbox})
	b := New(Options{Channels: []Channel{&recorder{name: "mail"}}, Outbox: outbox})
	da := Build(Pass{At: passAt, Problems: []string{"a"}}, 0)
	db := Build(Pass{At: passAt.Add(time.Hour), Problems: []string{"b"}}, 0)
	done := make(chan struct{})
	go func() { defer close(done); a.Deliver(context.Background(), da) }()
	<-slow.started
	b.Deliver(context.Background(), db)
	close(slow.release)
	<-done
	data, err := os.ReadFile(outbox)
	require.NoError(t, err)
	assert.Contains(t, string(data), da.ID)
	assert.Contains(t, string(data), db.ID)
}
