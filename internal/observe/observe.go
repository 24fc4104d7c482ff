// Package observe is the unattended-operation glue around a pass (DESIGN
// §12): an Observer gives the pass a Record to fill, then sends the digest,
// pings the heartbeat, updates the metrics and writes the textfile.
package observe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderdrop/orderdrop/internal/attention"
	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/metrics"
	"github.com/orderdrop/orderdrop/internal/notify"
)

// Observer is the unattended-operation glue around a pass (DESIGN §12): it
// gives the pass a Record to fill, then sends the digest, pings the
// heartbeat, updates the metrics and writes the textfile. None of it can
// fail the pass: errors are logged.
type Observer struct {
	cfg *config.Config
	log *slog.Logger
	m   *metrics.Metrics // shared by the daemon's passes; fresh for a run

	notifier  *notify.Notifier  // nil = no digest channel configured
	heartbeat *notify.Heartbeat // nil = no heartbeat
	// Textfile: write cfg.Metrics.Textfile after the pass (run).
	Textfile bool
	// PrintDigest, when set, receives the digest as text even when no
	// channel is configured (run --print-digest, make demo).
	PrintDigest io.Writer
	// attention, when set, lists the attention list after the pass for the
	// digest (`orderdrop attention`). nil = the digest has no attention list.
	attention func(*ledger.Ledger) ([]attention.Item, error)
	now       func() time.Time
}

// New builds the glue for cfg; m nil = fresh metrics. Channels that
// cannot be built (checked by config already) are logged and left out.
func New(cfg *config.Config, log *slog.Logger, m *metrics.Metrics) *Observer {
	if m == nil {
		m = metrics.New()
	}
	o := &Observer{cfg: cfg, log: log, m: m, now: time.Now, attention: attentionList(cfg)}
	n := cfg.Notify
	var channels []notify.Channel
	if n.Mail.Host != "" {
		mail, err := notify.NewMail(notify.MailOptions{Host: n.Mail.Host, Port: n.Mail.Port, TLS: n.Mail.TLS,
			Username: n.Mail.Username.Value(), Password: n.Mail.Password.Value(), From: n.Mail.From, To: n.Mail.To,
			AttachMax: n.Mail.AttachMax, Timeout: notify.AttemptTimeout(n.Timeout)})
		if err != nil {
			log.Error("mail notifications off", slog.Any("error", err))
		} else {
			channels = append(channels, mail)
		}
	}
	if u := n.Webhook.URL.Value(); u != "" {
		hook, err := notify.NewWebhook(notify.WebhookOptions{URL: u, Secret: n.Webhook.Secret.Value(), MaxAttempts: n.Webhook.MaxAttempts,
			Timeout: notify.AttemptTimeout(n.Timeout)})
		if err != nil {
			log.Error("webhook notifications off", slog.Any("error", err))
		} else {
			channels = append(channels, hook)
		}
	}
	if len(channels) > 0 {
		o.notifier = notify.New(notify.Options{Channels: channels, Outbox: n.Outbox, OutboxMaxBytes: n.OutboxMaxBytes, Timeout: n.Timeout, Logger: log, Location: cfg.Location()})
	}
	if u := n.Heartbeat.URL.Value(); u != "" {
		hb, err := notify.NewHeartbeat(u, n.Heartbeat.Method)
		if err != nil {
			log.Error("heartbeat off", slog.Any("error", err))
		} else {
			o.heartbeat = hb
		}
	}
	return o
}

// attentionList lists, for the digest, what `orderdrop attention` lists,
// from the ledger the pass holds.
func attentionList(cfg *config.Config) func(*ledger.Ledger) ([]attention.Item, error) {
	return func(l *ledger.Ledger) ([]attention.Item, error) {
		return attention.Collect(context.Background(), attention.SourcesOf(cfg, l))
	}
}

// digestItems are items as the digest lists them: the kind, the file's
// name (not its path on the server), what and what to do.
func digestItems(items []attention.Item) []notify.AttentionItem {
	out := make([]notify.AttentionItem, len(items))
	for i, it := range items {
		what := string(it.Kind) + " " + it.What
		if it.File != "" {
			what = string(it.Kind) + " " + filepath.Base(it.File) + ": " + it.What
		}
		out[i] = notify.AttentionItem{ID: it.ID, What: what, Key: it.Key, Action: it.Action}
	}
	return out
}

