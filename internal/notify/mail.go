package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
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
	// AttachMax is the largest report attached, in bytes; a larger one is
	// named in the text only. 0 = 5 MiB; negative = never attach.
	AttachMax int64
	// TLSConfig overrides the TLS settings (tests trust their own
	// certificate here). nil = system roots, server name from Host.
	TLSConfig *tls.Config
	// Timeout bounds connecting and each SMTP command. 0 = 30s.
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
// reports attached when small enough.
func (m *Mail) Send(ctx context.Context, d *Digest) error {
	msg, err := m.message(d)
	if err != nil {
		return err
	}
	c, err := m.client()
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send mail to %s:%d: %w", m.opts.Host, m.opts.Port, err)
	}
	return nil
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
	msg.SetBodyString(mail.TypeTextPlain, d.Text())
	if html, err := d.HTML(); err == nil {
		msg.AddAlternativeString(mail.TypeTextHTML, html)
	}
	if m.opts.AttachMax < 0 {
		return msg, nil
	}
	for _, f := range d.Files {
		if f.Report == "" {
			continue
		}
		st, err := os.Stat(f.Report)
		if err != nil || !st.Mode().IsRegular() || st.Size() > m.opts.AttachMax {
			continue // named in the text; too big, moved or gone
		}
		msg.AttachFile(f.Report)
	}
	return msg, nil
}

func (m *Mail) client() (*mail.Client, error) {
	opts := []mail.Option{mail.WithPort(m.opts.Port), mail.WithTimeout(m.opts.Timeout)}
	tc := m.opts.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: m.opts.Host, MinVersion: tls.VersionTLS12}
	}
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
