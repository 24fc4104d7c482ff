package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeSource serves fixed data; err, when set, is returned by every method.
type fakeSource struct {
	batches   []BatchSummary
	details   map[string]*BatchDetail // Rows: every row of the batch
	orders    map[string]*OrderDetail
	open      []OpenOrder
	attention []AttentionItem
	err       error
	// entered, when set, receives a value as a Batch read starts, which
	// then waits for release.
	entered chan struct{}
	release chan struct{}
}

func (f *fakeSource) Batches(_ context.Context, limit int) ([]BatchSummary, error) {
	if f.err != nil {
		return nil, f.err
	}
	return f.batches[:min(limit, len(f.batches))], nil
}

func (f *fakeSource) Batch(_ context.Context, id string, q RowQuery) (*BatchDetail, error) {
	if f.entered != nil {
		f.entered <- struct{}{}
		<-f.release
	}
	if f.err != nil {
		return nil, f.err
	}
	b, ok := f.details[id]
	if !ok {
		return nil, ErrNotFound
	}
	p := NewPage(q)
	for _, r := range b.Rows {
		p.Add(r)
	}
	out := *b
	out.Rows, out.Matched, out.Total = p.Rows(), p.Matched, p.Total
	return &out, nil
}

func (f *fakeSource) Order(_ context.Context, key string) (*OrderDetail, error) {
	if f.err != nil {
		return nil, f.err
	}
	if o, ok := f.orders[key]; ok {
		return o, nil
	}
	return nil, ErrNotFound
}

func (f *fakeSource) OpenOrders(_ context.Context, offset, limit int) ([]OpenOrder, int, error) {
	if f.err != nil {
		return nil, 0, f.err
	}
	if f.open == nil {
		return nil, 0, ErrUnavailable
	}
	return f.open[min(offset, len(f.open)):min(offset+limit, len(f.open))], len(f.open), nil
}

func (f *fakeSource) Attention(context.Context) ([]AttentionItem, error) {
	if f.err != nil {
		return nil, f.err
	}
	if f.attention == nil {
		return nil, ErrUnavailable
	}
	return f.attention, nil
}

const hostile = `<script>alert("x")</script>`

func newFake() *fakeSource {
	at := time.Date(2026, 11, 23, 13, 4, 5, 0, time.UTC)
	sum := BatchSummary{ID: "20261123T130405-0001", File: "mixed.csv", Report: "mixed.result.csv", ToFix: "mixed.to-fix.csv", Started: at, Finished: at.Add(time.Minute),
		Counts: map[string]int{"submitted": 2, "invalid": 1, "in_doubt": 1}}
	rows := []Row{
		{Num: 2, Ref: "L2-A", Status: "submitted", CarrierReference: "PZ-100", OrderKey: "l2/ref:L2-A",
			Cells: []Field{{"order_ref", "L2-A"}, {"site_contact_phone", "05 36 49 07 41"}}},
		{Num: 3, Ref: "L2-B", Status: "submitted", CarrierReference: "PZ-101", OrderKey: "l2/ref:L2-B",
			Cells: []Field{{"order_ref", "L2-B"}, {"site_contact_phone", "0536490742"}}},
		{Num: 4, Ref: hostile, Status: "invalid", Message: "zip_code: " + hostile + " is not 5 digits",
			Cells: []Field{{"order_ref", hostile}, {"zip_code", hostile}}},
		{Num: 5, Ref: "L2-D", Status: "in_doubt", Message: "timeout", OrderKey: "l2/ref:L2-D"},
	}
	return &fakeSource{
		batches: []BatchSummary{sum, {ID: "20261122T080000-0001", File: "old.xlsx", Started: at.Add(-29 * time.Hour), Counts: map[string]int{"submitted": 1}}},
		details: map[string]*BatchDetail{sum.ID: {BatchSummary: sum, Rows: rows}},
		orders: map[string]*OrderDetail{"l2/ref:L2-A": {Key: "l2/ref:L2-A", Kind: "l2", Carrier: "prizz", Ref: "L2-A", State: "submitted", Reference: "PZ-100",
			BatchID: sum.ID, History: []Event{{At: at, State: "submitting", By: "orderdrop"}, {At: at.Add(time.Second), State: "submitted", Reference: "PZ-100", Attempts: 2, By: "orderdrop"}},
			Tracking: []Stage{{At: at.Add(time.Hour), Stage: "delivery_planned", Detail: "on " + hostile}}}},
	}
}

