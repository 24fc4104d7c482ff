// Package web is the read-only review page: the batches, each batch's rows,
// each order's history, the open-orders and attention lists, and the
// reports to download. Pages are rendered on the server from embedded
// templates; they need no JavaScript and fit a phone's screen.
package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/order"
)

//go:embed templates/*.html static/*
var files embed.FS

// Options configure the page. Source is required; every other zero value is
// documented on its field.
type Options struct {
	// Source is where the page reads batches and orders.
	Source Source
	// ReportsDir is the folder the reports are downloaded from; only plain
	// files directly in it are served. "" = no downloads.
	ReportsDir string
	// User and Password turn on HTTP basic auth. User "" = no auth (the
	// page is then for a loopback address only).
	User, Password string
	// Location is the time zone pages show times in. nil = UTC.
	Location *time.Location
	// Statuses are the report statuses in the order the page lists them.
	// nil = the order they are first met.
	Statuses []string
	// BatchLimit is how many batches the front page lists. 0 = 50.
	BatchLimit int
	// MaxRows is how many rows a batch page, or open orders the open-orders
	// page, shows at a time; links lead to the next pages (?page=2…).
	// 0 = 200.
	MaxRows int
	// MaxHeavy bounds the requests that read a batch's report or walk the
	// ledger (the batches, a batch, the open orders, the attention list)
	// served at the same time; one more is answered 503 with Retry-After,
	// so that views of a large batch can neither exhaust memory nor keep
	// passes waiting. 0 = 4.
	MaxHeavy int
	// LocalOnly answers only requests addressed to this machine (Host
	// 127.0.0.1, ::1 or localhost), so that no web site can read the page
	// through DNS rebinding. Set it when the page listens on loopback without
	// basic auth. false = any Host.
	LocalOnly bool
	// Logger receives failed reads. nil = discard.
	Logger *slog.Logger
}

// contentSecurityPolicy allows the page's own stylesheet and nothing else:
// no script, no frame, no form posting elsewhere.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// New returns the page's handler. It panics when opts.Source is nil.
func New(opts Options) http.Handler {
	if opts.Source == nil {
		panic("web.New: Options.Source is required")
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.BatchLimit <= 0 {
		opts.BatchLimit = 50
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = 200
	}
	if opts.MaxHeavy <= 0 {
		opts.MaxHeavy = 4
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &server{opts: opts, pages: parsePages(opts.Location), heavy: make(chan struct{}, opts.MaxHeavy)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.bounded(s.batches))
	mux.HandleFunc("GET /batches/{id}", s.bounded(s.batch))
	mux.HandleFunc("GET /order", s.order)
	mux.HandleFunc("GET /open", s.bounded(s.open))
	mux.HandleFunc("GET /attention", s.bounded(s.attention))
	mux.HandleFunc("GET /reports/{name}", s.report)
	mux.HandleFunc("GET /static/style.css", s.style)
	mux.HandleFunc("/", s.fallback)
	var h http.Handler = mux
	if opts.User != "" {
		h = basicAuth(opts.User, opts.Password, h)
	}
	if opts.LocalOnly {
		h = LocalOnly(h, "This page answers only at 127.0.0.1 or localhost. To reach it from elsewhere, set web.user and web.password.")
	}
	return secure(h)
}

type server struct {
	opts  Options
	pages map[string]*template.Template
	heavy chan struct{} // one token per heavy request in progress (Options.MaxHeavy)
}

// busyRetry is the Retry-After of a 503 (seconds).
const busyRetry = "5"

// bounded serves next only while fewer than Options.MaxHeavy heavy requests
// are in progress; beyond, it answers 503 with Retry-After at once rather
// than queueing (a queue would hold memory and let a reload storm grow).
func (s *server) bounded(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.heavy <- struct{}{}:
		default:
			w.Header().Set("Retry-After", busyRetry)
			s.render(w, http.StatusServiceUnavailable, "message", page{Title: "Busy", Data: message{
				Heading: "The review page is busy",
				Text:    fmt.Sprintf("%d large pages are being read right now. Reload this page in a few seconds.", cap(s.heavy)),
			}})
			return
		}
		defer func() { <-s.heavy }()
		next(w, r)
	}
}

