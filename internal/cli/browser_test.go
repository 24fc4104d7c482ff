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
// search, an order's history, the report download, a phone-sized layout and
// screenshots.
func TestReviewPageInABrowser(t *testing.T) {
	chrome := chromium(t)
	shots := artifactDir(t)
	profile := t.TempDir() // before the browser: removed after it is closed

	e := newE2E(t, "schedule: \"@every 1h\"\nweb:\n  addr: 127.0.0.1:0\n")
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
		"CA-WEB-1,4165550100,416-555-0177,Harbourfront Physio,BC-7730-4418,390,Queens Quay West,Toronto,ON,M5V 3A6,CA,admin@harbourfront.example,311\n"))
	code, out = e.run(time.Now())
	require.Equal(t, ExitOK, code, out)

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

	// On a phone: the rows become cards, nothing is wider than the screen.
	run("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(batchURL+"?status=invalid"), chromedp.WaitVisible(chromedp.CSS("#rows")))
	fits, err := chromedp.Run(step(), chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	require.NoError(t, err)
	assert.True(t, fits, "the batch page scrolls sideways on a phone")
	assert.False(t, visible(t, step(), "#rows thead"), "on a phone the rows are cards, without the table's header")
	shot("review-batch-phone.png")
}

// visible reports whether the first element matching sel is displayed.
func visible(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector(`+strconv.Quote(sel)+`)).display !== "none"`))
	require.NoError(t, err)
	return shown
}
