package notify

import (
	"context"
	"crypto/tls"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/notify/notifytest"
)

// TestMailAttachesTheToFixFile: the digest names a file's to-fix file and
// attaches it beside the report when it is within AttachMax; a larger one
// is named only.
func TestMailAttachesTheToFixFile(t *testing.T) {
	for _, c := range []struct {
		name      string
		max       int64
		fixBytes  int
		wantFiles []string
	}{
		{"both attached", 0, 40, []string{"orders.result.csv", "orders.to-fix.csv"}},
		{"to-fix over the limit", 100, 200, []string{"orders.result.csv"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := notifytest.StartSMTP(t, notifytest.Options{User: "u", Pass: "p"})
			host, port, _ := net.SplitHostPort(srv.Addr)
			p, _ := strconv.Atoi(port)
			m, err := NewMail(MailOptions{Host: host, Port: p, Username: "u", Password: "p", From: "a@example.com", To: []string{"b@example.com"},
				AttachMax: c.max, TLSConfig: &tls.Config{RootCAs: srv.Pool, ServerName: host, MinVersion: tls.VersionTLS12}})
			require.NoError(t, err)
			pass := samplePass(t)
			fix := filepath.Join(filepath.Dir(pass.Files[0].Report), "orders.to-fix.csv")
			require.NoError(t, os.WriteFile(fix, []byte(strings.Repeat("x", c.fixBytes)), 0o640))
			pass.Files[0].ToFix = fix
			d := Build(pass, 0)
			assert.Contains(t, d.Text(), "- orders.csv: ")
			assert.Contains(t, d.Text(), "→ report orders.result.csv, to correct and drop again: orders.to-fix.csv\n")
			require.NoError(t, m.Send(context.Background(), d))
			got := srv.Received()
			require.Len(t, got, 1)
			_, parts := notifytest.ParseMail(t, got[0].Data)
			var files []string
			for _, p := range parts {
				if p.Filename != "" {
					files = append(files, p.Filename)
				}
			}
			sort.Strings(files)
			assert.Equal(t, c.wantFiles, files)
		})
	}
}
