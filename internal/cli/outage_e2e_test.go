package cli

// A carrier that refuses the credentials, cannot be reached, or whose
// reference data cannot be read: its rows are not sent, nothing is
// rejected, the file stays in processing/ and a later pass sends them.

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sim"
)

var caHeader = []string{"order_ref", "pilot_number", "offering_id", "numbers", "customer_name", "account_number", "street_number",
	"street_name", "city", "province", "postal_code", "country", "email", "current_provider_id", "fax_email"}

// caTrunk is a valid ca-port row onto the sandbox's SIP trunk 4165550100.
func caTrunk(ref, number string) []string {
	return []string{ref, "4165550100", "", number, "Harbourfront Physio", "BC-7730-4418", "390", "Queens Quay West", "Toronto", "ON",
		"M5V 3A6", "CA", "admin@harbourfront.example", "311", ""}
}

// caFax is a valid new-service ca-port row (offering TT-VFAX, type 7).
func caFax(ref, number string) []string {
	r := caTrunk(ref, number)
	r[1], r[2], r[14] = "", "TT-VFAX", "fax@harbourfront.example"
	return r
}

func caCSV(t *testing.T, rows ...[]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.Write(caHeader))
	require.NoError(t, w.WriteAll(rows))
	return b.Bytes()
}

// mixedWorkbook has a ca-port sheet (Thinktel) and an l2 sheet (Prizz).
func mixedWorkbook(t *testing.T, ca [][]string, l2 []byte) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	put := func(sheet string, rows [][]string) {
		for i, r := range rows {
			cells := make([]any, len(r))
			for j, c := range r {
				cells[j] = c
			}
			cell, err := excelize.CoordinatesToCellName(1, i+1)
			require.NoError(t, err)
			require.NoError(t, f.SetSheetRow(sheet, cell, &cells))
		}
	}
	require.NoError(t, f.SetSheetName(f.GetSheetName(0), "ca-port"))
	put("ca-port", append([][]string{caHeader}, ca...))
	_, err := f.NewSheet("l2")
	require.NoError(t, err)
	l2Rows, err := csv.NewReader(bytes.NewReader(l2)).ReadAll()
	require.NoError(t, err)
	put("l2", l2Rows)
	var b bytes.Buffer
	require.NoError(t, f.Write(&b))
	return b.Bytes()
}

// edit replaces old by new in the configuration file.
func (e *e2e) edit(old, new string) {
	e.t.Helper()
	data, err := os.ReadFile(e.cfg)
	require.NoError(e.t, err)
	require.Contains(e.t, string(data), old)
	require.NoError(e.t, os.WriteFile(e.cfg, []byte(strings.Replace(string(data), old, new, 1)), 0o600))
}

// ledgerStates returns the ledger state of each key ("" when unknown).
func (e *e2e) ledgerStates(keys ...string) map[string]ledger.State {
	e.t.Helper()
	cfg, err := loadConfig(e.cfg)
	require.NoError(e.t, err)
	l, err := ledger.Open(cfg.Ledger, ledger.Options{})
	require.NoError(e.t, err)
	defer l.Close()
	got, err := l.Lookup(keys)
	require.NoError(e.t, err)
	out := map[string]ledger.State{}
	for _, k := range keys {
		if o := got[k]; o != nil {
			out[k] = o.State
		} else {
			out[k] = ""
		}
	}
	return out
}

func (e *e2e) inProcessing(name string) bool {
	_, err := os.Stat(filepath.Join(e.dir, "processing", name))
	return err == nil
}

// statusOf maps a report's rows by order_ref.
func statusOf(rows []map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, r := range rows {
		out[r["order_ref"]] = r
	}
	return out
}

