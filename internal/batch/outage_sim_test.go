package batch_test

// A carrier that refuses the credentials, cannot be reached, or whose
// reference data cannot be read: its orders are not sent, nothing is
// recorded as rejected, the other carriers' orders still go, and a later
// pass sends them once the carrier is back.

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/thinktel"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sim"
)

// thinktelAt is a Thinktel client for base URL url with password pw.
func thinktelAt(t *testing.T, url, pw string) *thinktel.Client {
	t.Helper()
	c, err := thinktel.New(thinktel.Config{HTTP: carrier.HTTPOptions{BaseURL: url, Timeout: 2 * time.Second, ConnectTimeout: time.Second,
		MaxAttempts: 2, MaxRetryTime: 5 * time.Second, BaseBackoff: 2 * time.Millisecond}, Username: sim.DefaultCredentials().ThinktelUser, Password: pw})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// outageWorkbook holds three ca-port orders (Thinktel) and one l2 order (Prizz).
func outageWorkbook(t *testing.T, sb *sandbox) string {
	t.Helper()
	return writeWorkbook(t, sb.dir, "mixed.xlsx", map[order.Kind][]row{
		order.CaPort: {caSimRow("CA-1"), caSimRow("CA-2").with("numbers", "4165550121"), caSimRow("CA-3").with("numbers", "4165550122")},
		order.L2:     {l2SimRow("L2-1")},
	})
}

func TestSandboxCarrierUnavailableHoldsItsOrdersOnly(t *testing.T) {
	tests := []struct {
		name      string
		client    func(t *testing.T, sb *sandbox) batch.Submitter
		wantCause batch.Cause
		wantMsg   []string
		wantPosts int // port-in requests that reached the sandbox
	}{
		{"credentials refused", func(t *testing.T, sb *sandbox) batch.Submitter {
			return thinktelAt(t, sb.url+sim.ThinktelPrefix, "wrong-password")
		}, batch.CauseAuth, []string{"credentials refused by Thinktel", "HTTP 401", "check carriers.thinktel.username and carriers.thinktel.password",
			"nothing was sent; the next pass sends these rows"}, 1},
		{"connection refused", func(t *testing.T, sb *sandbox) batch.Submitter {
			return thinktelAt(t, "http://"+closedAddr(t)+sim.ThinktelPrefix, sim.DefaultCredentials().ThinktelPassword)
		}, batch.CauseUnreachable, []string{"Thinktel unreachable (connection refused)", "nothing was sent", "retried at the next pass after 14:05"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sb := newSandbox(t, sandboxConfig{})
			good := sb.opts.Carriers[order.CaPort]
			sb.opts.Carriers[order.CaPort] = tc.client(t, sb)
			sb.opts.Stops = batch.NewStops()
			sb.opts.RetryAt = time.Date(2026, 11, 23, 14, 5, 0, 0, mustParis())
			sb.opts.Credentials = map[order.Kind]string{order.CaPort: "carriers.thinktel.username and carriers.thinktel.password"}
			in := outageWorkbook(t, sb)

			s := sb.process(t, in)

			assert.Equal(t, map[string]int{batch.NotSubmitted: 3, batch.Submitted: 1}, s.Counts)
			got := readReport(t, s.Report)
			for _, ref := range []string{"CA-1", "CA-2", "CA-3"} {
				assert.Equal(t, batch.NotSubmitted, got[ref].status, "%s: %s", ref, got[ref].message)
				for _, m := range tc.wantMsg {
					assert.Contains(t, got[ref].message, m, ref)
				}
				lo, err := sb.l.Get(orderKey(order.CaPort, ref))
				if errors.Is(err, ledger.ErrNotFound) {
					continue // held before it was marked: the ledger never saw it
				}
				require.NoError(t, err)
				assert.Equal(t, ledger.Retryable, lo.State, "%s: the ledger must let it be sent again", ref)
			}
			assert.Equal(t, batch.Submitted, got["L2-1"].status, "the other carrier's orders still go: %s", got["L2-1"].message)
			assert.Equal(t, tc.wantPosts, sb.requests("POST "+sim.ThinktelPrefix+"/v2/NumberPorts/Inbound/DIDs"),
				"the carrier is asked once, not once per order")
			require.Len(t, s.Outages, 1)
			assert.Equal(t, tc.wantCause, s.Outages[0].Cause)
			assert.Equal(t, 3, s.Outages[0].Rows)
			assert.True(t, s.NeedsRetry())

			// A second file of the same pass does not ask the stopped carrier again.
			s2 := sb.process(t, writeKindCSV(t, sb.dir, "more.csv", order.CaPort, caSimRow("CA-4").with("numbers", "4165550123")))
			assert.Equal(t, map[string]int{batch.NotSubmitted: 1}, s2.Counts)
			assert.Equal(t, tc.wantPosts, sb.requests("POST "+sim.ThinktelPrefix+"/v2/NumberPorts/Inbound/DIDs"))

			// The next pass, the carrier back: the held orders are sent, once.
			sb.opts.Carriers[order.CaPort] = good
			sb.opts.Stops = batch.NewStops()
			s3 := sb.process(t, in)
			assert.Equal(t, map[string]int{batch.Submitted: 3, batch.AlreadySubmitted: 1}, s3.Counts, "%v", readReport(t, s3.Report))
			assert.Empty(t, s3.Outages)
			assert.Len(t, sb.sim.Orders(), 4)
		})
	}
}

// Reference data that could not be read holds the rows whose checks need
// it ("could not read …", not sent, never invalid nor rejected), while the
// checks of the lists that were read are still made.
func TestSandboxUnreadReferenceHoldsOnlyTheRowsThatNeedIt(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	sb.opts.Order.Reference = &order.Reference{Carrier: map[order.Kind]string{order.CaPort: "Thinktel"}, CaTrunks: map[int64]bool{4165550100: true}, CaProviders: map[int32]string{311: "Bell"}}
	sb.opts.Unread = map[order.RefData]error{order.RefCaOfferings: errors.New("HTTP 500: internal error")}
	in := writeKindCSV(t, sb.dir, "ca.csv", order.CaPort,
		caSimRow("TRUNK-OK"),
		caSimRow("TRUNK-BAD").with("pilot_number", "4165559999", "numbers", "4165550121"),
		caProduct("PRODUCT", "TT-VFAX", "4165550136", "fax_email", "fax@harbourfront.example"),
	)

	s := sb.process(t, in)

	got := readReport(t, s.Report)
	assert.Equal(t, batch.Submitted, got["TRUNK-OK"].status, got["TRUNK-OK"].message)
	assert.Equal(t, batch.Invalid, got["TRUNK-BAD"].status, "the SIP trunk list was read: its check is still made")
	assert.Contains(t, got["TRUNK-BAD"].message, "not one of your Thinktel SIP trunks")
	assert.Equal(t, batch.NotSubmitted, got["PRODUCT"].status)
	assert.Contains(t, got["PRODUCT"].message, "could not read Thinktel's telephone offerings (HTTP 500: internal error); not sent, retried at the next pass")
	assert.Len(t, sb.sim.Orders(), 1)
	require.Len(t, s.Outages, 1)
	assert.Equal(t, batch.CauseReference, s.Outages[0].Cause)
	_, err := sb.l.Get(orderKey(order.CaPort, "PRODUCT"))
	assert.ErrorIs(t, err, ledger.ErrNotFound, "a held order is never marked in the ledger")
}
