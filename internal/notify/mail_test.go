package notify

import (
	"context"
	"crypto/tls"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/notify/notifytest"
)

// silentSMTP accepts connections on 127.0.0.1:0 and never says a word (no
// greeting): the server of the 12-minute hang. It stops with the test.
func silentSMTP(t *testing.T) (host string, port int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	h, p, _ := net.SplitHostPort(l.Addr().String())
	port, _ = strconv.Atoi(p)
	return h, port
}

func TestMailSilentServerTimesOut(t *testing.T) {
	for _, mode := range []string{TLSStartTLS, TLSImplicit, TLSNone} {
		t.Run(mode, func(t *testing.T) {
			host, port := silentSMTP(t)
			m, err := NewMail(MailOptions{Host: host, Port: port, TLS: mode, From: "a@example.com", To: []string{"b@example.com"},
				Timeout: 200 * time.Millisecond})
			require.NoError(t, err)
			start := time.Now()
			err = m.Send(context.Background(), Build(samplePass(t), 0))
			took := time.Since(start)
			require.Error(t, err)
			assert.Less(t, took, 2*time.Second, "the send is bounded by the mail timeout")
			assert.Contains(t, err.Error(), "no answer from the SMTP server within 200ms")
		})
	}
}

func TestMailSendHonoursCancel(t *testing.T) {
	host, port := silentSMTP(t)
	m, err := NewMail(MailOptions{Host: host, Port: port, TLS: TLSNone, From: "a@example.com", To: []string{"b@example.com"},
		Timeout: time.Minute})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	err = m.Send(ctx, Build(samplePass(t), 0))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second, "a stop (SIGTERM) ends the send")
}

func TestMailOverImplicitTLS(t *testing.T) {
	srv := notifytest.StartSMTP(t, notifytest.Options{User: "u", Pass: "p", ImplicitTLS: true})
	host, port, _ := net.SplitHostPort(srv.Addr)
	p, _ := strconv.Atoi(port)
	m, err := NewMail(MailOptions{Host: host, Port: p, TLS: TLSImplicit, Username: "u", Password: "p",
		From: "a@example.com", To: []string{"b@example.com"}, Timeout: 5 * time.Second,
		TLSConfig: &tls.Config{RootCAs: srv.Pool, ServerName: host, MinVersion: tls.VersionTLS12}})
	require.NoError(t, err)
	require.NoError(t, m.Send(context.Background(), Build(samplePass(t), 0)))
	got := srv.Received()
	require.Len(t, got, 1)
	assert.True(t, got[0].TLS, "the session was TLS from the first byte")
	assert.Equal(t, "u", got[0].User)
}

// A channel budget shorter than the mail timeout bounds the session, and
// the message says how long it waited.
func TestMailSilentServerWithinTheCallersDeadline(t *testing.T) {
	host, port := silentSMTP(t)
	m, err := NewMail(MailOptions{Host: host, Port: port, TLS: TLSNone, From: "a@example.com", To: []string{"b@example.com"},
		Timeout: time.Minute})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = m.Send(ctx, Build(samplePass(t), 0))
	require.Error(t, err)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Contains(t, err.Error(), "no answer from the SMTP server within")
	assert.NotContains(t, err.Error(), "stopped")
}
