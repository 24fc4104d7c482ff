package carrier

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// backoff returns how long to wait after the failed attempt n (1-based):
// full jitter over BaseBackoff·2^(n-1) capped at MaxBackoff, or retryAfter
// when the carrier asked for longer.
func (h *HTTP) backoff(n int, retryAfter time.Duration) time.Duration {
	step := h.opts.BaseBackoff
	for i := 1; i < n && step < MaxBackoff; i++ {
		step *= 2
	}
	step = min(step, MaxBackoff)
	wait := time.Duration(h.jitter(int64(step) + 1))
	return max(wait, retryAfter)
}

// ParseRetryAfter reads a Retry-After header: delay seconds or an HTTP date
// (relative to now). It returns 0 when the header is absent or unreadable.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		const maxSecs = int64(24 * time.Hour / time.Second)
		return time.Duration(min(secs, maxSecs)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

// sleep waits d or until ctx is done or stop is closed.
func sleep(ctx context.Context, d time.Duration, stop <-chan struct{}) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-stop:
		return errStopping
	}
}