func get(t *testing.T, h http.Handler, target string, mod ...func(*http.Request)) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for _, m := range mod {
		m(req)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(body)
}

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mixed.result.csv"), []byte("a,b\n"), 0o600))
	h := New(Options{Source: newFake(), ReportsDir: dir})
	for _, target := range []string{"/", "/batches/20261123T130405-0001", "/order?key=l2/ref:L2-A", "/open", "/attention",
		"/reports/mixed.result.csv", "/static/style.css", "/nowhere", "/batches/nope"} {
		t.Run(target, func(t *testing.T) {
			res, _ := get(t, h, target)
			assert.Equal(t, contentSecurityPolicy, res.Header.Get("Content-Security-Policy"))
			assert.Contains(t, res.Header.Get("Content-Security-Policy"), "default-src 'none'")
			assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
			assert.Equal(t, "DENY", res.Header.Get("X-Frame-Options"))
			assert.Equal(t, "no-referrer", res.Header.Get("Referrer-Policy"))
		})
	}
}

func TestPagesUseNoScriptAndNoInlineStyle(t *testing.T) {
	h := New(Options{Source: newFake()})
	for _, target := range []string{"/", "/batches/20261123T130405-0001", "/order?key=l2/ref:L2-A", "/open", "/attention"} {
		res, body := get(t, h, target)
		require.Equal(t, http.StatusOK, res.StatusCode, target)
		assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
		assert.NotContains(t, body, "<script", target)
		assert.NotContains(t, body, "style=", target, "the CSP allows no inline style")
		assert.Contains(t, body, `name="viewport"`, target)
	}
}

func TestBasicAuth(t *testing.T) {
	withAuth := func(user, pass string) func(*http.Request) {
		return func(r *http.Request) { r.SetBasicAuth(user, pass) }
	}
	tests := []struct {
		name       string
		user, pass string // the page's; user "" = auth off
		mod        []func(*http.Request)
		want       int
	}{
		{"off", "", "", nil, http.StatusOK},
		{"off ignores credentials", "", "", []func(*http.Request){withAuth("x", "y")}, http.StatusOK},
		{"on without credentials", "review", "s3cret", nil, http.StatusUnauthorized},
		{"on wrong password", "review", "s3cret", []func(*http.Request){withAuth("review", "s3cre")}, http.StatusUnauthorized},
		{"on wrong user", "review", "s3cret", []func(*http.Request){withAuth("admin", "s3cret")}, http.StatusUnauthorized},
		{"on empty password", "review", "s3cret", []func(*http.Request){withAuth("review", "")}, http.StatusUnauthorized},
		{"on right credentials", "review", "s3cret", []func(*http.Request){withAuth("review", "s3cret")}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "mixed.result.csv"), []byte("a,b\n"), 0o600))
			h := New(Options{Source: newFake(), User: tt.user, Password: tt.pass, ReportsDir: dir})
			for _, target := range []string{"/", "/reports/mixed.result.csv", "/static/style.css"} {
				res, body := get(t, h, target, tt.mod...)
				assert.Equal(t, tt.want, res.StatusCode, target)
				if tt.want == http.StatusUnauthorized {
					assert.Equal(t, `Basic realm="orderdrop", charset="UTF-8"`, res.Header.Get("WWW-Authenticate"))
					assert.NotContains(t, body, "mixed", "nothing of the ledger before signing in")
					assert.NotEmpty(t, res.Header.Get("Content-Security-Policy"))
				}
			}
		})
	}
}

