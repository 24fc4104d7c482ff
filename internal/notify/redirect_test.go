package notify

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// redirecting starts a loopback server answering every request with code
// and a Location on a second loopback server, which counts what it gets.
func redirecting(t *testing.T, code int) (from string, second *atomic.Int32) {
	t.Helper()
	second = new(atomic.Int32)
	to := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { second.Add(1) }))
	t.Cleanup(to.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, to.URL+"/elsewhere/T0K3N?key=s3cret", code)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, second
}

func TestWebhookAndHeartbeatDoNotFollowRedirects(t *testing.T) {
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			from, second := redirecting(t, code)
			hook, err := NewWebhook(WebhookOptions{URL: from + "/hook", Secret: "s", Backoff: noWait})
			require.NoError(t, err)
			err = hook.Send(context.Background(), Build(samplePass(t), 0))
			require.Error(t, err, "a redirect is not a delivery")
			assert.ErrorIs(t, err, errPermanent, "a redirect is not retried")
			assert.Contains(t, err.Error(), "redirected to http://127.0.0.1:")
			assert.ErrorIs(t, err, ErrRedirect)
			assert.Contains(t, err.Error(), "/elsewhere/…?key=…")
			assert.NotContains(t, err.Error(), "T0K3N")
			assert.NotContains(t, err.Error(), "s3cret")

			hb, err := NewHeartbeat(from+"/ping", "POST")
			require.NoError(t, err)
			err = hb.Ping(context.Background())
			require.Error(t, err)
			assert.Contains(t, err.Error(), "redirected to http://127.0.0.1:")
			assert.ErrorIs(t, err, ErrRedirect)
			assert.NotContains(t, err.Error(), "T0K3N")

			assert.Zero(t, second.Load(), "the second server receives nothing")
		})
	}
}