// noticeKey names an unsupported inbox entry for ledger.FirstNotices: its
// name and modification time, so the same name saved again is told again.
func noticeKey(it attention.Item) string {
	return "inbox/" + filepath.Base(it.File) + "@" + strconv.FormatInt(it.Since.UnixNano(), 10)
}

// deliverMu serializes the deliveries of digests within the process.
var deliverMu sync.Mutex

// Record is what one pass did, filled by the pass as it goes. A nil
// *Record ignores everything (commands that do not observe).
type Record struct {
	kind     string // "run" or "track"
	m        *metrics.Metrics
	files    []notify.FileSummary
	rows     []notify.Row
	problems []string
	attn     []notify.AttentionItem
	warned   []notify.Row
	ledger   string // path, for /healthz
	listAttn func(*ledger.Ledger) ([]attention.Item, error)
	log      *slog.Logger
}

// File records one file's summary.
func (r *Record) File(s *batch.Summary) {
	if r == nil {
		return
	}
	r.files = append(r.files, notify.FileSummary{File: s.File, Report: s.Report, ToFix: s.ToFix, Counts: s.Counts, Warnings: s.Warnings})
	for _, n := range s.Warned {
		r.warned = append(r.warned, notify.Row{File: s.File, Sheet: n.Sheet, Row: n.Row, OrderRef: n.OrderRef, Status: n.Status, Message: n.Message})
	}
	for _, n := range s.Attention {
		r.rows = append(r.rows, notify.Row{File: s.File, Sheet: n.Sheet, Row: n.Row, OrderRef: n.OrderRef, Status: n.Status, Message: n.Message})
	}
	for _, o := range s.Outages {
		r.problems = append(r.problems, s.File+": "+o.Line(time.Time{}))
	}
	r.m.Rows(s.Counts)
}

// Failed records a file moved to failed/.
func (r *Record) Failed(name string, err error) {
	if r == nil {
		return
	}
	r.files = append(r.files, notify.FileSummary{File: name, Failed: err.Error()})
}

