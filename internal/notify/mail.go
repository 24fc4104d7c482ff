package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/wneessen/go-mail"
)

// TLS modes of MailOptions.TLS.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS, required (port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no TLS at all: only for a relay on the same machine
)

// DefaultAttachMax is the largest report attached to a mail, in bytes.
const DefaultAttachMax = 5 << 20

// MailOptions configure the mail channel.
type MailOptions struct {
	Host     string   // SMTP server; required
	Port     int      // 0 = 587 (465 with TLS "tls", 25 with "none")
	TLS      string   // "starttls", "tls" or "none"; "" = "starttls"
	Username string   // "" = no authentication
	Password string   // used with Username
	From     string   // sender address; required
	To       []string // recipients; at least one
	// AttachMax is the largest report or to-fix file attached, in bytes
	// (each file on its own); a larger one is named in the text only. 0 = 5 MiB; negative = never attach.
	AttachMax int64
	// TLSConfig overrides the TLS settings (tests trust their own
	// certificate here). nil = system roots, server name from Host.
	TLSConfig *tls.Config
	// Timeout bounds one whole SMTP session: connecting, the server's
	// greeting, TLS and every command until QUIT. 0 = 30s.
	Timeout time.Duration
}

// Mail sends digests by SMTP.
type Mail struct{ opts MailOptions }

// ErrMailConfig is returned by NewMail when a required mail setting is missing.
var ErrMailConfig = errors.New("mail notification needs host, from and at least one recipient")

// NewMail checks opts and returns the mail channel.
func NewMail(opts MailOptions) (*Mail, error) {
	if opts.Host == "" || opts.From == "" || len(opts.To) == 0 {
		return nil, ErrMailConfig
	}
	if opts.TLS == "" {
		opts.TLS = TLSStartTLS
	}
	switch opts.TLS {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("mail tls %q: use starttls, tls or none", opts.TLS)
	}
	if opts.Port == 0 {
		opts.Port = map[string]int{TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25}[opts.TLS]
	}
	if opts.AttachMax == 0 {
		opts.AttachMax = DefaultAttachMax
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	return &Mail{opts: opts}, nil
}

// Name implements Channel.
func (m *Mail) Name() string { return "mail" }

// Send implements Channel: one mail with a text and an HTML part, the
// reports attached when small enough. The whole session, from connecting to
// QUIT, ends within the mail timeout or when ctx ends, whichever is first:
// a server that accepts the connection and never answers cannot hold it.
func (m *Mail) Send(ctx context.Context, d *Digest) error {
	msg, err := m.message(d)
	if err != nil {
		return err
	}
	limit := m.opts.Timeout
	if dl, ok := ctx.Deadline(); ok {
		limit = min(limit, time.Until(dl))
	}
	deadline := time.Now().Add(limit)
	c, err := m.client(m.dialer(ctx, deadline))
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		switch {
		case errors.Is(ctx.Err(), context.Canceled):
			return fmt.Errorf("send mail to %s:%d: stopped: %w", m.opts.Host, m.opts.Port, context.Cause(ctx))
		case ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
			return fmt.Errorf("send mail to %s:%d: no answer from the SMTP server within %s: check notify.mail.host, port and tls: %w",
				m.opts.Host, m.opts.Port, limit.Round(time.Millisecond), err)
		}
		return fmt.Errorf("send mail to %s:%d: %w", m.opts.Host, m.opts.Port, err)
	}
	return nil
}

