package carrier

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMaskHeaders: every header carrying a credential is masked, Netwo's
// X-Actor-Slug included (the README lists it among the credentials).
func TestMaskHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("Authorization", "Basic c2ltOnB3")
	h.Set("X-Api-Key", "k")
	h.Set("X-Actor-Slug", "acme-actor")
	h.Set("Cookie", "s=1")
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "orderdrop/dev")
	got := MaskHeaders(h)
	for _, k := range []string{"Authorization", "X-Api-Key", "X-Actor-Slug", "Cookie"} {
		assert.Equal(t, Masked, got.Get(k), "header %s: got %q, want it masked", k, got.Get(k))
	}
	assert.Equal(t, "application/json", got.Get("Content-Type"))
	assert.Equal(t, "orderdrop/dev", got.Get("User-Agent"))
	assert.Equal(t, "acme-actor", h.Get("X-Actor-Slug"), "the request's own headers are left alone")
}

func TestMaskBodyActorSlug(t *testing.T) {
	assert.Equal(t, `{"actor_slug":"***","id":1}`, MaskBody([]byte(`{"actor_slug":"acme-actor","id":1}`), 0))
}
