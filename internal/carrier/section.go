package carrier

import (
	"log/slog"
	"time"
)

// DefaultEnvironment is carriers.NAME.environment when not set (the
// environment of every order placed before environments existed).
const DefaultEnvironment = "production"

// HTTPSection holds the configuration every carrier shares, inlined in
// its section carriers.NAME.
type HTTPSection struct {
	BaseURL string `yaml:"base_url"` // "" = carrier not configured
	// Environment names the platform BaseURL is ("test", "staging"…);
	// "" = "production". Orders are placed once per environment: switching
	// from test to production sends the production orders. A base_url
	// change within one environment sends nothing again.
	Environment    string        `yaml:"environment"`
	Timeout        time.Duration `yaml:"timeout"`         // whole request; 0 = 30s
	ConnectTimeout time.Duration `yaml:"connect_timeout"` // 0 = 5s
	Concurrency    int           `yaml:"concurrency"`     // requests in flight; 0 = 4
	RatePerSecond  float64       `yaml:"rate_per_second"` // 0 = no limit
	Burst          int           `yaml:"burst"`           // 0 = 1
	MaxAttempts    int           `yaml:"max_attempts"`    // per call, first included; 0 = 5
	MaxRetryTime   time.Duration `yaml:"max_retry_time"`  // 0 = 2m
}

// ApplyDefaults gives every setting left out its default.
func (h *HTTPSection) ApplyDefaults() {
	if h.Environment == "" {
		h.Environment = DefaultEnvironment
	}
	if h.Timeout == 0 {
		h.Timeout = DefaultTimeout
	}
	if h.ConnectTimeout == 0 {
		h.ConnectTimeout = DefaultConnectTimeout
	}
	if h.Concurrency == 0 {
		h.Concurrency = DefaultConcurrency
	}
	if h.Burst == 0 {
		h.Burst = 1
	}
	if h.MaxAttempts == 0 {
		h.MaxAttempts = DefaultMaxAttempts
	}
	if h.MaxRetryTime == 0 {
		h.MaxRetryTime = DefaultMaxRetryTime
	}
}

// Options are the client options of h, with the User-Agent and the logger.
func (h HTTPSection) Options(userAgent string, log *slog.Logger) HTTPOptions {
	return HTTPOptions{
		BaseURL:        h.BaseURL,
		Timeout:        h.Timeout,
		ConnectTimeout: h.ConnectTimeout,
		Concurrency:    h.Concurrency,
		RatePerSecond:  h.RatePerSecond,
		Burst:          h.Burst,
		MaxAttempts:    h.MaxAttempts,
		MaxRetryTime:   h.MaxRetryTime,
		UserAgent:      userAgent,
		Logger:         log,
	}
}
