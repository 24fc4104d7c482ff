package notify

import (
	"context"
	"crypto/tls"
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/notify/notifytest"
)

// A digest names each row's order_ref, each attention item by its id on
// one line, links to the review page when there is one, and shows file
// names, not server paths.
func TestDigestDetails(t *testing.T) {
	p := samplePass(t)
	p.Rows[0].OrderRef = "FR-26-101"
	p.Attention = []AttentionItem{
		{ID: "3f9a2c1b", What: "in_doubt", Key: "fr-port/A9", Action: "check with Netwo, then orderdrop resolve"},
		{ID: "0a1b2c3d", What: "failed_file broken.xlsx:\nnot a spreadsheet", Action: "read it"},
	}
	p.Link = "https://ops.example/orderdrop/"
	d := Build(p, 0)
	got := d.Text()
	for _, want := range []string{
		"- orders.csv, row 2, order_ref FR-26-101: invalid: siret: bad check digit 0",
		"- [3f9a2c1b] in_doubt fr-port/A9: check with Netwo, then orderdrop resolve\n",
		"Review page: https://ops.example/orderdrop/",
		"- [0a1b2c3d] failed_file broken.xlsx: not a spreadsheet: read it\n",
	} {
		assert.Contains(t, got, want)
	}
	html, err := d.HTML()
	require.NoError(t, err)
	assert.Contains(t, html, `<a href="https://ops.example/orderdrop/">`)
	assert.Contains(t, html, "order_ref FR-26-101")
}

func TestMailIsMarkedAutoSubmitted(t *testing.T) {
	srv := notifytest.StartSMTP(t, notifytest.Options{User: "orderdrop", Pass: "s3cret"})
	host, port, _ := net.SplitHostPort(srv.Addr)
	p, _ := strconv.Atoi(port)
	m, err := NewMail(MailOptions{Host: host, Port: p, Username: "orderdrop", Password: "s3cret",
		From: "orderdrop@example.com", To: []string{"ops@example.com"},
		TLSConfig: &tls.Config{RootCAs: srv.Pool, ServerName: host, MinVersion: tls.VersionTLS12}})
	require.NoError(t, err)
	require.NoError(t, m.Send(context.Background(), Build(samplePass(t), 0)))
	got := srv.Received()
	require.Len(t, got, 1)
	hdr, _ := notifytest.ParseMail(t, got[0].Data)
	assert.Equal(t, "auto-generated", hdr.Get("Auto-Submitted"))
}
