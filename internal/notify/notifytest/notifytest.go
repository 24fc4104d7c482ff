// Package notifytest provides a loopback SMTP server for tests: STARTTLS
// with a self-signed certificate the test trusts, AUTH PLAIN, and every
// accepted mail kept for inspection, plus a MIME parser to read them.
package notifytest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"
)

// selfSigned returns a server certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "orderdrop test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// Received is one mail the test SMTP server accepted.
type Received struct {
	From string
	To   []string
	User string // authenticated user
	TLS  bool   // the session was upgraded with STARTTLS
	Data []byte
}

// SMTP is a loopback SMTP server requiring AUTH PLAIN (and, unless
// started with Insecure, STARTTLS before it).
type SMTP struct {
	Addr string         // host:port
	Pool *x509.CertPool // trusts the server's certificate

	mu   sync.Mutex
	mail []Received
	fail bool // refuse every mail (a 451), to test the outbox
}

// Options configure StartSMTP.
type Options struct {
	User, Pass string // the only credentials accepted
	// Insecure allows AUTH without STARTTLS (for a client configured with
	// tls: none). false = AUTH only once STARTTLS is done.
	Insecure bool
	// ImplicitTLS speaks TLS from the first byte (port 465 style) instead
	// of offering STARTTLS.
	ImplicitTLS bool
}

// StartSMTP starts the server on 127.0.0.1:0; it stops with the test.
func StartSMTP(t testing.TB, opts Options) *SMTP {
	t.Helper()
	user, pass := opts.User, opts.Pass
	cert, pool := selfSigned(t)
	ss := &SMTP{Pool: pool}
	s := smtp.NewServer(backendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{srv: ss, conn: c, user: user, pass: pass}, nil
	}))
	s.Domain = "localhost"
	s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	s.AllowInsecureAuth = opts.Insecure
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ss.Addr = l.Addr().String()
	if opts.ImplicitTLS {
		l = tls.NewListener(l, s.TLSConfig)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close(); <-done })
	return ss
}

// SetFail makes the server refuse (true) or accept (false) every mail.
func (s *SMTP) SetFail(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = v
}

// Received returns the mails accepted so far.
func (s *SMTP) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.mail...)
}

type backendFunc func(c *smtp.Conn) (smtp.Session, error)

func (f backendFunc) NewSession(c *smtp.Conn) (smtp.Session, error) { return f(c) }

type session struct {
	srv        *SMTP
	conn       *smtp.Conn
	user, pass string
	cur        Received
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.user || pass != s.pass {
			return errors.New("bad credentials")
		}
		s.cur.User = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.cur.User == "" {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	s.cur.From = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.fail {
		return &smtp.SMTPError{Code: 451, Message: "try again later"}
	}
	_, s.cur.TLS = s.conn.TLSConnectionState()
	s.cur.Data = data
	s.srv.mail = append(s.srv.mail, s.cur)
	return nil
}

func (s *session) Reset()        { s.cur = Received{User: s.cur.User} }
func (s *session) Logout() error { return nil }

// Part is one leaf of a parsed MIME message.
type Part struct {
	Type     string
	Filename string
	Body     []byte
}

// ParseMail returns the headers and every leaf part of a raw message.
func ParseMail(t testing.TB, raw []byte) (mail.Header, []Part) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err)
	var parts []Part
	var walk func(ct, enc, disp string, body io.Reader)
	walk = func(ct, enc, disp string, body io.Reader) {
		mt, params, err := mime.ParseMediaType(ct)
		require.NoError(t, err)
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if errors.Is(err, io.EOF) {
					return
				}
				require.NoError(t, err)
				walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p)
			}
		}
		data, err := io.ReadAll(body)
		require.NoError(t, err)
		switch strings.ToLower(enc) {
		case "base64":
			data, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(data)), ""))
			require.NoError(t, err)
		case "quoted-printable":
			data, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(data)))
			require.NoError(t, err)
		}
		var name string
		if disp != "" {
			_, dp, _ := mime.ParseMediaType(disp)
			name = dp["filename"]
		}
		parts = append(parts, Part{Type: mt, Filename: name, Body: data})
	}
	walk(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), "", m.Body)
	return m.Header, parts
}

// DecodeHeader decodes an RFC 2047 header value (a mail subject).
func DecodeHeader(t testing.TB, v string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(v)
	require.NoError(t, err)
	return s
}