func TestE2EWrongPasswordHoldsRowsUntilItIsFixed(t *testing.T) {
	e := newE2E(t, "")
	t.Setenv("E2E_TT_PASSWORD", "not-the-password")
	e.drop("ca.csv", caCSV(t, caTrunk("CA-1", "4165550121"), caTrunk("CA-2", "4165550122"), caFax("CA-3", "4165550136")))
	e.drop("l2.csv", l2CSV(t, 1))

	code, out := e.run(time.Now())

	assert.Equal(t, ExitFatal, code, out)
	assert.Contains(t, out, "ca.csv: credentials refused by Thinktel")
	assert.Contains(t, out, "3 rows not sent; check carriers.thinktel.username and carriers.thinktel.password (environment variables E2E_TT_USER, E2E_TT_PASSWORD)")
	assert.NotContains(t, out, "not-the-password")
	rows := statusOf(e.reportRows("ca.result.csv"))
	for _, ref := range []string{"CA-1", "CA-2", "CA-3"} {
		assert.Equal(t, "not_submitted", rows[ref]["status"], "%s: %s", ref, rows[ref]["message"])
		assert.Contains(t, rows[ref]["message"], "credentials refused by Thinktel")
		assert.Contains(t, rows[ref]["message"], "nothing was sent; the next pass sends these rows")
	}
	for k, st := range e.ledgerStates("ca-port/ref:CA-1", "ca-port/ref:CA-2", "ca-port/ref:CA-3") {
		assert.NotEqual(t, ledger.Rejected, st, "%s: a refused password rejects no order", k)
	}
	assert.True(t, e.inProcessing("ca.csv"), "the file waits in processing/ for the next pass")
	assert.Equal(t, map[string]int{"E2E-0001": 1}, e.prizzRefs(), "the other carrier's orders still go")

	// The password fixed: the next pass sends them, without any resolve.
	t.Setenv("E2E_TT_PASSWORD", sim.DefaultCredentials().ThinktelPassword)
	code, out = e.run(time.Now())
	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "ca.csv: 3 rows, 3 submitted")
	assert.False(t, e.inProcessing("ca.csv"), "archived once everything was sent")
	assert.Len(t, e.sim.Orders(), 4, "three port-ins and the l2 order, each once")
}

func TestE2EUnreachableCarrierKeepsTheFileAndRetriesAfterBackoff(t *testing.T) {
	e := newE2E(t, "retry:\n  min_wait: 10m\n  max_wait: 1h\n")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	down := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there: connection refused
	e.edit(e.srv.URL+"/thinktel/rest.svc", down+"/thinktel/rest.svc")
	e.drop("mixed.xlsx", mixedWorkbook(t, [][]string{caTrunk("CA-1", "4165550121"), caTrunk("CA-2", "4165550122")}, l2CSV(t, 1)))

	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	t0 := time.Date(2026, 11, 23, 14, 0, 0, 0, paris)
	code, out := e.run(t0)

	assert.Equal(t, ExitAttention, code, out)
	assert.Contains(t, out, "mixed.xlsx: Thinktel unreachable (connection refused): 2 rows not sent; retried at the next pass after 14:10")
	rows := statusOf(e.reportRows("mixed.result.xlsx"))
	assert.Equal(t, "submitted", rows["E2E-0001"]["status"], "the other carrier's orders still go: %s", rows["E2E-0001"]["message"])
	for _, ref := range []string{"CA-1", "CA-2"} {
		assert.Equal(t, "not_submitted", rows[ref]["status"], ref)
		assert.Contains(t, rows[ref]["message"], "Thinktel unreachable (connection refused)")
	}
	assert.True(t, e.inProcessing("mixed.xlsx"), "the file stays pending")
	require.Len(t, e.sim.Orders(), 1)

	// The carrier is back, but the file's turn has not come; a newer file is not blocked.
	e.edit(down+"/thinktel/rest.svc", e.srv.URL+"/thinktel/rest.svc")
	e.drop("later.csv", caCSV(t, caTrunk("CA-9", "4165550129")))
	code, out = e.run(t0.Add(5 * time.Minute))
	assert.Equal(t, ExitAttention, code, out)
	assert.Contains(t, out, "mixed.xlsx: waiting in processing/ (Thinktel: connection refused); retried at the next pass after 14:10")
	assert.Contains(t, out, "later.csv: 1 row, 1 submitted")
	assert.True(t, e.inProcessing("mixed.xlsx"))
	require.Len(t, e.sim.Orders(), 2)

	// After the backoff: the held rows are sent, the l2 order is not sent again.
	code, out = e.run(t0.Add(11 * time.Minute))
	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "mixed.xlsx: 3 rows, 2 submitted, 1 already_submitted")
	assert.False(t, e.inProcessing("mixed.xlsx"))
	assert.Len(t, e.sim.Orders(), 4)
	assert.Equal(t, map[string]int{"E2E-0001": 1}, e.prizzRefs(), "never ordered twice")
}