func TestNotFoundAndReadOnly(t *testing.T) {
	h := New(Options{Source: newFake()})
	tests := []struct {
		method, target string
		want           int
	}{
		{http.MethodGet, "/nowhere", http.StatusNotFound},
		{http.MethodGet, "/batches/20990101T000000-0001", http.StatusNotFound},
		{http.MethodGet, "/order?key=l2/ref:NOPE", http.StatusNotFound},
		{http.MethodGet, "/order", http.StatusNotFound},
		{http.MethodGet, "/reports/none.csv", http.StatusNotFound}, // no ReportsDir: no download at all
		{http.MethodPost, "/", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/batches/20261123T130405-0001", http.StatusMethodNotAllowed},
		{http.MethodHead, "/", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
			assert.Equal(t, tt.want, rec.Code)
			if tt.want == http.StatusNotFound {
				assert.Contains(t, rec.Body.String(), "Not found")
			}
		})
	}
}

func TestSourceErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
		text string
	}{
		{"busy", ErrBusy, http.StatusServiceUnavailable, "Reload this page in a few seconds"},
		{"broken", errors.New("ledger: decode batch: unexpected EOF"), http.StatusInternalServerError, "the orderdrop log says why"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(Options{Source: &fakeSource{err: tt.err}})
			res, body := get(t, h, "/")
			assert.Equal(t, tt.want, res.StatusCode)
			assert.Contains(t, body, tt.text)
			assert.NotContains(t, body, "unexpected EOF", "internal errors go to the log, not the page")
		})
	}
}

func TestListsNotWiredSaySo(t *testing.T) {
	h := New(Options{Source: newFake()})
	_, body := get(t, h, "/open")
	assert.Contains(t, body, "does not track orders at the carriers yet")
	_, body = get(t, h, "/attention")
	assert.Contains(t, body, "does not keep an attention list yet")

	f := newFake()
	f.open = []OpenOrder{{Key: "l2/ref:L2-A", Ref: "L2-A", Kind: "l2", Carrier: "prizz", Reference: "PZ-100", Stage: "delivery_planned"}}
	f.attention = []AttentionItem{{Key: "l2/ref:L2-D", Ref: "L2-D", What: "in_doubt", Detail: "check the Prizz portal", BatchID: "20261123T130405-0001"}}
	h = New(Options{Source: f})
	_, body = get(t, h, "/open")
	assert.Contains(t, body, "delivery_planned")
	assert.Contains(t, body, `href="/order?key=l2%2fref%3aL2-A"`)
	_, body = get(t, h, "/attention")
	assert.Contains(t, body, "check the Prizz portal")
	assert.Contains(t, body, `href="/batches/20261123T130405-0001"`)
}

func TestHostileValuesAreEscaped(t *testing.T) {
	h := New(Options{Source: newFake()})
	for _, target := range []string{"/batches/20261123T130405-0001", "/batches/20261123T130405-0001?q=" + strings.ReplaceAll(hostile, " ", "+"),
		"/order?key=l2/ref:L2-A"} {
		res, body := get(t, h, target)
		require.Equal(t, http.StatusOK, res.StatusCode, target)
		assert.NotContains(t, body, "<script", target)
		assert.Contains(t, body, "&lt;script&gt;", target)
	}
	// A hostile search is echoed escaped in the form.
	_, body := get(t, h, `/batches/20261123T130405-0001?q=%22%3E%3Cimg+src%3Dx%3E`)
	assert.NotContains(t, body, `"><img`)
	assert.Contains(t, body, `value="&#34;&gt;&lt;img src=x&gt;"`)
}