// dialer connects with every read and write of the session bounded by
// deadline, and the connection closed as soon as ctx ends. With implicit
// TLS it also does the TLS handshake (go-mail leaves that to a custom
// dialer).
func (m *Mail) dialer(ctx context.Context, deadline time.Time) mail.DialContextFunc {
	return func(dialCtx context.Context, network, addr string) (net.Conn, error) {
		dctx, cancel := context.WithDeadline(dialCtx, deadline)
		defer cancel()
		var d net.Dialer
		raw, err := d.DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		conn := &deadlineConn{Conn: raw, deadline: deadline}
		if err := conn.SetDeadline(time.Time{}); err != nil {
			_ = raw.Close()
			return nil, fmt.Errorf("set the session deadline: %w", err)
		}
		conn.stop = context.AfterFunc(ctx, func() { _ = raw.Close() })
		if m.opts.TLS == TLSImplicit {
			return tls.Client(conn, m.tlsConfig()), nil
		}
		return conn, nil
	}
}

// deadlineConn is a connection that no deadline set later (go-mail extends
// its own before every message) can push past the session's deadline.
type deadlineConn struct {
	net.Conn
	deadline time.Time
	stop     func() bool // unregisters the close on ctx's end
}

func (c *deadlineConn) clamp(t time.Time) time.Time {
	if t.IsZero() || t.After(c.deadline) {
		return c.deadline
	}
	return t
}

func (c *deadlineConn) SetDeadline(t time.Time) error { return c.Conn.SetDeadline(c.clamp(t)) }

func (c *deadlineConn) SetReadDeadline(t time.Time) error { return c.Conn.SetReadDeadline(c.clamp(t)) }

func (c *deadlineConn) SetWriteDeadline(t time.Time) error {
	return c.Conn.SetWriteDeadline(c.clamp(t))
}

func (c *deadlineConn) Close() error {
	if c.stop != nil {
		c.stop()
	}
	return c.Conn.Close()
}

func (m *Mail) message(d *Digest) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(m.opts.From); err != nil {
		return nil, fmt.Errorf("mail from %q: %w", m.opts.From, err)
	}
	if err := msg.To(m.opts.To...); err != nil {
		return nil, fmt.Errorf("mail to %v: %w", m.opts.To, err)
	}
	msg.Subject(d.Subject())
	msg.SetMessageID()
	msg.SetDate()
	msg.SetGenHeader("X-Orderdrop-Digest", d.ID)
	msg.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies, no vacation answers
	msg.SetBodyString(mail.TypeTextPlain, d.Text())
	if html, err := d.HTML(); err == nil {
		msg.AddAlternativeString(mail.TypeTextHTML, html)
	}
	if m.opts.AttachMax < 0 {
		return msg, nil
	}
	for _, f := range d.Files {
		for _, a := range [...]struct{ path, name string }{{f.Report, f.ReportName()}, {f.ToFix, f.ToFixName()}} {
			if a.path == "" {
				continue
			}
			st, err := os.Stat(a.path)
			if err != nil || !st.Mode().IsRegular() || st.Size() > m.opts.AttachMax {
				continue // named in the text; too big, moved or gone
			}
			msg.AttachFile(a.path, mail.WithFileName(a.name))
		}
	}
	return msg, nil
}

func (m *Mail) tlsConfig() *tls.Config {
	if m.opts.TLSConfig != nil {
		return m.opts.TLSConfig
	}
	return &tls.Config{ServerName: m.opts.Host, MinVersion: tls.VersionTLS12}
}

func (m *Mail) client(dial mail.DialContextFunc) (*mail.Client, error) {
	opts := []mail.Option{mail.WithPort(m.opts.Port), mail.WithTimeout(m.opts.Timeout), mail.WithDialContextFunc(dial)}
	tc := m.tlsConfig()
	switch m.opts.TLS {
	case TLSStartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory), mail.WithTLSConfig(tc))
	case TLSImplicit:
		opts = append(opts, mail.WithSSL(), mail.WithTLSConfig(tc))
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if m.opts.Username != "" {
		auth := mail.SMTPAuthPlain
		if m.opts.TLS == TLSNone {
			auth = mail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(m.opts.Username), mail.WithPassword(m.opts.Password))
	}
	c, err := mail.NewClient(m.opts.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail client for %s: %w", m.opts.Host, err)
	}
	return c, nil
}
