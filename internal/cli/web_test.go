package cli

import (
	"context"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/review"
	"github.com/orderdrop/orderdrop/internal/sim"
	"github.com/orderdrop/orderdrop/internal/web"
)

func TestLedgerSourceOverARealPass(t *testing.T) {
	e := newE2E(t, "")
	csv := string(l2CSV(t, 3))
	csv = strings.Replace(csv, "E2E-0002", "<script>alert(1)</script>", 1)
	csv = strings.Replace(csv, "0536490741", "+33536490741", 1)                      // E2E-0001's phone: a CSV report quotes it
	csv = strings.Replace(csv, "E2E-0003,Client 3,2201", "E2E-0003,Client 3,abc", 1) // offer_id not a number: invalid
	e.drop("mixed.csv", []byte(csv))
	code, out := e.run(time.Now())
	require.Equal(t, ExitAttention, code, out)

	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	src := review.NewSource(&review.Gate{}, func() *config.Config { return cfg })
	ctx := context.Background()
	bs, err := src.Batches(ctx, 10)
	require.NoError(t, err)
	require.Len(t, bs, 1)
	assert.Equal(t, "mixed.csv", bs[0].File)
	assert.Equal(t, "mixed.result.csv", bs[0].Report)
	assert.Equal(t, map[string]int{"submitted": 2, "invalid": 1}, bs[0].Counts)

	b, err := src.Batch(ctx, bs[0].ID, web.RowQuery{Limit: 100})
	require.NoError(t, err)
	assert.Empty(t, b.Note)
	require.Len(t, b.Rows, 3)
	got := map[string]web.Row{}
	for _, r := range b.Rows {
		got[r.Ref] = r
	}
	assert.Equal(t, "submitted", got["E2E-0001"].Status)
	assert.Equal(t, "l2/ref:E2E-0001", got["E2E-0001"].OrderKey)
	assert.NotEmpty(t, got["E2E-0001"].CarrierReference)
	assert.Contains(t, got["E2E-0001"].Cells, web.Field{Name: "site_contact_phone", Value: "+33536490741"}, "the report's formula guard is undone for display")
	assert.Equal(t, "l2/ref:<script>alert(1)</script>", got["<script>alert(1)</script>"].OrderKey)
	assert.Equal(t, "invalid", got["E2E-0003"].Status)
	assert.Empty(t, got["E2E-0003"].OrderKey, "an invalid row has no order")
	assert.Contains(t, got["E2E-0003"].Message, "offer_id")

	o, err := src.Order(ctx, "l2/ref:E2E-0001")
	require.NoError(t, err)
	assert.Equal(t, "submitted", o.State)
	require.Len(t, o.History, 2)
	assert.Equal(t, "submitting", o.History[0].State)
	assert.Equal(t, "submitted", o.History[1].State)
	assert.Equal(t, o.Reference, o.History[1].Reference)
	assert.Positive(t, o.History[1].Attempts)
	assert.NotEmpty(t, o.Fields)

	_, err = src.Order(ctx, "l2/ref:NOPE")
	assert.ErrorIs(t, err, web.ErrNotFound)
	_, err = src.Batch(ctx, "20990101T000000-0001", web.RowQuery{Limit: 100})
	assert.ErrorIs(t, err, web.ErrNotFound)

	// The two submitted orders are open (not asked yet); the invalid row is
	// in its report, not in the attention list.
	open, total, err := src.OpenOrders(ctx, 0, 100)
	require.NoError(t, err)
	require.Len(t, open, 2)
	assert.Equal(t, 2, total)
	refs := []string{open[0].Ref, open[1].Ref}
	assert.ElementsMatch(t, []string{"E2E-0001", "<script>alert(1)</script>"}, refs)
	assert.Equal(t, "not asked yet", open[0].Stage)
	assert.False(t, open[0].Submitted.IsZero(), "an open order says when it was submitted")
	assert.True(t, open[0].Checked.IsZero(), "not asked yet: never checked")
	items, err := src.Attention(ctx)
	require.NoError(t, err)
	require.Len(t, items, 1, "the file with an invalid row needs a person")
	assert.Equal(t, "invalid_rows", items[0].What)
	assert.Contains(t, items[0].Detail, "mixed.csv")

	// Prizz ends one contract: it leaves the open orders; its page shows the
	// stage; a cancellation needs a person.
	e.push(got["E2E-0001"].CarrierReference, sim.StageRejected, "", "adresse inconnue")
	code, out, logs := e.track()
	require.Equal(t, ExitAttention, code, out+logs)
	open, _, err = src.OpenOrders(ctx, 0, 100)
	require.NoError(t, err)
	require.Len(t, open, 1)
	assert.Equal(t, "<script>alert(1)</script>", open[0].Ref)
	assert.Equal(t, "pending", open[0].Stage)
	assert.False(t, open[0].Checked.IsZero(), "asked by the tracking pass")
	assert.Equal(t, "new", open[0].Detail, "the carrier's word alone when it says nothing more")
	o, err = src.Order(ctx, "l2/ref:E2E-0001")
	require.NoError(t, err)
	require.NotEmpty(t, o.Tracking, "the order page shows the carrier's stages")
	last := o.Tracking[len(o.Tracking)-1]
	assert.Equal(t, "cancelled", last.Stage)
	assert.Contains(t, last.Detail, "adresse inconnue")

	// A Thinktel rejection needs a person: what happened, what to do, and the batch it came from.
	e.drop("ca.csv", []byte("order_ref,pilot_number,numbers,customer_name,account_number,street_number,street_name,city,province,postal_code,country,email,current_provider_id\n"+
		"CA-SRC-1,4165550100,416-555-0177,Harbourfront Physio,BC-7730-4418,390,Queens Quay West,Toronto,ON,M5V 3A6,CA,admin@harbourfront.example,311\n"))
	code, out = e.run(time.Now())
	require.Equal(t, ExitOK, code, out)
	ca, err := src.Order(ctx, "ca-port/ref:CA-SRC-1")
	require.NoError(t, err)
	e.push(ca.Reference, sim.StageRejected, "", "End user name does not match")
	code, out, logs = e.track()
	require.Equal(t, ExitAttention, code, out+logs)
	all, err := src.Attention(ctx)
	require.NoError(t, err)
	items = nil
	for _, it := range all {
		if it.What == "rejected_at_carrier" {
			items = append(items, it)
		}
	}
	require.Len(t, items, 1)
	assert.Equal(t, "CA-SRC-1", items[0].Ref)
	assert.Contains(t, items[0].Detail, "ca.csv: ")
	assert.Contains(t, items[0].Detail, "End user name does not match")
	assert.NotContains(t, items[0].Detail, "new order_ref", "what to do is apart")
	assert.Contains(t, items[0].Action, "sent again under the same order_ref")
	assert.Equal(t, ca.BatchID, items[0].BatchID)
}