func TestE2EUnreadableReferenceHoldsOnlyTheRowsThatNeedIt(t *testing.T) {
	e := newE2E(t, "retry:\n  min_wait: 0s\n")
	e.sim.SetFaults(sim.Faults{BrokenPaths: []string{sim.ThinktelPrefix + "/Products/TelephoneOfferings"}})
	bad := caTrunk("CA-BAD-TRUNK", "4165550123")
	bad[1] = "4165559999"
	e.drop("ca.csv", caCSV(t, caTrunk("CA-1", "4165550121"), bad, caFax("CA-FAX", "4165550136")))
	l2 := strings.Replace(string(l2CSV(t, 2)), "E2E-0002,Client 2,2201,41,7101", "E2E-0002,Client 2,2201,41,9999", 1)
	e.drop("l2.csv", []byte(l2))

	code, out := e.run(time.Now())

	assert.Equal(t, ExitAttention, code, out)
	assert.Contains(t, out, "ca.csv: could not read Thinktel's telephone offerings")
	rows := statusOf(e.reportRows("ca.result.csv"))
	assert.Equal(t, "submitted", rows["CA-1"]["status"], rows["CA-1"]["message"])
	assert.Equal(t, "invalid", rows["CA-BAD-TRUNK"]["status"], "the SIP trunk list was read: its check is still made")
	assert.Equal(t, "not_submitted", rows["CA-FAX"]["status"])
	assert.Contains(t, rows["CA-FAX"]["message"], "could not read Thinktel's telephone offerings (")
	assert.Contains(t, rows["CA-FAX"]["message"], "not sent, retried")
	l2Rows := statusOf(e.reportRows("l2.result.csv"))
	assert.Equal(t, "invalid", l2Rows["E2E-0002"]["status"], "Prizz's contacts were read: their check is still made (%s)", l2Rows["E2E-0002"]["message"])
	assert.Equal(t, map[string]ledger.State{"ca-port/ref:CA-FAX": ""}, e.ledgerStates("ca-port/ref:CA-FAX"), "neither rejected nor sent")
	assert.True(t, e.inProcessing("ca.csv"))

	// The list readable again: the next pass sends the held row.
	e.sim.SetFaults(sim.Faults{})
	code, out = e.run(time.Now())
	assert.Equal(t, ExitAttention, code, out, "the invalid row still needs attention")
	assert.Contains(t, out, "ca.csv: 3 rows, 1 submitted, 1 already_submitted, 1 invalid")
	assert.False(t, e.inProcessing("ca.csv"))
}

func TestE2EThinktelProductNameAsPlainText(t *testing.T) {
	e := newE2E(t, "")
	e.sim.SetFaults(sim.Faults{ThinktelProductNameText: true})
	e.drop("ca.csv", caCSV(t, caFax("CA-FAX", "4165550136"), caTrunk("CA-1", "4165550121")))

	code, out := e.run(time.Now())

	assert.Equal(t, ExitOK, code, out)
	assert.Contains(t, out, "ca.csv: 2 rows, 2 submitted", fmt.Sprint(e.reportRows("ca.result.csv")))
}
