package cli

import (
	"io"
	"log/slog"
	"os"

	"golang.org/x/term"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
)

// newLogger builds the slog logger: text on a terminal, JSON otherwise,
// unless the configuration says which.
func newLogger(w io.Writer, c config.Log) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: displayAttr}
	format := c.Format
	if format == "auto" || format == "" {
		format = "json"
		if isTerminal(w) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// displayAttr makes every string and error a log line carries safe to show
// (display.Line): a file name or a carrier's words with a bidi control or a
// line break must not reorder or forge the lines a person reads.
func displayAttr(_ []string, a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		if s := a.Value.String(); display.Line(s) != s {
			a.Value = slog.StringValue(display.Line(s))
		}
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			if s := err.Error(); display.Line(s) != s {
				a.Value = slog.StringValue(display.Line(s))
			}
		}
	}
	return a
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