// Problem records something about the pass, not a row, that a person must
// act on: a sentence saying what to do.
func (r *Record) Problem(format string, args ...any) {
	if r == nil {
		return
	}
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

// LedgerState reads the in-doubt count, the ledger size and the attention
// list while the pass still holds the ledger.
func (r *Record) LedgerState(l *ledger.Ledger) {
	if r == nil {
		return
	}
	r.ledger = l.Path()
	inDoubt, err := l.CountInDoubt()
	if err != nil {
		r.log.Warn("could not count the orders in doubt for the metrics", slog.Any("error", err))
	}
	var size int64
	if st, err := os.Stat(l.Path()); err == nil {
		size = st.Size()
	}
	r.m.Ledger(inDoubt, size)
	if r.listAttn == nil {
		return
	}
	items, err := r.listAttn(l)
	if err != nil {
		r.log.Warn("could not list the attention list for the digest", slog.Any("error", err))
		return
	}
	r.attn = digestItems(items)
	r.newUnsupported(l, items)
}

// newUnsupported makes each unsupported file or folder of the inbox not
// told about before a problem of the pass, so that it sends a digest by
// itself: the person who dropped it learns it is not read. The ledger
// remembers it was told (by name and modification time).
func (r *Record) newUnsupported(l *ledger.Ledger, items []attention.Item) {
	var keys []string
	byKey := map[string]attention.Item{}
	for _, it := range items {
		if it.Kind != attention.UnsupportedFile {
			continue
		}
		k := noticeKey(it)
		keys = append(keys, k)
		byKey[k] = it
	}
	fresh, err := l.FirstNotices(keys)
	if err != nil {
		r.log.Warn("could not record which unsupported inbox files were told about", slog.Any("error", err))
		return
	}
	for _, k := range fresh {
		it := byKey[k]
		r.Problem("%s in the inbox is not read (%s): %s", display.Line(filepath.Base(it.File)), it.What, it.Action)
	}
}

// Metrics returns the metrics the pass's carriers report to (nil-safe).
func (r *Record) Metrics() *metrics.Metrics {
	if r == nil {
		return nil
	}
	return r.m
}

// Pass runs one pass of kind "run" or "track" with a fresh record, then
// notifies, pings and records metrics. It returns what the pass returned.
func (o *Observer) Pass(ctx context.Context, kind string, run func(*Record) (int, error)) (int, error) {
	rec := &Record{kind: kind, m: o.m, log: o.log, listAttn: o.attention, ledger: o.cfg.Ledger}
	code, err := run(rec)
	o.after(ctx, rec, code, err)
	return code, err
}

func (o *Observer) after(ctx context.Context, rec *Record, code int, err error) {
	end := o.now().In(o.cfg.Location())
	result := metrics.PassOK
	switch {
	case err != nil:
		result = metrics.PassFailed
	case code != 0: // exit code 1 or more: some rows or files need attention
		result = metrics.PassAttention
	}
	o.m.Folders(map[string]int{
		metrics.FolderInbox:      countFiles(o.cfg.Inbox),
		metrics.FolderProcessing: countFiles(o.cfg.Processing),
		metrics.FolderFailed:     countFiles(o.cfg.Failed),
	})
	o.m.PassDone(end, result, err, rec.ledger)
	if o.Textfile && o.cfg.Metrics.Textfile != "" {
		if werr := o.m.WriteTextfile(o.cfg.Metrics.Textfile); werr != nil {
			o.log.Error("metrics textfile not written", slog.Any("error", werr))
		}
	}
	if err != nil && !errors.Is(err, ledger.ErrLocked) {
		// A busy ledger is routine with cron (a long pass still runs): the
		// next pass catches up, nobody needs to act.
		rec.Problem("the %s pass stopped: %v", rec.kind, err)
	}
	host, _ := os.Hostname()
	d := notify.Build(notify.Pass{Kind: rec.kind, At: end, Host: host, Files: rec.files, Rows: rec.rows,
		Problems: rec.problems, Attention: rec.attn, Warned: rec.warned, Link: o.cfg.Web.PublicURL}, o.cfg.Notify.MaxRows)
	if o.PrintDigest != nil {
		if d == nil {
			fmt.Fprintln(o.PrintDigest, "\n== digest: nothing needs a person; none would be sent")
		} else {
			fmt.Fprintf(o.PrintDigest, "\n== digest this pass would send (%s)\n%s", channelsLine(o.cfg), d.Text())
		}
	}
	// The pass has closed the ledger by now; delivery ends within
	// notify.timeout, or when ctx ends (a stop): the outbox keeps the rest.
	if o.notifier != nil {
		// The daemon's tracking pass may end while a pass over the inbox
		// ends: one delivery at a time, as they share the outbox file.
		deliverMu.Lock()
		res := o.notifier.Deliver(ctx, d) // also retries the outbox when d is nil
		deliverMu.Unlock()
		if res.Sent > 0 || res.Failed > 0 {
			o.log.Info("notifications", slog.Int("sent", res.Sent), slog.Int("failed", res.Failed), slog.Int("pending", res.Pending))
		}
	}
	if o.heartbeat != nil && err == nil {
		hctx, cancel := context.WithTimeout(ctx, notify.AttemptTimeout(o.cfg.Notify.Timeout))
		if perr := o.heartbeat.Ping(hctx); perr != nil {
			o.log.Warn("heartbeat not sent", slog.Any("error", perr))
		}
		cancel()
	}
}

func channelsLine(cfg *config.Config) string {
	var ch []string
	if cfg.Notify.Mail.Host != "" {
		ch = append(ch, "mail to "+strings.Join(cfg.Notify.Mail.To, ", "))
	}
	if cfg.Notify.Webhook.URL.Value() != "" {
		ch = append(ch, "webhook")
	}
	if len(ch) == 0 {
		return "no channel configured: set notify.mail or notify.webhook"
	}
	return strings.Join(ch, " and ")
}

// countFiles counts the files a person would see in dir: regular files,
// not hidden, not the failed/ folder's NAME.error.txt.
func countFiles(dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".error.txt") {
			continue
		}
		n++
	}
	return n
}