// secure sets the headers every answer carries.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// LocalOnly refuses (421 Misdirected Request, with refusal as the text)
// every request whose Host header does not name this machine (127.0.0.1,
// ::1, any loopback address, localhost), so that no web site whose name
// resolves to 127.0.0.1 (DNS rebinding) can read what next serves.
func LocalOnly(next http.Handler, refusal string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !IsLoopbackHost(r.Host) {
			http.Error(w, refusal, http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// IsLoopbackHost reports whether host (a Host header or a listen address,
// with or without its port) names this machine only: localhost or a
// loopback IP.
func IsLoopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())
}

// basicAuth asks for user and password. Both are compared in constant time
// (over their SHA-256, so that not even their length leaks).
func basicAuth(user, password string, next http.Handler) http.Handler {
	wantUser, wantPass := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(password))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		gotUser, gotPass := sha256.Sum256([]byte(u)), sha256.Sum256([]byte(p))
		userOK := subtle.ConstantTimeCompare(gotUser[:], wantUser[:])
		passOK := subtle.ConstantTimeCompare(gotPass[:], wantPass[:])
		if !ok || userOK&passOK != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="orderdrop", charset="UTF-8"`)
			http.Error(w, "Sign in with the user and password of the orderdrop review page.", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// page is what every template receives.
type page struct {
	Title string
	Nav   string // the menu entry to highlight
	Data  any
}

func (s *server) render(w http.ResponseWriter, status int, name string, p page) {
	t, ok := s.pages[name]
	if !ok {
		panic("web: no template " + name)
	}
	p.Title = display.Line(p.Title) // a file name or order_ref: no bidi control or line break in the title
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		s.opts.Logger.Error("review page: render", slog.String("page", name), slog.Any("error", err))
		http.Error(w, "The page could not be shown; see the orderdrop log.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, b.String())
}

// fail answers a Source error: 404, 503 or 500 (logged).
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		s.notFound(w, "This batch or order is not in the ledger.")
	case errors.Is(err, ErrBusy):
		w.Header().Set("Retry-After", busyRetry)
		s.render(w, http.StatusServiceUnavailable, "message", page{Title: "Busy", Data: message{
			Heading: "The ledger is busy",
			Text:    "Another orderdrop command is using the ledger. Reload this page in a few seconds.",
		}})
	default:
		s.opts.Logger.Error("review page: read failed", slog.String("path", r.URL.Path), slog.Any("error", err))
		s.render(w, http.StatusInternalServerError, "message", page{Title: "Error", Data: message{
			Heading: "The page could not be read",
			Text:    "orderdrop could not read its ledger; the orderdrop log says why.",
		}})
	}
}

type message struct{ Heading, Text string }

func (s *server) notFound(w http.ResponseWriter, text string) {
	s.render(w, http.StatusNotFound, "message", page{Title: "Not found", Data: message{Heading: "Not found", Text: text}})
}

func (s *server) badRequest(w http.ResponseWriter, text string) {
	s.render(w, http.StatusBadRequest, "message", page{Title: "Bad request", Data: message{Heading: "This page cannot be shown", Text: text}})
}

// pager is the position of a page among a list's pages, with links to its
// neighbours.
type pager struct {
	Page, Pages int    // 1-based; Pages is 0 when the list is empty
	First, Last int    // the 1-based positions of the first and last item shown; 0 when none
	Prev, Next  string // links to the neighbour pages; "" = none
}

// pageParam reads ?page= (1-based; absent = 1). ok is false when it is not
// a positive number.
func pageParam(q url.Values) (page int, ok bool) {
	v := q.Get("page")
	if v == "" {
		return 1, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, false
	}
	return n, true
}

// newPager places page (of size items) among total items, shown of them on
// it; the links keep u's other parameters.
func newPager(u *url.URL, page, size, total, shown int) pager {
	p := pager{Page: page, Pages: (total + size - 1) / size}
	if shown > 0 {
		p.First = (page-1)*size + 1
		p.Last = p.First + shown - 1
	}
	link := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		return u.EscapedPath() + "?" + q.Encode()
	}
	if page > 1 && p.Pages > 0 {
		p.Prev = link(min(page-1, p.Pages))
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}

func (s *server) fallback(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "This page is read-only.", http.StatusMethodNotAllowed)
		return
	}
	s.notFound(w, "There is no such page. Start from the list of batches.")
}

func (s *server) style(w http.ResponseWriter, r *http.Request) {
	css, err := files.ReadFile("static/style.css")
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	_, _ = w.Write(css)
}

// batchesData is the front page.
type batchesData struct {
	Batches  []BatchSummary
	Statuses []string // the statuses present, in display order
	Limit    int
}

func (s *server) batches(w http.ResponseWriter, r *http.Request) {
	bs, err := s.opts.Source.Batches(r.Context(), s.opts.BatchLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var counts []map[string]int
	for _, b := range bs {
		counts = append(counts, b.Counts)
	}
	s.render(w, http.StatusOK, "batches", page{Title: "Batches", Nav: "batches",
		Data: batchesData{Batches: bs, Statuses: s.statuses(counts...), Limit: s.opts.BatchLimit}})
}

// batchData is one batch's page.
// hasWarning reports whether a report message holds a warning (a check
// set to warning found something; the row was still sent).
func hasWarning(message string) bool {
	return strings.HasPrefix(message, order.WarningPrefix) || strings.Contains(message, "; "+order.WarningPrefix)
}

type batchData struct {
	Batch    *BatchDetail
	Statuses []string // every status of the batch, for the filter
	Status   string   // the status filter; "" = all
	Warnings bool     // only the rows with a warning (?warnings=1)
	Query    string   // the search; "" = none
	Pager    pager
}

// MaxQuery is the longest search (in characters) a batch page accepts;
// longer is answered 400. No order_ref, reference or phone number comes
// near it, and each row is searched for the whole query.
const MaxQuery = 200

func (s *server) batch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := batchData{Status: strings.TrimSpace(q.Get("status")), Query: strings.TrimSpace(q.Get("q")), Warnings: q.Get("warnings") == "1"}
	if n := utf8.RuneCountInString(d.Query); n > MaxQuery {
		s.badRequest(w, fmt.Sprintf("The search is %d characters long; at most %d are searched. Search for an order_ref, a carrier reference or a number.", n, MaxQuery))
		return
	}
	num, ok := pageParam(q)
	if !ok {
		s.badRequest(w, "page must be a page number: 1, 2, … Open the batch from the list of batches.")
		return
	}
	m := compileQuery(d.Query)
	keep := func(row Row) bool {
		return (d.Status == "" || row.Status == d.Status) && (!d.Warnings || hasWarning(row.Message)) && m.matches(row)
	}
	b, err := s.opts.Source.Batch(r.Context(), r.PathValue("id"), RowQuery{Keep: keep, Offset: (num - 1) * s.opts.MaxRows, Limit: s.opts.MaxRows})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Batch, d.Statuses = b, s.statuses(b.Counts)
	d.Pager = newPager(r.URL, num, s.opts.MaxRows, b.Matched, len(b.Rows))
	s.render(w, http.StatusOK, "batch", page{Title: b.File, Nav: "batches", Data: d})
}

func (s *server) order(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	if key == "" {
		s.notFound(w, "No order named: open an order from its batch.")
		return
	}
	o, err := s.opts.Source.Order(r.Context(), key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := o.Ref
	if title == "" {
		title = o.Key
	}
	s.render(w, http.StatusOK, "order", page{Title: title, Nav: "batches", Data: o})
}

// listData is the open-orders or attention page.
type listData[T any] struct {
	Items       []T
	Unavailable bool
	Total       int   // items in all (the open orders: of every page)
	Pager       pager // the open orders' pages
}

func (s *server) open(w http.ResponseWriter, r *http.Request) {
	num, ok := pageParam(r.URL.Query())
	if !ok {
		s.badRequest(w, "page must be a page number: 1, 2, … Open the list from the menu.")
		return
	}
	items, total, err := s.opts.Source.OpenOrders(r.Context(), (num-1)*s.opts.MaxRows, s.opts.MaxRows)
	if err != nil && !errors.Is(err, ErrUnavailable) {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "open", page{Title: "Open orders", Nav: "open",
		Data: listData[OpenOrder]{Items: items, Unavailable: errors.Is(err, ErrUnavailable), Total: total,
			Pager: newPager(r.URL, num, s.opts.MaxRows, total, len(items))}})
}

func (s *server) attention(w http.ResponseWriter, r *http.Request) {
	items, err := s.opts.Source.Attention(r.Context())
	if err != nil && !errors.Is(err, ErrUnavailable) {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "attention", page{Title: "Needs attention", Nav: "attention",
		Data: listData[AttentionItem]{Items: items, Unavailable: errors.Is(err, ErrUnavailable), Total: len(items)}})
}

// report sends one report file. Only a plain file directly inside
// ReportsDir is served: the name may not hold a separator or start with a
// dot, and os.Root refuses anything (a symlink included) that leads out of
// the folder.
func (s *server) report(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if s.opts.ReportsDir == "" || !plainName(name) {
		s.notFound(w, "There is no such report.")
		return
	}
	root, err := os.OpenRoot(s.opts.ReportsDir)
	if err != nil {
		s.notFound(w, "There is no report yet.")
		return
	}
	defer root.Close()
	f, err := root.Open(name)
	if err != nil {
		s.notFound(w, "There is no such report: it may have been moved or deleted from the reports folder.")
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		s.notFound(w, "There is no such report.")
		return
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Type", reportType(name))
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// plainName reports whether name is a file name without any path in it.
func plainName(name string) bool {
	return name != "" && !strings.HasPrefix(name, ".") && !strings.ContainsAny(name, `/\`+"\x00")
}

func reportType(name string) string {
	switch {
	case strings.HasSuffix(strings.ToLower(name), ".xlsx"):
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case strings.HasSuffix(strings.ToLower(name), ".csv"):
		return "text/csv; charset=utf-8"
	}
	return "application/octet-stream"
}

// statuses lists the statuses present in counts: Options.Statuses' order
// first, then any other, sorted.
func (s *server) statuses(counts ...map[string]int) []string {
	present := map[string]bool{}
	for _, c := range counts {
		for st, n := range c {
			if n > 0 {
				present[st] = true
			}
		}
	}
	var out []string
	for _, st := range s.opts.Statuses {
		if present[st] {
			out = append(out, st)
			delete(present, st)
		}
	}
	rest := make([]string, 0, len(present))
	for st := range present {
		rest = append(rest, st)
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// query is a batch page's search, prepared once per request.
type query struct {
	lower  string // the query, lower-cased; "" = every row matches
	digits string // its digits when it looks like a phone number, else ""
}

func compileQuery(q string) query {
	return query{lower: strings.ToLower(q), digits: phoneDigits(q)}
}

// matches reports whether the row's order_ref, carrier reference, order key
// or any cell holds the query (case-insensitively). A query made of digits
// and the usual separators (a phone number) also matches the same digits
// written with other separators: "02 61 91 02 10" finds "0261910210".
func (q query) matches(r Row) bool {
	if q.lower == "" {
		return true
	}
	if q.hit(r.Ref) || q.hit(r.CarrierReference) || q.hit(r.OrderKey) {
		return true
	}
	for _, c := range r.Cells {
		if q.hit(c.Value) {
			return true
		}
	}
	return false
}

func (q query) hit(v string) bool {
	if strings.Contains(strings.ToLower(v), q.lower) {
		return true
	}
	return q.digits != "" && strings.Contains(onlyDigits(v), q.digits)
}

// phoneDigits returns the digits of a query that looks like a phone number
// (digits, spaces, dots, dashes, parentheses, a leading +; at least 4
// digits), else "".
func phoneDigits(q string) string {
	var b strings.Builder
	for _, c := range q {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case strings.ContainsRune(" .-()+/", c):
		default:
			return ""
		}
	}
	if b.Len() < 4 {
		return ""
	}
	return b.String()
}

func onlyDigits(v string) string {
	var b strings.Builder
	for _, c := range v {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// parsePages parses each page with the layout.
func parsePages(loc *time.Location) map[string]*template.Template {
	funcs := template.FuncMap{
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("2006-01-02 15:04:05")
		},
		"pathEscape": url.PathEscape,
		"line":       display.Line,
		"iso":        func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"zone":       func() string { return loc.String() },
		"count":      func(m map[string]int, st string) int { return m[st] },
		"total": func(m map[string]int) int {
			n := 0
			for _, v := range m {
				n += v
			}
			return n
		},
		"attention": needsAttention,
		"words":     func(msg string) string { w, _, _ := strings.Cut(msg, "; "+carrier.HintPrefix); return w },
		"hint":      func(msg string) string { _, h, _ := strings.Cut(msg, "; "+carrier.HintPrefix); return h },
		"warned":    hasWarning,
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return fmt.Sprintf("%d %s", n, one)
			}
			return fmt.Sprintf("%d %s", n, many)
		},
	}
	pages := map[string]*template.Template{}
	for _, name := range []string{"batches", "batch", "order", "open", "attention", "message"} {
		pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/"+name+".html"))
	}
	return pages
}

// needsAttention reports whether rows in this status need a person.
func needsAttention(status string) bool {
	switch status {
	case "submitted", "already_submitted":
		return false
	}
	return true
}
