package pass

import (
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// newProgress returns the progress callback for one file and a func to call
// when the file is done. On a terminal it draws a bar (rows done/total, rate,
// ETA); otherwise it logs a line at most every 10 seconds.
func newProgress(w io.Writer, name string, log *slog.Logger) (func(done, total int), func()) {
	if isTerminal(w) {
		var bar *progressbar.ProgressBar
		var once sync.Once
		return func(done, total int) {
				once.Do(func() {
					bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(name),
						progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"),
						progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
				})
				_ = bar.Set(done)
			}, func() {
				if bar != nil {
					_ = bar.Finish()
				}
			}
	}
	return logProgress(name, log, 10*time.Second, time.Now)
}

func logProgress(name string, log *slog.Logger, every time.Duration, now func() time.Time) (func(done, total int), func()) {
	var mu sync.Mutex
	start := now()
	last := start
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		t := now()
		if t.Sub(last) < every {
			return
		}
		last = t
		rate := float64(done) / t.Sub(start).Seconds()
		attrs := []any{slog.String("file", name), slog.Int("done", done), slog.Int("total", total), slog.Float64("rows_per_s", rate)}
		if rate > 0 {
			attrs = append(attrs, slog.Duration("eta", time.Duration(float64(total-done)/rate*float64(time.Second)).Round(time.Second)))
		}
		log.Info("progress", attrs...)
	}, func() {}
}

// Progress is the progress callback of one file and the func to call when
// it is done (for ledger rebuild's files as for a pass's).
func Progress(w io.Writer, name string, log *slog.Logger) (func(done, total int), func()) {
	return newProgress(w, name, log)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
