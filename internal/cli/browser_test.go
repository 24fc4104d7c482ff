package cli

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/sim"
)

// chromium finds the browser. Without one the test is skipped on a
// developer's machine but fails under CI, which must install it (.ci/run).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; CI must install it (.ci/run: apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install chromium); the browser test runs under CI")
	return ""
}

// artifactDir is where screenshots are kept: $ORDERDROP_ARTIFACTS, else
// the test's artifact folder (kept with go test -artifacts).
func artifactDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("ORDERDROP_ARTIFACTS"); dir != "" {
		require.NoError(t, os.MkdirAll(dir, 0o750))
		return dir
	}
	return t.ArtifactDir()
}

const hostileRef = `<img src=x onerror=alert(1)>`

// TestReviewPageInABrowser runs real passes against the carrier sandbox,
// starts the daemon with its review page, and reads the page with headless
// Chromium: batch list counts, a batch's rows filtered by status and by
// search, an order's history, the report download; then, as the daemon's
// tracking passes bring the carriers' stages, the open orders, an order's
// stages and the attention list; a phone-sized layout and screenshots.
func TestReviewPageInABrowser(t *testing.T) {
	chrome := chromium(t)
	shots := artifactDir(t)
	profile := t.TempDir() // before the browser: removed after it is closed

	// Tracking passes run every second while the page is read: they borrow
	// the ledger through the daemon's gate, the page reads through them.
	e := newE2E(t, "schedule: \"@every 1h\"\ntrack_schedule: \"@every 1s\"\nweb:\n  addr: 127.0.0.1:0\n")
	night := string(l2CSV(t, 6))
	night = strings.Replace(night, "E2E-0003", hostileRef, 1)
	night = strings.Replace(night, "E2E-0005,Client 5,2201", "E2E-0005,Client 5,abc", 1) // offer_id not a number
	night = strings.Replace(night, "E2E-0006,Client 6,2201", "E2E-0006,Client 6,", 1)    // offer_id missing
	e.sim.SetFaults(sim.Faults{Next500AfterCreate: 1})                                   // one order created but answered 500: in doubt
	e.drop("night.csv", []byte(night))
	code, out := e.run(time.Now())
	require.Equal(t, ExitAttention, code, out)
	require.Contains(t, out, "night.csv: 6 rows, 3 submitted, 1 in_doubt, 2 invalid", out)
	e.sim.SetFaults(sim.Faults{})
	e.drop("ca.csv", []byte("order_ref,pilot_number,numbers,customer_name,account_number,street_number,street_name,city,province,postal_code,country,email,current_provider_id\n"+
		"CA-WEB-1,4165550100,416-555-0177,Harbourfront Physio,BC-7730-4418,390,Queens Quay West,Toronto,ON,M5V 3A6,CA,admin@harbourfront.example,311\n"+
		"CA-WEB-2,4165550100,604-555-0142,Granville Dental,BC-7730-5120,1055,West Georgia Street,Vancouver,BC,V6E 3P3,CA,office@granville.example,311\n"))
	code, out = e.run(time.Now())
	require.Equal(t, ExitOK, code, out)
	require.Contains(t, out, "ca.csv: 2 rows, 2 submitted", e.reportRows("ca.result.csv"))
	scheduled, rejected := e.simRef(sim.CarrierThinktel, "Harbourfront Physio"), e.simRef(sim.CarrierThinktel, "Granville Dental")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- runDaemon(ctx, e.cfg, daemonOptions{}, make(chan os.Signal), &stdout, &stderr) }()
	defer func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(15 * time.Second):
			t.Error("the daemon did not stop")
		}
	}()
	base := strings.TrimSuffix(pageURL(t, &stdout, &stderr), "/")

	// One browser for the whole test. The allocator's deadline bounds it
	// (it stops the browser); each step has its own shorter deadline.
	bound, cancelBound := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancelBound()
	alloc, cancelAlloc := chromedp.NewExecAllocator(bound,
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1200, 900),
	)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc, chromedp.WithErrorf(t.Logf))
	defer cancelBrowser()
	require.NoError(t, chromedp.Do(browser), "start chromium") // the first call starts the browser: no deadline of its own
	step := func() context.Context {
		ctx, cancel := context.WithTimeout(browser, 30*time.Second)
		t.Cleanup(cancel)
		return ctx
	}
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(step(), steps...), what)
	}
	count := func(sel string) int {
		t.Helper()
		nodes, err := chromedp.Run(step(), chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
		require.NoError(t, err, "count %s", sel)
		return len(nodes)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(step(), chromedp.Text(chromedp.CSS(sel)))
		require.NoError(t, err, "read %s", sel)
		return strings.TrimSpace(s)
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(step(), chromedp.FullScreenshot(100))
		require.NoError(t, err, "screenshot %s", name)
		p := filepath.Join(shots, name)
		require.NoError(t, os.WriteFile(p, png, 0o640))
		t.Logf("screenshot: %s", p)
	}

	// The batch list: newest first, with the counts per status.
	run("open the batch list", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#batches")))
	require.Equal(t, 2, count("#batches tbody tr"))
	assert.Contains(t, text("#batches tbody tr:nth-child(1)"), "ca.csv")
	assert.Contains(t, text("#batches tbody tr:nth-child(2)"), "night.csv")
	for status, want := range map[string]string{"submitted": "3", "in_doubt": "1", "invalid": "2"} {
		assert.Equal(t, want, text(`#batches tbody tr:nth-child(2) td[data-label="`+status+`"]`), status)
	}
	shot("review-batches.png")

	// One batch: every row, then filtered by status through the form.
	run("open night.csv", chromedp.Click(chromedp.Search(`//a[text()="night.csv"]`)), chromedp.WaitVisible(chromedp.CSS("#rows")))
	assert.Equal(t, "6 rows shown of 6.", text("#shown"))
	batchURL, err := chromedp.Run(step(), chromedp.Location())
	require.NoError(t, err)
	run("filter invalid",
		chromedp.SetValue(chromedp.CSS(`select[name="status"]`), "invalid"),
		chromedp.Click(chromedp.CSS(`form.filters button`)),
		chromedp.WaitReady(chromedp.CSS(`select[name="status"] option[value="invalid"][selected]`)))
	assert.Equal(t, "2 rows shown of 6.", text("#shown"))
	assert.Equal(t, 2, count("#rows tbody tr"))
	assert.Equal(t, 2, count("#rows tbody tr.row-invalid"))
	assert.Contains(t, text("#rows"), "offer_id")

	// The status chips are links to the same filter.
	run("chip in_doubt", chromedp.Click(chromedp.CSS(`#counts a.st-in_doubt`)),
		chromedp.WaitReady(chromedp.CSS(`select[name="status"] option[value="in_doubt"][selected]`)))
	assert.Equal(t, 1, count("#rows tbody tr.row-in_doubt"))
	assert.Equal(t, 1, count("#rows tbody tr"))

	// Search by order_ref.
	run("search",
		chromedp.SetValue(chromedp.CSS(`select[name="status"]`), ""),
		chromedp.SetValue(chromedp.CSS(`input[name="q"]`), "e2e-0004"),
		chromedp.Click(chromedp.CSS(`form.filters button`)),
		chromedp.WaitReady(chromedp.CSS(`input[name="q"][value="e2e-0004"]`)))
	assert.Equal(t, "1 row shown of 6.", text("#shown"))
	assert.Contains(t, text("#rows tbody"), "E2E-0004")

	// The order's history.
	run("open the order", chromedp.Click(chromedp.CSS(`#rows a[href^="/order"]`)), chromedp.WaitVisible(chromedp.CSS("#history")))
	assert.Equal(t, "E2E-0004", text("h1"))
	history := text("#history")
	assert.Contains(t, history, "submitting")
	assert.Regexp(t, `submitted|in_doubt`, history)
	assert.Contains(t, text("#order"), "l2 (prizz)")
	shot("review-order.png")

	// A hostile order_ref is shown as text, never as markup.
	run("back to the batch", chromedp.Navigate(batchURL), chromedp.WaitVisible(chromedp.CSS("#rows")))
	assert.Contains(t, text("#rows"), hostileRef)
	assert.Equal(t, 0, count("#rows img"))

	// The report downloads as the file in the reports folder.
	link, err := chromedp.Run(step(), chromedp.AttributeValue(chromedp.CSS(`dl.facts a[download]`), "href"))
	require.NoError(t, err)
	require.True(t, link.Exists)
	res, err := http.Get(base + link.Value)
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, res.Body.Close())
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, res.Header.Get("Content-Disposition"), "attachment")
	want, err := os.ReadFile(filepath.Join(e.dir, "reports", "night.result.csv"))
	require.NoError(t, err)
	assert.Equal(t, want, body)
	shot("review-batch.png")

	// Without a password the page answers only requests addressed to this machine (DNS rebinding).
	req, err := http.NewRequest(http.MethodGet, base+"/", nil)
	require.NoError(t, err)
	req.Host = "rebound.example"
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	assert.Equal(t, http.StatusMisdirectedRequest, res.StatusCode)

	// Open orders: the daemon's tracking passes ask the carriers. Wait for
	// the first to see the ca-port orders pending, then move them at the
	// carrier and wait for a pass to bring the news to the page.
	// untilShown reloads path until sel's text contains want (each pass
	// takes about a second; the bound is generous for a loaded machine).
	untilShown := func(path, sel, want string) string {
		t.Helper()
		deadline := time.Now().Add(45 * time.Second)
		for {
			run("open "+path, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("main")))
			got, err := chromedp.Run(step(), chromedp.Evaluate[string](`(document.querySelector(`+strconv.Quote(sel)+`) || {innerText: ""}).innerText`))
			require.NoError(t, err)
			if strings.Contains(got, want) {
				return got
			}
			if time.Now().After(deadline) {
				t.Logf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
				t.Fatalf("%s: %q never showed %q; last:\n%s", path, sel, want, got)
			}
			time.Sleep(300 * time.Millisecond)
		}
	}
	untilShown("/open", "#open", "pending")
	e.push(scheduled, sim.StageScheduled, "2026-12-04", "")
	e.push(rejected, sim.StageRejected, "", "End user name does not match")
	untilShown("/open", "#open", "scheduled 2026-12-04")
	open := text("#open tbody")
	assert.Contains(t, open, "CA-WEB-1")
	assert.NotContains(t, open, "CA-WEB-2", "an order rejected at the carrier is no longer open")
	assert.Contains(t, open, scheduled)
	assert.Equal(t, 4, count("#open tbody tr"), "CA-WEB-1 and night.csv's three submitted orders")
	stage, err := chromedp.Run(step(), chromedp.Text(chromedp.Search(`//table[@id="open"]//tr[.//a[text()="CA-WEB-1"]]/td[@data-label="Stage"]`)))
	require.NoError(t, err)
	assert.Equal(t, "scheduled 2026-12-04", strings.TrimSpace(stage))
	assert.True(t, fitsSideways(t, step(), "#open"), "the open orders fit a desktop window")
	shot("review-open.png")

	// The order's page shows its stages at the carrier, oldest first.
	run("open CA-WEB-1", chromedp.Click(chromedp.Search(`//a[text()="CA-WEB-1"]`)), chromedp.WaitVisible(chromedp.CSS("#tracking")))
	assert.Equal(t, "CA-WEB-1", text("h1"))
	trackedURL, err := chromedp.Run(step(), chromedp.Location())
	require.NoError(t, err)
	assert.Contains(t, text("#tracking tbody tr:first-child"), "pending")
	assert.Contains(t, text("#tracking tbody tr:last-child"), "scheduled")
	assert.Contains(t, text("#tracking tbody tr:last-child"), "2026-12-04")
	shot("review-order-tracking.png")

	// Needs attention: the rejection, with what to do, beside night.csv's order in doubt.
	attn := untilShown("/attention", "#attention", "rejected_at_carrier")
	assert.Contains(t, attn, "in_doubt")
	rej := text(`#attention tbody tr:has(.st-rejected_at_carrier)`)
	assert.Contains(t, rej, "CA-WEB-2")
	assert.Contains(t, rej, "End user name does not match")
	assert.Contains(t, text(`#attention tbody tr:has(.st-rejected_at_carrier) .action`), "sent again under the same order_ref")
	assert.Contains(t, text(`#attention tbody tr:has(.st-rejected_at_carrier) td[data-label="Batch"]`), "-", "linked to the batch of ca.csv")
	colour, err := chromedp.Run(step(), chromedp.Evaluate[string](`getComputedStyle(document.querySelector("#attention .st-rejected_at_carrier")).color`))
	require.NoError(t, err)
	assert.Equal(t, "rgb(166, 27, 27)", colour, "a rejection at the carrier is shown in the colour of rejections (--bad)")
	assert.True(t, fitsSideways(t, step(), "#attention"), "the attention list fits a desktop window")
	shot("review-attention.png")

	// On a phone: the rows become cards, nothing is wider than the screen.
	run("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(batchURL+"?status=invalid"), chromedp.WaitVisible(chromedp.CSS("#rows")))
	fits, err := chromedp.Run(step(), chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	require.NoError(t, err)
	assert.True(t, fits, "the batch page scrolls sideways on a phone")
	assert.False(t, visible(t, step(), "#rows thead"), "on a phone the rows are cards, without the table's header")
	shot("review-batch-phone.png")
	for _, page := range []struct{ url, table, shot string }{
		{base + "/open", "#open", "review-open-phone.png"},
		{base + "/attention", "#attention", "review-attention-phone.png"},
		{trackedURL, "#tracking", "review-order-phone.png"},
	} {
		run("phone "+page.url, chromedp.Navigate(page.url), chromedp.WaitVisible(chromedp.CSS(page.table)))
		fits, err := chromedp.Run(step(), chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
		require.NoError(t, err)
		assert.True(t, fits, "%s scrolls sideways on a phone", page.url)
		assert.False(t, visible(t, step(), page.table+" thead"), "on a phone %s's rows are cards", page.url)
		shot(page.shot)
	}
}

// simRef is the carrier reference the sandbox gave the order whose request
// mentions needle (a customer name, an order_ref).
func (e *e2e) simRef(carrierName, needle string) string {
	e.t.Helper()
	for _, o := range e.sim.Orders() {
		if o.Carrier == carrierName && strings.Contains(string(o.Body), needle) {
			return o.Reference
		}
	}
	e.t.Fatalf("no %s order mentions %q", carrierName, needle)
	return ""
}

// fitsSideways reports whether the table sel is shown whole, without
// scrolling its box sideways.
func fitsSideways(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(t => t.getBoundingClientRect().right <= t.parentElement.getBoundingClientRect().right + 1)(document.querySelector(`+strconv.Quote(sel)+`))`))
	require.NoError(t, err)
	return fits
}

// visible reports whether the first element matching sel is displayed.
func visible(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector(`+strconv.Quote(sel)+`)).display !== "none"`))
	require.NoError(t, err)
	return shown
}