func TestBatchFilters(t *testing.T) {
	h := New(Options{Source: newFake(), Statuses: []string{"submitted", "already_submitted", "not_submitted", "in_doubt", "conflict", "invalid", "rejected"}})
	tests := []struct {
		name, query string
		want        []string // order_refs shown
	}{
		{"all", "", []string{"L2-A", "L2-B", "&lt;script&gt;", "L2-D"}},
		{"status", "status=submitted", []string{"L2-A", "L2-B"}},
		{"status in_doubt", "status=in_doubt", []string{"L2-D"}},
		{"unknown status", "status=bogus", nil},
		{"ref", "q=l2-b", []string{"L2-B"}},
		{"carrier reference", "q=PZ-100", []string{"L2-A"}},
		{"number as typed elsewhere", "q=05+36+49+07+42", []string{"L2-B"}},
		{"number digits", "q=0536490741", []string{"L2-A"}},
		{"status and search", "status=invalid&q=L2", nil},
		{"search within status", "status=submitted&q=L2-A", []string{"L2-A"}},
	}
	all := []string{"L2-A", "L2-B", "&lt;script&gt;", "L2-D"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, h, "/batches/20261123T130405-0001?"+tt.query)
			require.Equal(t, http.StatusOK, res.StatusCode)
			rows := body
			if i := strings.Index(body, `id="shown"`); i >= 0 {
				rows = body[i:]
			}
			for _, ref := range all {
				shown := strings.Contains(rows, ">"+ref)
				want := false
				for _, w := range tt.want {
					want = want || w == ref
				}
				assert.Equal(t, want, shown, "row %s", ref)
			}
			if len(tt.want) == 0 {
				assert.Contains(t, body, "No row matches")
			}
		})
	}
	// The status links of the counts lead to the filtered rows; the statuses follow Options.Statuses.
	_, body := get(t, h, "/batches/20261123T130405-0001")
	assert.Contains(t, body, `href="/batches/20261123T130405-0001?status=invalid"`)
	assert.Less(t, strings.Index(body, "?status=submitted"), strings.Index(body, "?status=in_doubt"))
	assert.Less(t, strings.Index(body, "?status=in_doubt"), strings.Index(body, "?status=invalid"))
}

func TestBatchListAndOrderHistory(t *testing.T) {
	h := New(Options{Source: newFake(), Location: time.FixedZone("CET", 3600)})
	_, body := get(t, h, "/")
	assert.Less(t, strings.Index(body, "mixed.csv"), strings.Index(body, "old.xlsx"), "newest first, as the Source gives them")
	assert.Contains(t, body, `href="/reports/mixed.result.csv"`)
	assert.Contains(t, body, "2026-11-23 14:04:05", "times in the configured zone")

	_, body = get(t, h, "/order?key=l2/ref:L2-A")
	for _, want := range []string{"PZ-100", "submitting", "delivery_planned", "on &lt;script&gt;", `href="/batches/20261123T130405-0001"`} {
		assert.Contains(t, body, want)
	}
	assert.Regexp(t, `data-label="Attempts" class="num">2<`, body)
}

func TestReportDownloadStaysInTheReportsFolder(t *testing.T) {
	base := t.TempDir()
	reports := filepath.Join(base, "reports")
	require.NoError(t, os.MkdirAll(filepath.Join(reports, "sub"), 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(reports, "mixed.result.csv"), []byte("order_ref,status\nL2-A,submitted\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(reports, "a #1 (2).xlsx"), []byte("PK"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(reports, ".hidden.csv"), []byte("hidden"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(reports, "sub", "nested.csv"), []byte("nested"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(base, "secret.txt"), []byte("SECRET"), 0o600))
	require.NoError(t, os.Symlink(filepath.Join(base, "secret.txt"), filepath.Join(reports, "link.csv")))
	h := New(Options{Source: newFake(), ReportsDir: reports})

	res, body := get(t, h, "/reports/mixed.result.csv")
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "order_ref,status\nL2-A,submitted\n", body)
	assert.Equal(t, `attachment; filename=mixed.result.csv`, res.Header.Get("Content-Disposition"))
	assert.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))

	res, body = get(t, h, "/reports/a%20%231%20%282%29.xlsx")
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "PK", body)

	for _, target := range []string{
		"/reports/..%2fsecret.txt",
		"/reports/..%2F..%2Fsecret.txt",
		"/reports/%2e%2e%2fsecret.txt",
		"/reports/..%5csecret.txt",
		"/reports/../secret.txt",
		"/reports/sub%2fnested.csv",
		"/reports/sub",
		"/reports/.hidden.csv",
		"/reports/link.csv",
		"/reports/%2fetc%2fpasswd",
		"/reports/missing.csv",
	} {
		t.Run(target, func(t *testing.T) {
			res, body := get(t, h, target)
			assert.NotEqual(t, http.StatusOK, res.StatusCode)
			for _, leak := range []string{"SECRET", "nested", "hidden", "root:"} {
				assert.NotContains(t, body, leak)
			}
		})
	}
}

