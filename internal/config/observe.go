package config

import (
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// Notify configures the digest sent after a pass that left something for a
// person (DESIGN §12). Off by default: nothing is sent until a channel
// (mail.host or webhook.url) is set.
type Notify struct {
	// MaxRows is how many rows needing attention a digest lists before
	// "and N more". 0 = 50.
	MaxRows int `yaml:"max_rows"`
	// Timeout is each channel's budget after a pass, retries included; the
	// channels are sent in parallel, one attempt getting a third of it (at
	// most 10s). 0 = 30s.
	Timeout time.Duration `yaml:"timeout"`
	// Outbox is the file keeping digests not yet delivered; the next pass
	// sends them again. "" = "notify-outbox.json" beside the ledger.
	Outbox    string          `yaml:"outbox"`
	Mail      NotifyMail      `yaml:"mail"`
	Webhook   NotifyWebhook   `yaml:"webhook"`
	Heartbeat NotifyHeartbeat `yaml:"heartbeat"`

	// OutboxMaxBytes is the largest the outbox grows; the oldest digests are
	// dropped, and logged, beyond. 0 = 4 MiB.
	OutboxMaxBytes int `yaml:"outbox_max_bytes"`
}

// NotifyMail is the SMTP channel.
type NotifyMail struct {
	Host string `yaml:"host"` // SMTP server; "" = no mail
	Port int    `yaml:"port"` // 0 = 587 (465 with tls: tls, 25 with tls: none)
	// TLS is "starttls" (required upgrade), "tls" (implicit TLS) or "none"
	// (a relay on this machine only). "" = "starttls".
	TLS      string   `yaml:"tls"`
	Username Secret   `yaml:"username"` // "" = no authentication
	Password Secret   `yaml:"password"`
	From     string   `yaml:"from"` // required with host
	To       []string `yaml:"to"`   // at least one with host
	// AttachMax is the largest report attached, in bytes; a larger one is
	// only named. 0 = 5 MiB; -1 = never attach.
	AttachMax int64 `yaml:"attach_max"`
}

// NotifyWebhook is the JSON webhook channel.
type NotifyWebhook struct {
	// URL receives a POST per digest; often a secret itself, so a ${ENV}
	// reference. "" = no webhook.
	URL Secret `yaml:"url"`
	// Secret keys the HMAC-SHA256 signature header. "" = unsigned.
	Secret Secret `yaml:"secret"`
	// MaxAttempts per delivery, first included, within notify.timeout. 0 = 3.
	MaxAttempts int `yaml:"max_attempts"`
}

// NotifyHeartbeat is the dead-man's switch pinged after every successful pass.
type NotifyHeartbeat struct {
	URL    Secret `yaml:"url"`    // "" = no ping
	Method string `yaml:"method"` // GET or POST; "" = GET
}

// Metrics configures the Prometheus metrics.
type Metrics struct {
	// Addr is where the daemon serves /metrics and /healthz. "" =
	// "127.0.0.1:9464" (loopback only); "off" = not served.
	Addr string `yaml:"addr"`
	// Textfile, when set, is a file `orderdrop run` writes the metrics to
	// after each pass, for node_exporter's textfile collector (name it
	// *.prom in the collector's folder). "" = not written.
	Textfile string `yaml:"textfile"`
}

// DefaultMetricsAddr is where the daemon serves metrics when metrics.addr is empty.
const DefaultMetricsAddr = "127.0.0.1:9464"

// MetricsOff is the metrics.addr value that turns the HTTP endpoint off.
const MetricsOff = "off"

// observeSecrets are the notification secrets, for expand.
func (c *Config) observeSecrets() map[string]*Secret {
	return map[string]*Secret{
		"notify.mail.username":  &c.Notify.Mail.Username,
		"notify.mail.password":  &c.Notify.Mail.Password,
		"notify.webhook.url":    &c.Notify.Webhook.URL,
		"notify.webhook.secret": &c.Notify.Webhook.Secret,
		"notify.heartbeat.url":  &c.Notify.Heartbeat.URL,
	}
}

func (c *Config) observeDefaults() {
	n := &c.Notify
	if n.MaxRows == 0 {
		n.MaxRows = 50
	}
	if n.Timeout == 0 {
		n.Timeout = 30 * time.Second
	}
	if n.Outbox == "" {
		n.Outbox = filepath.Join(filepath.Dir(c.Ledger), "notify-outbox.json")
	} else if !filepath.IsAbs(n.Outbox) {
		n.Outbox = filepath.Join(c.stateBase(), n.Outbox)
	}
	if n.OutboxMaxBytes == 0 {
		n.OutboxMaxBytes = 4 << 20
	}
	if n.Mail.TLS == "" {
		n.Mail.TLS = "starttls"
	}
	if n.Mail.Port == 0 {
		n.Mail.Port = map[string]int{"starttls": 587, "tls": 465, "none": 25}[n.Mail.TLS]
	}
	if n.Mail.AttachMax == 0 {
		n.Mail.AttachMax = 5 << 20
	}
	if n.Webhook.MaxAttempts == 0 {
		n.Webhook.MaxAttempts = 3
	}
	n.Heartbeat.Method = strings.ToUpper(n.Heartbeat.Method)
	if n.Heartbeat.Method == "" {
		n.Heartbeat.Method = "GET"
	}
	if c.Metrics.Addr == "" {
		c.Metrics.Addr = DefaultMetricsAddr
	}
	if c.Metrics.Textfile != "" && !filepath.IsAbs(c.Metrics.Textfile) {
		c.Metrics.Textfile = filepath.Join(c.stateBase(), c.Metrics.Textfile)
	}
}

func (c *Config) observeCheck(bad func(key, format string, args ...any)) {
	n := c.Notify
	if n.MaxRows < 0 {
		bad("notify.max_rows", "must not be negative")
	}
	if n.Timeout < 0 {
		bad("notify.timeout", "must not be negative")
	}
	if n.OutboxMaxBytes < 0 {
		bad("notify.outbox_max_bytes", "must not be negative (0 = 4 MiB)")
	}
	m := n.Mail
	switch m.TLS {
	case "starttls", "tls", "none":
	default:
		bad("notify.mail.tls", "%q must be starttls, tls or none", m.TLS)
	}
	if m.Host != "" {
		if m.From == "" || len(m.To) == 0 {
			bad("notify.mail", "from and to are required when host is set")
		}
		if m.TLS == "none" && !carrier.IsLoopback(m.Host) {
			bad("notify.mail.tls", "none is allowed only for a relay on this machine (host localhost or 127.0.0.1); use starttls")
		}
	}
	if m.Port < 0 || m.Port > 65535 {
		bad("notify.mail.port", "%d is not a port", m.Port)
	}
	if u := n.Webhook.URL.Value(); u != "" && !httpsOrLoopback(u) {
		bad("notify.webhook.url", "must be https://… (plain http only to a loopback host)")
	}
	if n.Webhook.MaxAttempts < 1 || n.Webhook.MaxAttempts > 10 {
		bad("notify.webhook.max_attempts", "%d must be between 1 and 10", n.Webhook.MaxAttempts)
	}
	if u := n.Heartbeat.URL.Value(); u != "" && !httpsOrLoopback(u) {
		bad("notify.heartbeat.url", "must be https://… (plain http only to a loopback host)")
	}
	if n.Heartbeat.Method != "GET" && n.Heartbeat.Method != "POST" {
		bad("notify.heartbeat.method", "%q must be GET or POST", n.Heartbeat.Method)
	}
	if a := c.Metrics.Addr; a != MetricsOff {
		if _, _, err := net.SplitHostPort(a); err != nil {
			bad("metrics.addr", "%q must be host:port such as 127.0.0.1:9464, or off", a)
		}
	}
}

// NotifyEnabled reports whether a digest channel is configured.
func (c *Config) NotifyEnabled() bool {
	return c.Notify.Mail.Host != "" || c.Notify.Webhook.URL.Value() != ""
}

func httpsOrLoopback(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	return u.Scheme == "https" || (u.Scheme == "http" && carrier.IsLoopback(u.Hostname()))
}
