package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/sim"
)

// credentialRecorder remembers every credential a request carried to the
// sandbox: header values, and the Prizz bearer token and Thinktel Basic
// value on their own.
type credentialRecorder struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string]bool
}

func (c *credentialRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	for _, h := range []string{"Authorization", "X-Api-Key", "X-Actor-Slug"} {
		v := r.Header.Get(h)
		if v == "" {
			continue
		}
		c.seen[v] = true
		if _, rest, ok := strings.Cut(v, " "); ok && h == "Authorization" {
			c.seen[rest] = true // the token or the base64 user:password alone
		}
	}
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *credentialRecorder) values() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for v := range c.seen {
		out = append(out, v)
	}
	return out
}

// TestNoSecretInAnyOutput runs a full pass at debug level against the
// sandbox (orders submitted, invalid rows, an unreadable file) and looks
// for every credential, token and Basic-auth value in the log, the
// summaries, the reports, the error files and the ledger.
func TestNoSecretInAnyOutput(t *testing.T) {
	if _, err := os.Stat(fixtures); err != nil {
		t.Skip("shared fixtures not present")
	}
	dir := t.TempDir()
	s := sim.New(sim.Options{Seed: 11})
	rec := &credentialRecorder{next: s, seen: map[string]bool{}}
	srv := httptest.NewServer(rec)
	t.Cleanup(func() { s.Close(); srv.Close() })
	cred := sim.DefaultCredentials()
	t.Setenv("SEC_NETWO_KEY", cred.NetwoAPIKey)
	t.Setenv("SEC_NETWO_SLUG", cred.NetwoActorSlug)
	t.Setenv("SEC_PRIZZ_EMAIL", cred.PrizzEmail)
	t.Setenv("SEC_PRIZZ_PASSWORD", cred.PrizzPassword)
	t.Setenv("SEC_TT_USER", cred.ThinktelUser)
	t.Setenv("SEC_TT_PASSWORD", cred.ThinktelPassword)
	yml := fmt.Sprintf(`stable_after: 1ms
log:
  format: json
  level: debug
carriers:
  netwo:
    base_url: %[1]s/netwo/api/v1
    api_key: ${SEC_NETWO_KEY}
    actor_slug: ${SEC_NETWO_SLUG}
  prizz:
    base_url: %[1]s/prizz
    email: ${SEC_PRIZZ_EMAIL}
    password: ${SEC_PRIZZ_PASSWORD}
  thinktel:
    base_url: %[1]s/thinktel/rest.svc
    username: ${SEC_TT_USER}
    password: ${SEC_TT_PASSWORD}
`, srv.URL)
	cfgPath := filepath.Join(dir, "orderdrop.yaml")
	require.NoError(t, os.WriteFile(cfgPath, []byte(yml), 0o600))
	e := &e2e{t: t, dir: dir, cfg: cfgPath, sim: s, srv: srv}
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "inbox"), 0o750))
	for _, name := range []string{"multi-kind.xlsx", "loa-harbourfront-physio.pdf", "l2-openpyxl.xlsx", "fr-port-utf8-bom-comma.csv", "old-format-renamed.xlsx"} {
		e.dropFile(filepath.Join(fixtures, "inbox", name))
	}

	cfg, err := loadConfig(cfgPath)
	require.NoError(t, err)
	var stdout, logs bytes.Buffer
	now := generatedOn(t)
	code, err := runPass(context.Background(), cfg, nil, func() time.Time { return now }, &stdout, newLogger(&logs, cfg.Log))
	require.NoError(t, err)
	assert.Equal(t, ExitAttention, code, stdout.String())
	require.NotEmpty(t, s.Orders(), "the pass must have sent orders, or the test proves nothing")
	for _, want := range []string{`"msg":"carrier request"`, "Authorization: ***", "X-Api-Key: ***"} {
		require.Contains(t, logs.String(), want, "the debug log must show the requests")
	}
	require.FileExists(t, filepath.Join(dir, "failed", "old-format-renamed.xlsx.error.txt"))

	secrets := append(rec.values(), cred.NetwoAPIKey, cred.NetwoActorSlug, cred.PrizzEmail, cred.PrizzPassword, cred.ThinktelUser, cred.ThinktelPassword)
	basic := cred.ThinktelUser + ":" + cred.ThinktelPassword
	secrets = append(secrets, base64.StdEncoding.EncodeToString([]byte(basic)), base64.URLEncoding.EncodeToString([]byte(basic)))
	require.GreaterOrEqual(t, len(rec.values()), 4, "got %d credential values from the requests; want the Netwo headers, a bearer token and the Basic value", len(rec.values()))

	outputs := map[string][]byte{"the log": logs.Bytes(), "the summaries": stdout.Bytes()}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == cfgPath {
			return err
		}
		b, err := os.ReadFile(p)
		outputs[p] = b
		return err
	}))
	require.Contains(t, outputs, cfg.Ledger)
	for where, b := range outputs {
		for _, secret := range secrets {
			assert.False(t, bytes.Contains(b, []byte(secret)), "%s contains the credential %q", where, secret)
		}
	}
}