func TestBatchPageCapsTheRowsShown(t *testing.T) {
	h := New(Options{Source: newFake(), MaxRows: 2})
	_, body := get(t, h, "/batches/20261123T130405-0001")
	assert.Contains(t, body, "Rows 1–2 of 4 matching rows shown, of 4 (page 1 of 2).")
	assert.Contains(t, body, ">L2-B<")
	assert.NotContains(t, body, ">L2-D<")
	_, body = get(t, h, "/batches/20261123T130405-0001?status=in_doubt")
	assert.Contains(t, body, "1 row shown of 4.")
	assert.Contains(t, body, ">L2-D<")
}

func TestLocalOnlyRefusesOtherHosts(t *testing.T) {
	tests := []struct {
		host string
		want int
	}{
		{"127.0.0.1:8080", http.StatusOK},
		{"localhost:8080", http.StatusOK},
		{"LOCALHOST", http.StatusOK},
		{"[::1]:8080", http.StatusOK},
		{"127.0.0.2:8080", http.StatusOK},
		{"evil.example:8080", http.StatusMisdirectedRequest}, // DNS rebinding: the name resolves to 127.0.0.1
		{"localhost.evil.example", http.StatusMisdirectedRequest},
		{"192.168.1.10:8080", http.StatusMisdirectedRequest},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			h := New(Options{Source: newFake(), LocalOnly: true})
			res, body := get(t, h, "/", func(r *http.Request) { r.Host = tt.host })
			assert.Equal(t, tt.want, res.StatusCode)
			if tt.want != http.StatusOK {
				assert.NotContains(t, body, "mixed.csv")
			}
		})
	}
	h := New(Options{Source: newFake()})
	res, _ := get(t, h, "/", func(r *http.Request) { r.Host = "evil.example" })
	assert.Equal(t, http.StatusOK, res.StatusCode, "off by default")
}

func TestOpenOrdersSayWhenSubmittedAndLastChecked(t *testing.T) {
	at := time.Date(2026, 11, 23, 13, 4, 5, 0, time.UTC)
	f := newFake()
	f.open = []OpenOrder{
		{Key: "ca-port/ref:CA-1", Ref: "CA-1", Kind: "ca-port", Carrier: "thinktel", Reference: "PI-1", Stage: "scheduled 2026-12-04",
			Submitted: at, Checked: at.Add(26 * time.Hour), Detail: "CONFIRMED"},
		{Key: "l2/ref:L2-N", Ref: "L2-N", Kind: "l2", Carrier: "prizz", Reference: "PZ-2", Stage: "not asked yet", Submitted: at.Add(time.Hour)},
	}
	_, body := get(t, New(Options{Source: f}), "/open")
	for _, want := range []string{
		"<th>Submitted</th>", "<th>Last checked</th>",
		`<td data-label="Submitted"><time datetime="2026-11-23T13:04:05Z">2026-11-23 13:04:05</time></td>`,
		`<td data-label="Last checked"><time datetime="2026-11-24T15:04:05Z">2026-11-24 15:04:05</time></td>`,
		`<td data-label="Last checked">not yet</td>`,
	} {
		assert.Contains(t, body, want)
	}
	assert.NotContains(t, body, "Since", "the page says which time it shows")
}

func TestAttentionShowsWhatToDoApart(t *testing.T) {
	f := newFake()
	f.attention = []AttentionItem{{Key: "ca-port/ref:CA-2", Ref: "CA-2", What: "rejected_at_carrier",
		Detail: "ca.csv: thinktel rejected the order after accepting it", Action: "drop it again under a new order_ref " + hostile}}
	_, body := get(t, New(Options{Source: f}), "/attention")
	assert.Contains(t, body, `<span class="st st-rejected_at_carrier">rejected_at_carrier</span>`)
	assert.Contains(t, body, `ca.csv: thinktel rejected the order after accepting it<p class="action">What to do: drop it again under a new order_ref &lt;script&gt;`)
	assert.NotContains(t, body, "<script>")
	assert.NotContains(t, body, "<th>Batch</th>", "no batch column when no item belongs to a batch")

	f.attention[0].BatchID = "20261123T130405-0001"
	_, body = get(t, New(Options{Source: f}), "/attention")
	assert.Contains(t, body, "<th>Batch</th>")
	assert.Contains(t, body, `<a href="/batches/20261123T130405-0001">`)
}

