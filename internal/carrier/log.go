package carrier

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"
)

// logBodyLimit bounds a logged body.
const logBodyLimit = 4096

func (h *HTTP) logRequest(ctx context.Context, req Request, hreq *http.Request, body []byte, attempt int) {
	if !h.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	h.log.LogAttrs(ctx, slog.LevelDebug, "carrier request",
		slog.String("op", req.Op),
		slog.String("method", hreq.Method),
		slog.String("url", hreq.URL.Redacted()),
		slog.Int("attempt", attempt),
		slog.String("headers", formatHeaders(MaskHeaders(hreq.Header))),
		slog.String("body", MaskBody(body, logBodyLimit)))
}

func (h *HTTP) logResponse(ctx context.Context, req Request, resp *http.Response, body []byte, start time.Time) {
	if !h.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	h.log.LogAttrs(ctx, slog.LevelDebug, "carrier response",
		slog.String("op", req.Op),
		slog.Int("status", resp.StatusCode),
		slog.Duration("elapsed", since(start)),
		slog.String("headers", formatHeaders(MaskHeaders(resp.Header))),
		slog.String("body", MaskBody(body, logBodyLimit)))
}

func formatHeaders(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s", k, strings.Join(h[k], ", "))
	}
	return b.String()
}