// pageURL waits for the daemon to print the review page's address.
func pageURL(t *testing.T, stdout, stderr *syncBuffer) string {
	t.Helper()
	re := regexp.MustCompile(`review page: (http://\S+/)`)
	waitFor(t, "the review page's address", func() bool { return re.MatchString(stdout.String()) }, stdout, stderr)
	return re.FindStringSubmatch(stdout.String())[1]
}

func TestDaemonServesTheReviewPageAndStopsIt(t *testing.T) {
	e := newE2E(t, "schedule: \"@every 1h\"\nweb:\n  addr: 127.0.0.1:0\n  user: review\n  password: ${E2E_WEB_PASSWORD}\n")
	t.Setenv("E2E_WEB_PASSWORD", "pw-for-tests")
	e.sim.SetFaults(sim.Faults{})
	e.drop("first.csv", l2CSV(t, 2))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runDaemon(ctx, e.cfg, daemonOptions{now: true}, make(chan os.Signal), &stdout, &stderr)
	}()
	url := pageURL(t, &stdout, &stderr)
	waitFor(t, "the --now pass", func() bool { return strings.Contains(stdout.String(), "first.csv: 2 rows, 2 submitted") }, &stdout, &stderr)

	client := &http.Client{Timeout: 10 * time.Second}
	get := func(user, pass string) (*http.Response, string) {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		require.NoError(t, err)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		res, err := client.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res, string(body)
	}
	res, _ := get("", "")
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	res, body := get("review", "pw-for-tests")
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, body, "first.csv")
	assert.Contains(t, res.Header.Get("Content-Security-Policy"), "default-src 'none'")

	// Between passes the page holds no lock: an operator's command gets the
	// ledger as soon as the --now pass has closed it (its report can be on
	// the page a moment before: the pass still records, backs up and closes).
	cfg, err := loadConfig(e.cfg)
	require.NoError(t, err)
	var l *ledger.Ledger
	waitFor(t, "the ledger free once the --now pass has ended", func() bool {
		l, err = ledger.Open(cfg.Ledger, ledger.Options{Timeout: 200 * time.Millisecond})
		return err == nil
	}, &stdout, &stderr)
	require.NoError(t, l.Close())

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("the daemon did not stop")
	}
	_, err = client.Get(url)
	assert.Error(t, err, "the page stops with the daemon")
}

// While a pass waits on the carrier, the page reads the ledger through the
// pass's handle: it answers (no "busy"), shows the batch running, and the
// pass is not held up.
func TestReviewPageDuringAPass(t *testing.T) {
	e := newE2E(t, "schedule: \"@every 1h\"\nweb:\n  addr: 127.0.0.1:0\n")
	e.sim.SetFaults(sim.Faults{NextHangAfterCreate: 1}) // the order is created, the answer never comes: the client gives up after its 2s timeout
	e.drop("slow.csv", l2CSV(t, 1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runDaemon(ctx, e.cfg, daemonOptions{now: true}, make(chan os.Signal), &stdout, &stderr)
	}()
	url := pageURL(t, &stdout, &stderr)
	e.waitOrders(1, 10*time.Second) // the pass now waits for the carrier's answer, ledger open

	res, err := http.Get(url)
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, res.Body.Close())
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode, "the page must read during a pass, not wait for the ledger")
	assert.Contains(t, string(body), "slow.csv")
	assert.Contains(t, string(body), "running", "the batch is read while its pass runs")

	waitFor(t, "the pass to end", func() bool { return strings.Contains(stdout.String(), "slow.csv: 1 row, 1 in_doubt") }, &stdout, &stderr)
	cancel()
	require.NoError(t, <-done)
}