// A file name or order_ref holding bidi controls or line breaks cannot
// reorder or split the title and headings a person reads.
func TestTitlesAndHeadingsShowUntrustedTextOnOneLine(t *testing.T) {
	const file = "invoice\u202Egpj.csv\r\nSubject: paid"
	const ref = "REF\u2066-1\n2"
	f := newFake()
	sum := f.batches[0]
	sum.File = file
	f.batches[0] = sum
	f.details[sum.ID].BatchSummary = sum
	o := f.orders["l2/ref:L2-A"]
	o.Ref = ref
	h := New(Options{Source: f})
	tests := []struct {
		target, bad string
	}{
		{"/", file},
		{"/batches/" + sum.ID, file},
		{"/order?key=l2/ref:L2-A", ref},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, h, tt.target)
			require.Equal(t, http.StatusOK, res.StatusCode)
			for _, c := range []string{"\u202E", "\u2066", "\r", "Subject: paid\n", "REF\u2066"} {
				assert.NotContains(t, body, c, "got %q in the page", c)
			}
			assert.NotContains(t, body, tt.bad)
		})
	}
	_, body := get(t, h, "/batches/"+sum.ID)
	assert.Contains(t, body, "<title>invoice\uFFFDgpj.csv Subject: paid · orderdrop</title>")
	assert.Contains(t, body, "<h1>invoice\uFFFDgpj.csv Subject: paid</h1>")
	_, body = get(t, h, "/order?key=l2/ref:L2-A")
	assert.Contains(t, body, "<h1>REF\uFFFD-1 2</h1>")
}

// The rows come a page at a time, with links to the neighbour pages that
// keep the filters.
func TestBatchPagesThroughTheRows(t *testing.T) {
	h := New(Options{Source: newFake(), MaxRows: 1})
	const id = "/batches/20261123T130405-0001"
	tests := []struct {
		target     string
		shown      string // the only row shown
		hint       string
		prev, next string // links; "" = none
	}{
		{id, ">L2-A<", "Rows 1–1 of 4 matching rows shown, of 4 (page 1 of 4).", "", id + "?page=2"},
		{id + "?page=2", ">L2-B<", "Rows 2–2 of 4 matching rows shown, of 4 (page 2 of 4).", id + "?page=1", id + "?page=3"},
		{id + "?page=4", ">L2-D<", "Rows 4–4 of 4 matching rows shown, of 4 (page 4 of 4).", id + "?page=3", ""},
		{id + "?status=submitted&page=2", ">L2-B<", "Rows 2–2 of 2 matching rows shown, of 4 (page 2 of 2).", id + "?page=1&amp;status=submitted", ""},
		{id + "?q=L2&page=2", ">L2-B<", "Rows 2–2 of 3 matching rows shown, of 4 (page 2 of 3).", id + "?page=1&amp;q=L2", id + "?page=3&amp;q=L2"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, h, tt.target)
			require.Equal(t, http.StatusOK, res.StatusCode)
			assert.Contains(t, body, tt.hint)
			rows := body[strings.Index(body, `id="shown"`):]
			for _, ref := range []string{">L2-A<", ">L2-B<", ">L2-D<"} {
				assert.Equal(t, ref == tt.shown, strings.Contains(rows, ref), "row %s", ref)
			}
			if tt.prev != "" {
				assert.Contains(t, body, `<a rel="prev" href="`+tt.prev+`">`)
			} else {
				assert.NotContains(t, body, `rel="prev"`)
			}
			if tt.next != "" {
				assert.Contains(t, body, `<a rel="next" href="`+tt.next+`">`)
			} else {
				assert.NotContains(t, body, `rel="next"`)
			}
		})
	}
	res, body := get(t, h, id+"?page=9")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, body, "There is no page 9: the rows end on page 4.")
	assert.Contains(t, body, `<a rel="prev" href="`+id+`?page=4">`)
	for _, bad := range []string{"0", "-1", "x", "99999999999"} {
		res, body := get(t, h, id+"?page="+bad)
		assert.Equal(t, http.StatusBadRequest, res.StatusCode, "page=%s", bad)
		assert.Contains(t, body, "page must be a page number")
	}
}

