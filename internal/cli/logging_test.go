package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/orderdrop/orderdrop/internal/config"
)

// A file name or carrier word with a bidi control or a line break reaches
// the log as one safe line, in both formats.
func TestLogShowsUntrustedTextOnOneLine(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			log := newLogger(&buf, config.Log{Format: format, Level: "info"})
			log.Info("file taken", "file", "invoice\u202Egpj.xlsx",
				"error", errors.New("carrier said: Adresse\r\nintrouvable\u2066"))
			out := buf.String()
			for _, bad := range []string{"\u202E", "\u2066", "\r", "introuvable\n"} {
				if strings.Contains(out, bad) {
					t.Errorf("log line holds %q: %s", bad, out)
				}
			}
			if got := strings.Count(strings.TrimSpace(out), "\n"); got != 0 {
				t.Errorf("log wrote %d extra lines: %s", got, out)
			}
			if !strings.Contains(out, "invoice") || !strings.Contains(out, "introuvable") {
				t.Errorf("log lost the text: %s", out)
			}
		})
	}
}