func TestOpenOrdersPageThroughTheList(t *testing.T) {
	f := newFake()
	for i := range 5 {
		f.open = append(f.open, OpenOrder{Key: fmt.Sprintf("l2/ref:OPEN-%d", i), Ref: fmt.Sprintf("OPEN-%d", i), Kind: "l2", Carrier: "prizz"})
	}
	h := New(Options{Source: f, MaxRows: 2})
	_, body := get(t, h, "/open?page=2")
	assert.Contains(t, body, "5 orders accepted by the carrier and not completed yet: 3–4 shown (page 2 of 3), the oldest first.")
	assert.Contains(t, body, ">OPEN-2<")
	assert.Contains(t, body, ">OPEN-3<")
	assert.NotContains(t, body, ">OPEN-1<")
	assert.NotContains(t, body, ">OPEN-4<")
	assert.Contains(t, body, `<a rel="prev" href="/open?page=1">`)
	assert.Contains(t, body, `<a rel="next" href="/open?page=3">`)
	res, _ := get(t, h, "/open?page=zero")
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
}

// A search longer than MaxQuery is refused before any row is read: each
// row is searched for the whole query.
func TestSearchIsCappedInLength(t *testing.T) {
	h := New(Options{Source: newFake()})
	const id = "/batches/20261123T130405-0001"
	tests := []struct {
		name string
		q    string
		want int
	}{
		{"at the cap", strings.Repeat("7", MaxQuery), http.StatusOK},
		{"letters at the cap", strings.Repeat("é", MaxQuery), http.StatusOK},
		{"one over", strings.Repeat("7", MaxQuery+1), http.StatusBadRequest},
		{"60,000 digits", strings.Repeat("0", 60_000), http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, h, id+"?q="+url.QueryEscape(tt.q))
			assert.Equal(t, tt.want, res.StatusCode, "got %d want %d", res.StatusCode, tt.want)
			if tt.want == http.StatusBadRequest {
				assert.Contains(t, body, fmt.Sprintf("at most %d are searched", MaxQuery))
			}
		})
	}
}

// Beyond MaxHeavy heavy requests at once, the next is answered 503 with
// Retry-After at once, not queued; an order's page still answers.
func TestHeavyRequestsAreBounded(t *testing.T) {
	f := newFake()
	f.entered, f.release = make(chan struct{}), make(chan struct{})
	h := New(Options{Source: f, MaxHeavy: 2})
	done := make(chan int, 2)
	for range 2 {
		go func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/batches/20261123T130405-0001", nil))
			done <- rec.Code
		}()
	}
	<-f.entered
	<-f.entered // both heavy requests are now in the Source
	for _, target := range []string{"/", "/batches/20261123T130405-0001", "/open", "/attention"} {
		res, body := get(t, h, target)
		assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode, target)
		assert.Equal(t, "5", res.Header.Get("Retry-After"), target)
		assert.Contains(t, body, "Reload this page in a few seconds")
	}
	res, _ := get(t, h, "/order?key=l2/ref:L2-A")
	assert.Equal(t, http.StatusOK, res.StatusCode, "one order is light: never refused")
	f.entered = nil // the next read does not wait
	close(f.release)
	assert.Equal(t, http.StatusOK, <-done)
	assert.Equal(t, http.StatusOK, <-done)
	res, _ = get(t, h, "/batches/20261123T130405-0001")
	assert.Equal(t, http.StatusOK, res.StatusCode, "the tokens are given back")
}

// TestBatchPageLinksTheToFixFile: a batch with rows to correct links its
// to-fix file for download; one without shows no such line.
func TestBatchPageLinksTheToFixFile(t *testing.T) {
	h := New(Options{Source: newFake()})
	_, body := get(t, h, "/batches/20261123T130405-0001")
	assert.Contains(t, body, `<a href="/reports/mixed.to-fix.csv" download>mixed.to-fix.csv</a>`)
	assert.Contains(t, body, "drop the file into the inbox again")
	f := newFake()
	f.details["20261123T130405-0001"].ToFix = ""
	_, body = get(t, New(Options{Source: f}), "/batches/20261123T130405-0001")
	assert.Contains(t, body, "mixed.result.csv")
	assert.NotContains(t, body, "To fix")
}
