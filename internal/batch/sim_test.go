package batch_test

// End-to-end tests of batch.Process against the carrier sandbox (internal/sim)
// served on loopback, with the real carrier clients and a real bbolt ledger.

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/carrier/netwo"
	"github.com/orderdrop/orderdrop/internal/carrier/prizz"
	"github.com/orderdrop/orderdrop/internal/carrier/thinktel"
	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
	"github.com/orderdrop/orderdrop/internal/sim"
)

// simNow is Monday 2026-11-23 12:00 Paris: fr-port dates 2026-12-22 10:00 and
// 2027-01-05 15:00 are French working days inside the porting window.
var simNow = time.Date(2026, 11, 23, 12, 0, 0, 0, mustParis())

func mustParis() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}

// sandbox is one test's carrier sandbox, clients, ledger and folders.
type sandbox struct {
	sim   *sim.Server
	url   string
	dir   string // inbox: input files and attachments
	l     *ledger.Ledger
	opts  batch.Options
	carts atomic.Int32 // POST /cart requests seen by the sandbox

	mu   sync.Mutex
	reqs map[string]int // "METHOD path" → requests seen by the sandbox
}

// requests returns how many "METHOD path" requests the sandbox received.
func (sb *sandbox) requests(key string) int {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return sb.reqs[key]
}

// sandboxConfig tunes the clients of one test.
type sandboxConfig struct {
	timeout     time.Duration // client Timeout; 0 = 2s
	maxAttempts int           // 0 = 5
}

func newSandbox(t *testing.T, cfg sandboxConfig) *sandbox {
	t.Helper()
	if cfg.timeout == 0 {
		cfg.timeout = 2 * time.Second
	}
	if cfg.maxAttempts == 0 {
		cfg.maxAttempts = 5
	}
	sb := &sandbox{sim: sim.New(sim.Options{}), dir: t.TempDir(), reqs: map[string]int{}}
	// Count carts on the way in: the sandbox does not list them.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == sim.NetwoPrefix+"/cart" {
			sb.carts.Add(1)
		}
		sb.mu.Lock()
		sb.reqs[r.Method+" "+r.URL.Path]++
		sb.mu.Unlock()
		sb.sim.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)    // runs last: blocks until every handler returned
	t.Cleanup(sb.sim.Close) // runs first: releases hung handlers
	sb.url = srv.URL

	l, err := ledger.Open(filepath.Join(t.TempDir(), "ledger.db"), ledger.Options{NoSync: true})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	sb.l = l

	creds := sim.DefaultCredentials()
	httpOpts := func(prefix string) carrier.HTTPOptions {
		return carrier.HTTPOptions{BaseURL: srv.URL + prefix, Timeout: cfg.timeout, ConnectTimeout: time.Second,
			MaxAttempts: cfg.maxAttempts, MaxRetryTime: 10 * time.Second, BaseBackoff: 2 * time.Millisecond}
	}
	nc, err := netwo.New(netwo.Config{HTTP: httpOpts(sim.NetwoPrefix), APIKey: creds.NetwoAPIKey, ActorSlug: creds.NetwoActorSlug})
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	pc, err := prizz.New(prizz.Config{HTTP: httpOpts(sim.PrizzPrefix), Email: creds.PrizzEmail, Password: creds.PrizzPassword})
	require.NoError(t, err)
	t.Cleanup(pc.Close)
	tc, err := thinktel.New(thinktel.Config{HTTP: httpOpts(sim.ThinktelPrefix), Username: creds.ThinktelUser, Password: creds.ThinktelPassword})
	require.NoError(t, err)
	t.Cleanup(tc.Close)

	sb.opts = batch.Options{
		Ledger:    l,
		Carriers:  map[order.Kind]batch.Submitter{order.FrPort: nc, order.L2: pc, order.CaPort: tc},
		ReportDir: filepath.Join(sb.dir, "reports"),
		Order:     order.Options{Now: simNow, AttachmentDir: sb.dir},
	}
	return sb
}

func (sb *sandbox) process(t *testing.T, path string) *batch.Summary {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := batch.Process(ctx, path, sb.opts)
	require.NoError(t, err)
	return s
}

// ordersByRef maps the sandbox's created orders by their carrier reference.
func (sb *sandbox) ordersByRef() map[string]sim.Order {
	out := map[string]sim.Order{}
	for _, o := range sb.sim.Orders() {
		out[o.Reference] = o
	}
	return out
}

// ---- input rows -------------------------------------------------------------

var (
	frSimHeader = []string{"order_ref", "idn", "numbers", "wanted_date", "routing", "prefix", "customer_name", "siret",
		"street", "zip_code", "city", "contact_name", "contact_email", "contact_phone"}
	caSimHeader = []string{"order_ref", "pilot_number", "offering_id", "numbers", "label", "customer_name", "account_number",
		"street_number", "street_name", "unit", "city", "province", "postal_code", "country", "email", "current_provider_id",
		"current_reseller", "requested_port_date", "requested_port_time", "loa_file", "parent_subscription_id",
		"business_group_id", "business_group_subscription_id", "plan_id", "account", "locale", "forwarding_number",
		"pcf_instructions", "fax_email"}
	l2SimHeader = []string{"order_ref", "client_name", "offer_id", "option_ids", "gtr_contact_ho", "gtr_contact_hno",
		"street_number", "street_type", "street_name", "zip_code", "city", "site_contact_name", "site_contact_phone",
		"site_contact_email", "site_contact_hours", "follow_contact_ids", "port_ref", "site_vlan_mode", "port_vlan_mode",
		"delivery_interface", "site_vlan", "port_vlan"}
)

type row map[string]string

// with returns a copy of r with the given cells replaced.
func (r row) with(kv ...string) row {
	out := row{}
	for k, v := range r {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func frSimRow(ref string) row {
	return row{"order_ref": ref, "idn": "0261910210", "numbers": "0261910210 0261910211", "wanted_date": "2026-12-22 10:00",
		"routing": "prefix", "prefix": "010203", "customer_name": "Verrerie d'Armor", "siret": "81234001700027",
		"street": "14 quai de la Douane", "zip_code": "29200", "city": "Brest", "contact_name": "Yvonne Kerjean",
		"contact_email": "y.kerjean@verrerie.example", "contact_phone": "0673480041"}
}

func caSimRow(ref string) row {
	return row{"order_ref": ref, "pilot_number": "4165550100", "numbers": "4165550120", "customer_name": "Harbourfront Physiotherapy Inc.",
		"account_number": "BC-7730-4418", "street_number": "390", "street_name": "Queens Quay West", "unit": "Suite 210",
		"city": "Toronto", "province": "ON", "postal_code": "M5V 3A6", "country": "CA", "email": "admin@harbourfront.example",
		"current_provider_id": "311"}
}

// caProduct is a new-service ca-port row (offering_id instead of pilot_number).
func caProduct(ref, offering, numbers string, kv ...string) row {
	return caSimRow(ref).with(append([]string{"pilot_number", "", "offering_id", offering, "numbers", numbers}, kv...)...)
}

func l2SimRow(ref string) row {
	return row{"order_ref": ref, "client_name": "Cave de Pessac", "offer_id": "2201", "option_ids": "41,42", "gtr_contact_ho": "7101",
		"gtr_contact_hno": "7102", "street_number": "27", "street_type": "avenue", "street_name": "Jean Jaurès", "zip_code": "33600",
		"city": "Pessac", "site_contact_name": "Mathilde Roques", "site_contact_phone": "0536490731",
		"site_contact_email": "m.roques@cave-pessac.example", "site_contact_hours": "9h-18h", "follow_contact_ids": "7101;7103",
		"port_ref": "PZ-BDX-ATL1-03", "site_vlan_mode": "Flux non tagué", "port_vlan_mode": "Flux non tagué",
		"delivery_interface": "1000 Base LX"}
}

func cellsOf(header []string, r row) []string {
	out := make([]string, len(header))
	for i, h := range header {
		out[i] = r[h]
	}
	return out
}

func headerOf(k order.Kind) []string {
	switch k {
	case order.FrPort:
		return frSimHeader
	case order.CaPort:
		return caSimHeader
	}
	return l2SimHeader
}

// writeKindCSV writes a one-kind CSV input.
func writeKindCSV(t *testing.T, dir, name string, k order.Kind, rows ...row) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	require.NoError(t, err)
	w := csv.NewWriter(f)
	h := headerOf(k)
	require.NoError(t, w.Write(h))
	for _, r := range rows {
		require.NoError(t, w.Write(cellsOf(h, r)))
	}
	w.Flush()
	require.NoError(t, w.Error())
	require.NoError(t, f.Close())
	return path
}

// writeWorkbook writes an XLSX input, one sheet per kind (named after it),
// every cell a text cell.
func writeWorkbook(t *testing.T, dir, name string, sheets map[order.Kind][]row) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for _, k := range order.Kinds {
		rows, ok := sheets[k]
		if !ok {
			continue
		}
		sh := string(k)
		if first {
			require.NoError(t, f.SetSheetName(f.GetSheetName(0), sh))
			first = false
		} else {
			_, err := f.NewSheet(sh)
			require.NoError(t, err)
		}
		h := headerOf(k)
		put := func(n int, cells []string) {
			vals := make([]any, len(cells))
			for i, c := range cells {
				vals[i] = c
			}
			cell, err := excelize.CoordinatesToCellName(1, n)
			require.NoError(t, err)
			require.NoError(t, f.SetSheetRow(sh, cell, &vals))
		}
		put(1, h)
		for i, r := range rows {
			put(i+2, cellsOf(h, r))
		}
	}
	path := filepath.Join(dir, name)
	require.NoError(t, f.SaveAs(path))
	return path
}

// outcome is what a report says of one row.
type outcome struct{ status, reference, message string }

// readReport reads a report back (CSV or XLSX): the outcome by order_ref,
// over every sheet that has a status column.
func readReport(t *testing.T, path string) map[string]outcome {
	t.Helper()
	wb, err := sheet.Open(path, sheet.Options{})
	require.NoError(t, err)
	out := map[string]outcome{}
	for _, tab := range wb.Sheets {
		col := map[string]int{}
		for i, h := range tab.Header {
			col[h] = i
		}
		if _, ok := col["status"]; !ok {
			continue // the Summary sheet
		}
		for _, r := range tab.Records {
			ref := r.Cells[col["order_ref"]]
			_, dup := out[ref]
			require.False(t, dup, "order_ref %q appears twice in the report", ref)
			out[ref] = outcome{r.Cells[col["status"]], r.Cells[col["carrier_reference"]], r.Cells[col["message"]]}
		}
	}
	return out
}

// ---- 1, 2: every kind and every Thinktel type, once ------------------------

// expectation is where one order of the full workbook must land.
type expectation struct {
	kind    order.Kind
	carrier string
	path    string   // request path at the sandbox
	body    []string // substrings of the request body the sandbox received
}

func fullWorkbook(t *testing.T, dir string) (string, map[string]expectation) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "loa-harbourfront.pdf"), []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o600))
	fr := []row{
		frSimRow("FR-PREFIX"),
		frSimRow("FR-TRUNK").with("idn", "0353012100", "numbers", "0353012100, 0353012101", "wanted_date", "2027-01-05 15:00",
			"routing", "sip_trunk", "prefix", "040506", "customer_name", "Brasserie du Beffroi", "siret", "39066512800034",
			"street", "30 rue de la Clef", "zip_code", "59800", "city", "Lille", "contact_phone", "0353012199"),
	}
	ca := []row{
		caSimRow("CA-DID").with("numbers", "4165550120-4165550122", "label", "Front desk", "loa_file", "loa-harbourfront.pdf",
			"requested_port_date", "2026-12-15", "requested_port_time", "09:30"),
		caSimRow("CA-TF-DID").with("pilot_number", "5145550100", "numbers", "8665550170", "current_provider_id", "", "current_reseller", "Distributel"),
		caProduct("CA-T1", "TT-GENERAL", "4165550130"),
		caProduct("CA-T2", "TT-GENERAL-CHILD", "4165550131", "parent_subscription_id", "SUB-4165550100"),
		caProduct("CA-T3", "TT-RES-LINE", "4165550132", "plan_id", "TT-RES-LINE", "account", "100200", "locale", "FrenchCA"),
		caProduct("CA-T4", "TT-BUS-LINE", "4165550133", "plan_id", "TT-BUS-LINE", "account", "100200", "business_group_id", "BG-77"),
		caProduct("CA-T5", "TT-PCF", "4165550134", "plan_id", "TT-PCF", "account", "100200", "forwarding_number", "4165550199",
			"pcf_instructions", "forward all calls"),
		caProduct("CA-T5-TF", "TT-PCF", "8775550180", "plan_id", "TT-PCF", "account", "100200", "forwarding_number", "4165550199",
			"pcf_instructions", "forward all calls"),
		caProduct("CA-T6", "TT-BUS-PCF", "4165550135", "business_group_subscription_id", "BGS-4165", "forwarding_number", "4165550199"),
		caProduct("CA-T7", "TT-VFAX", "4165550136", "fax_email", "fax@harbourfront.example"),
	}
	l2 := []row{
		l2SimRow("L2-UNTAGGED"),
		l2SimRow("L2-QINQ").with("street_number", "4", "street_name", "Victor Hugo", "site_vlan_mode", "Transparence aux CVLAN (QinQ)",
			"port_vlan_mode", "Transparence aux CVLAN (QinQ)"),
		l2SimRow("L2-TAGGED").with("street_number", "8", "street_name", "Pasteur", "site_vlan_mode", "flux tague c-vlan", "site_vlan", "100",
			"port_vlan_mode", "Flux tagué C-VLAN", "port_vlan", "200"),
	}
	tt := func(p string) string { return sim.ThinktelPrefix + p }
	want := map[string]expectation{
		"FR-PREFIX": {order.FrPort, sim.CarrierNetwo, sim.NetwoPrefix + "/orders",
			[]string{`"routing":"routing_on_prefix"`, `"prefix_service_id":"3f0c8a52-6d1e-4b7a-9c21-5e8f0a010203"`}},
		"FR-TRUNK": {order.FrPort, sim.CarrierNetwo, sim.NetwoPrefix + "/orders",
			[]string{`"routing":"routing_on_sip_trunk"`, `"prefix_service_id":"7a4e1b93-2c5d-4f80-8e6b-1d2c3a040506"`}},
		"CA-DID": {order.CaPort, sim.CarrierThinktel, tt("/v2/NumberPorts/Inbound/DIDs"),
			[]string{`"PilotNumber":4165550100`, `"FileName":"loa-harbourfront.pdf"`, `"ContentType":"application/pdf"`,
				`"RequestedPortDate":"2026-12-15"`, `"RequestedPortTime":"09:30"`, `"Label":"Front desk"`}},
		"CA-TF-DID":   {order.CaPort, sim.CarrierThinktel, tt("/v2/NumberPorts/Inbound/TollFree/DIDs"), []string{`"CurrentReseller":"Distributel"`}},
		"CA-T1":       {order.CaPort, sim.CarrierThinktel, tt("/NumberPorts/Inbound/GeneralProducts"), []string{`"OfferingID":"TT-GENERAL"`}},
		"CA-T2":       {order.CaPort, sim.CarrierThinktel, tt("/NumberPorts/Inbound/GeneralChildProducts"), []string{`"ParentSubscriptionID":"SUB-4165550100"`}},
		"CA-T3":       {order.CaPort, sim.CarrierThinktel, tt("/v2/NumberPorts/Inbound/ResidentialLines"), []string{`"PlanID":"TT-RES-LINE"`, `"Locale":5`}},
		"CA-T4":       {order.CaPort, sim.CarrierThinktel, tt("/v2/NumberPorts/Inbound/BusinessLines"), []string{`"BusinessGroupID":"BG-77"`}},
		"CA-T5":       {order.CaPort, sim.CarrierThinktel, tt("/v2/NumberPorts/Inbound/PermanentCallForwards"), []string{`"CallForwardingNumber":4165550199`}},
		"CA-T5-TF":    {order.CaPort, sim.CarrierThinktel, tt("/v2/NumberPorts/Inbound/TollFree/PermanentCallForwards"), []string{`"Number":8775550180`}},
		"CA-T6":       {order.CaPort, sim.CarrierThinktel, tt("/NumberPorts/Inbound/BusinessPermanentCallForwards"), []string{`"BusinessGroupSubscriptionID":"BGS-4165"`}},
		"CA-T7":       {order.CaPort, sim.CarrierThinktel, tt("/NumberPorts/Inbound/VirtualFaxes"), []string{`"FaxEmail":"fax@harbourfront.example"`}},
		"L2-UNTAGGED": {order.L2, sim.CarrierPrizz, sim.PrizzPrefix + "/sicom/commande/l2", []string{`"siteUtilisateurFinal":"Flux non tagué"`}},
		"L2-QINQ": {order.L2, sim.CarrierPrizz, sim.PrizzPrefix + "/sicom/commande/l2",
			[]string{`"porteLivraison":"Transparence aux CVLAN (QinQ)"`}},
		"L2-TAGGED": {order.L2, sim.CarrierPrizz, sim.PrizzPrefix + "/sicom/commande/l2",
			[]string{`"siteUtilisateurFinal":"Flux tagué C-VLAN"`, `"nvlanSite":100`, `"nvlanPorte":200`}},
	}
	path := writeWorkbook(t, dir, "all-kinds.xlsx", map[order.Kind][]row{order.FrPort: fr, order.CaPort: ca, order.L2: l2})
	return path, want
}

func TestSandboxAcceptsEveryKindAndThinktelType(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	in, want := fullWorkbook(t, sb.dir)

	s := sb.process(t, in)
	rows := readReport(t, s.Report)
	require.Len(t, rows, len(want), "got %d report rows, want one per input row", len(rows))
	created := sb.ordersByRef()
	for ref, w := range want {
		got := rows[ref]
		if !assert.Equal(t, batch.Submitted, got.status, "%s: got status %q (%s), want submitted", ref, got.status, got.message) {
			continue
		}
		require.NotEmpty(t, got.reference, "%s: a submitted row carries the carrier reference", ref)
		o, ok := created[got.reference]
		if !assert.True(t, ok, "%s: reference %s is not an order the sandbox created", ref, got.reference) {
			continue
		}
		assert.Equal(t, w.carrier, o.Carrier, "%s: got carrier %s, want %s", ref, o.Carrier, w.carrier)
		assert.Equal(t, w.path, o.Path, "%s: got path %s, want %s", ref, o.Path, w.path)
		for _, sub := range w.body {
			assert.Contains(t, string(o.Body), sub, "%s: request body", ref)
		}
	}
	assert.Equal(t, map[string]int{batch.Submitted: len(want)}, s.Counts)
	assert.Len(t, sb.sim.Orders(), len(want), "got %d orders at the sandbox, want exactly one per order", len(sb.sim.Orders()))
	assert.EqualValues(t, 2, sb.carts.Load(), "got %d Netwo carts, want one per fr-port order", sb.carts.Load())
}

func TestSandboxRedropSendsNothing(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	in, want := fullWorkbook(t, sb.dir)

	first := readReport(t, sb.process(t, in).Report)
	n := len(sb.sim.Orders())
	require.Equal(t, len(want), n, "first pass: got %d orders, want %d", n, len(want))

	s := sb.process(t, in)
	assert.Equal(t, map[string]int{batch.AlreadySubmitted: len(want)}, s.Counts)
	assert.Len(t, sb.sim.Orders(), n, "the same file dropped again must send nothing")
	assert.EqualValues(t, 2, sb.carts.Load(), "got %d Netwo carts, want no new cart on a re-drop", sb.carts.Load())
	for ref, got := range readReport(t, s.Report) {
		assert.Equal(t, batch.AlreadySubmitted, got.status, "%s: got %q, want already_submitted", ref, got.status)
		assert.Equal(t, first[ref].reference, got.reference, "%s: the original carrier reference is shown", ref)
	}
}

// ---- 3: a corrected file sends only the corrected row -----------------------

func TestSandboxCorrectedFileSendsOnlyTheCorrectedRow(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	good := l2SimRow("L2-GOOD")
	bad := l2SimRow("L2-FIX").with("street_number", "9", "site_vlan", "4095") // untagged side, and out of range
	s1 := sb.process(t, writeKindCSV(t, sb.dir, "l2.csv", order.L2, good, bad))
	assert.Equal(t, map[string]int{batch.Submitted: 1, batch.Invalid: 1}, s1.Counts)
	r1 := readReport(t, s1.Report)
	assert.Contains(t, r1["L2-FIX"].message, "site_vlan")
	require.Len(t, sb.sim.Orders(), 1, "only the valid row is sent")

	fixed := bad.with("site_vlan", "")
	s2 := sb.process(t, writeKindCSV(t, sb.dir, "l2 (corrected).csv", order.L2, good, fixed))
	assert.Equal(t, map[string]int{batch.AlreadySubmitted: 1, batch.Submitted: 1}, s2.Counts)
	r2 := readReport(t, s2.Report)
	assert.Equal(t, batch.AlreadySubmitted, r2["L2-GOOD"].status)
	assert.Equal(t, r1["L2-GOOD"].reference, r2["L2-GOOD"].reference)
	assert.Equal(t, batch.Submitted, r2["L2-FIX"].status, "got %q (%s)", r2["L2-FIX"].status, r2["L2-FIX"].message)
	orders := sb.sim.Orders()
	require.Len(t, orders, 2, "got %d orders, want the first plus the corrected row", len(orders))
	assert.Equal(t, r2["L2-FIX"].reference, orders[1].Reference)
	assert.Contains(t, string(orders[1].Body), "orderdrop ref L2-FIX")
}

// ---- 4: order_ref reused with new content -----------------------------------

func TestSandboxConflictOnReusedOrderRef(t *testing.T) {
	tests := []struct {
		name      string
		kind      order.Kind
		orig      row
		changed   row
		wantField string
	}{
		{"fr-port contact e-mail", order.FrPort, frSimRow("C-FR"), frSimRow("C-FR").with("contact_email", "other@verrerie.example"), "contact_email"},
		{"fr-port wanted date", order.FrPort, frSimRow("C-FR2"), frSimRow("C-FR2").with("wanted_date", "2026-12-23 10:00"), "wanted_date"},
		{"ca-port numbers", order.CaPort, caSimRow("C-CA"), caSimRow("C-CA").with("numbers", "4165550121"), "numbers"},
		{"ca-port fax e-mail", order.CaPort, caProduct("C-CA7", "TT-VFAX", "4165550136", "fax_email", "a@fax.example"),
			caProduct("C-CA7", "TT-VFAX", "4165550136", "fax_email", "b@fax.example"), "fax_email"},
		{"l2 client name", order.L2, l2SimRow("C-L2"), l2SimRow("C-L2").with("client_name", "Cave de Bordeaux"), "client_name"},
		{"l2 port vlan", order.L2, l2SimRow("C-L2B"), l2SimRow("C-L2B").with("port_vlan_mode", "Flux tagué C-VLAN", "port_vlan", "300"), "port_vlan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sb := newSandbox(t, sandboxConfig{})
			s1 := sb.process(t, writeKindCSV(t, sb.dir, "a.csv", tc.kind, tc.orig))
			require.Equal(t, map[string]int{batch.Submitted: 1}, s1.Counts, "first file: %v", readReport(t, s1.Report))
			ref := readReport(t, s1.Report)[tc.orig["order_ref"]].reference

			s2 := sb.process(t, writeKindCSV(t, sb.dir, "b.csv", tc.kind, tc.changed))
			assert.Equal(t, map[string]int{batch.Conflict: 1}, s2.Counts)
			got := readReport(t, s2.Report)[tc.orig["order_ref"]]
			assert.Contains(t, got.message, tc.wantField, "the conflict names the differing field")
			assert.Contains(t, got.message, ref, "the conflict names the earlier carrier reference")
			assert.Len(t, sb.sim.Orders(), 1, "got %d orders, want nothing sent for a conflict", len(sb.sim.Orders()))
		})
	}
}

// ---- 5: 429/503 storms are retried ------------------------------------------

// oneOrder writes a one-order CSV of kind k.
func oneOrder(t *testing.T, sb *sandbox, k order.Kind, ref string) string {
	t.Helper()
	r := map[order.Kind]row{order.FrPort: frSimRow(ref), order.CaPort: caSimRow(ref), order.L2: l2SimRow(ref)}[k]
	return writeKindCSV(t, sb.dir, string(k)+".csv", k, r)
}

func orderKey(k order.Kind, ref string) string { return string(k) + "/ref:" + ref }

func TestSandboxRetriesStormsThenSubmits(t *testing.T) {
	tests := []struct {
		name         string
		kind         order.Kind
		faults       sim.Faults
		wantAttempts int
		minElapsed   time.Duration
	}{
		{"l2 two 503", order.L2, sim.Faults{Next503: 2}, 3, 0},
		{"ca-port two 503", order.CaPort, sim.Faults{Next503: 2}, 3, 0},
		{"fr-port two 503 on POST /orders", order.FrPort, sim.Faults{Next503: 2}, 3, 0},
		{"l2 one 429 with Retry-After", order.L2, sim.Faults{Next429: 1, RetryAfter: time.Second}, 2, time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sb := newSandbox(t, sandboxConfig{maxAttempts: 5})
			sb.sim.SetFaults(tc.faults)
			start := time.Now()
			s := sb.process(t, oneOrder(t, sb, tc.kind, "STORM-1"))
			elapsed := time.Since(start)
			got := readReport(t, s.Report)["STORM-1"]
			assert.Equal(t, batch.Submitted, got.status, "got %q (%s), want submitted", got.status, got.message)
			orders := sb.sim.Orders()
			require.Len(t, orders, 1, "got %d orders, want exactly one", len(orders))
			assert.Equal(t, got.reference, orders[0].Reference)
			assert.Zero(t, sb.sim.Faults().Next503+sb.sim.Faults().Next429, "every injected fault was consumed")
			lo, err := sb.l.Get(orderKey(tc.kind, "STORM-1"))
			require.NoError(t, err)
			last := lo.History[len(lo.History)-1]
			assert.Equal(t, ledger.Submitted, last.State)
			assert.Equal(t, tc.wantAttempts, last.Attempts, "got %d attempts recorded, want %d", last.Attempts, tc.wantAttempts)
			assert.GreaterOrEqual(t, elapsed, tc.minElapsed, "Retry-After must be honoured")
		})
	}
}

// ---- 6, 7, 8: faults after the request was sent are in_doubt, never resent --

func TestSandboxAfterSendFaultsAreInDoubtAndNeverResent(t *testing.T) {
	faults := []struct {
		name        string
		faults      sim.Faults
		timeout     time.Duration
		wantCreated int    // orders the sandbox holds afterwards
		wantMsg     string // in the first report's message
	}{
		{"500 after create", sim.Faults{Next500AfterCreate: 1}, 0, 1, "HTTP 500"},
		// The sandbox answers 2s after creating; the client gives up after 300ms.
		{"hang after create", sim.Faults{NextHangAfterCreate: 1, Hang: 2 * time.Second}, 300 * time.Millisecond, 1, "timeout"},
		// The sandbox reads the request and drops the connection: it created
		// nothing, but the request was written, so orderdrop can't know (DESIGN §3).
		{"drop after read", sim.Faults{NextDropAfterRead: 1}, 0, 0, "request sent"},
	}
	for _, f := range faults {
		for _, k := range order.Kinds {
			t.Run(f.name+"/"+string(k), func(t *testing.T) {
				sb := newSandbox(t, sandboxConfig{timeout: f.timeout})
				sb.sim.SetFaults(f.faults)
				in := oneOrder(t, sb, k, "DOUBT-1")

				s1 := sb.process(t, in)
				got := readReport(t, s1.Report)["DOUBT-1"]
				assert.Equal(t, batch.InDoubt, got.status, "got %q (%s), want in_doubt", got.status, got.message)
				assert.Contains(t, got.message, f.wantMsg)
				assert.Contains(t, got.message, "orderdrop resolve")
				assert.Len(t, sb.sim.Orders(), f.wantCreated)
				lo, err := sb.l.Get(orderKey(k, "DOUBT-1"))
				require.NoError(t, err)
				assert.Equal(t, ledger.InDoubt, lo.State)

				// The same file again: nothing is resent.
				s2 := sb.process(t, in)
				got2 := readReport(t, s2.Report)["DOUBT-1"]
				assert.Equal(t, batch.InDoubt, got2.status, "second pass: got %q, want in_doubt", got2.status)
				assert.Contains(t, got2.message, "orderdrop resolve")
				assert.Len(t, sb.sim.Orders(), f.wantCreated, "an in_doubt order must never be resent")
				if k == order.FrPort {
					assert.EqualValues(t, 1, sb.carts.Load(), "no second cart either")
				}
			})
		}
	}
}

// ---- 9: Netwo resumes from the saved cart -----------------------------------

func TestSandboxNetwoResumesFromCheckpoint(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{maxAttempts: 2})
	// POST /cart is not an order-creating request for the sandbox: only
	// POST /orders gets the 503s, after the cart is made and checkpointed.
	sb.sim.SetFaults(sim.Faults{Next503: 2})
	in := oneOrder(t, sb, order.FrPort, "FR-RESUME")
	key := orderKey(order.FrPort, "FR-RESUME")

	s1 := sb.process(t, in)
	got := readReport(t, s1.Report)["FR-RESUME"]
	assert.Equal(t, batch.NotSubmitted, got.status, "got %q (%s), want not_submitted after the 503s", got.status, got.message)
	assert.Contains(t, got.message, "503")
	assert.Empty(t, sb.sim.Orders())
	assert.EqualValues(t, 1, sb.carts.Load())
	lo, err := sb.l.Get(key)
	require.NoError(t, err)
	assert.Equal(t, ledger.Retryable, lo.State)
	cartID := lo.Checkpoint[netwo.CheckpointCartID]
	require.NotEmpty(t, cartID, "the cart is saved in the ledger checkpoint: %v", lo.Checkpoint)
	assert.Empty(t, lo.Checkpoint[netwo.CheckpointCartLineID], "the line is read again from the cart, not saved")

	s2 := sb.process(t, in)
	got = readReport(t, s2.Report)["FR-RESUME"]
	assert.Equal(t, batch.Submitted, got.status, "got %q (%s), want submitted", got.status, got.message)
	orders := sb.sim.Orders()
	require.Len(t, orders, 1, "got %d orders, want exactly one", len(orders))
	var body struct {
		CartID string `json:"cart_id"`
		Lines  []struct {
			CartLineID string `json:"cart_line_id"`
		} `json:"lines"`
	}
	require.NoError(t, json.Unmarshal(orders[0].Body, &body))
	assert.Equal(t, cartID, body.CartID, "got cart %s, want the checkpointed cart %s", body.CartID, cartID)
	require.Len(t, body.Lines, 1)
	assert.NotEmpty(t, body.Lines[0].CartLineID, "the saved cart's line, read again")
	assert.Contains(t, got.message, body.Lines[0].CartLineID, "the message names the line")
	assert.EqualValues(t, 1, sb.carts.Load(), "got %d carts, want the saved one reused", sb.carts.Load())
	assert.True(t, strings.Contains(got.message, cartID), "the message names the cart: %s", got.message)
}

// A cart holds the port itself (idn, numbers, wanted_date). When the row is
// corrected after a Retryable failure, the ledger drops the checkpoint
// (BeginSubmits: "a kept Checkpoint survives only when the fingerprint is
// unchanged"), so the corrected order must go through a NEW cart: ordering
// the saved cart would port the old numbers on the old date.
func TestSandboxNetwoCorrectedRowDoesNotReuseStaleCart(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{maxAttempts: 2})
	sb.sim.SetFaults(sim.Faults{Next503: 2})
	key := orderKey(order.FrPort, "FR-MOVED")
	s1 := sb.process(t, writeKindCSV(t, sb.dir, "fr.csv", order.FrPort, frSimRow("FR-MOVED")))
	require.Equal(t, map[string]int{batch.NotSubmitted: 1}, s1.Counts)
	lo, err := sb.l.Get(key)
	require.NoError(t, err)
	oldCart := lo.Checkpoint[netwo.CheckpointCartID]
	require.NotEmpty(t, oldCart)

	// The customer moves the port date: same order_ref, new content.
	moved := frSimRow("FR-MOVED").with("wanted_date", "2026-12-23 10:00")
	s2 := sb.process(t, writeKindCSV(t, sb.dir, "fr (corrected).csv", order.FrPort, moved))
	got := readReport(t, s2.Report)["FR-MOVED"]
	require.Equal(t, batch.Submitted, got.status, "got %q (%s), want submitted", got.status, got.message)
	orders := sb.sim.Orders()
	require.Len(t, orders, 1)
	var body struct {
		CartID string `json:"cart_id"`
	}
	require.NoError(t, json.Unmarshal(orders[0].Body, &body))
	assert.NotEqual(t, oldCart, body.CartID,
		"got the order placed on the stale cart %s (wanted_date 2026-12-22), want a new cart for the corrected row (wanted_date 2026-12-23)", oldCart)
	assert.EqualValues(t, 2, sb.carts.Load(), "got %d carts, want a second cart for the changed content", sb.carts.Load())
}

// A type-5 (PermanentCallForward) row without pcf_instructions: Thinktel
// requires PCFProvisioningInstructions (swagger). With the offerings known
// (orderdrop run and validate --online fetch them) the row is invalid,
// naming the column; without them the client refuses it before sending, so
// nothing reaches the carrier either way.
func TestSandboxPermanentCallForwardWithoutInstructions(t *testing.T) {
	tests := []struct {
		name, numbers string
		reference     bool
		want          string
	}{
		{"regular, offerings known", "4165550134", true, batch.Invalid},
		{"toll-free, offerings known", "8775550180", true, batch.Invalid},
		{"regular, offline", "4165550134", false, batch.Rejected},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sb := newSandbox(t, sandboxConfig{})
			if tc.reference {
				sb.opts.Order.Reference = &order.Reference{Carrier: map[order.Kind]string{order.CaPort: "Thinktel"}, CaOfferings: map[string]int{"TT-PCF": 5}}
			}
			r := caProduct("PCF-1", "TT-PCF", tc.numbers, "plan_id", "TT-PCF", "account", "100200", "forwarding_number", "4165550199")
			s := sb.process(t, writeKindCSV(t, sb.dir, "pcf.csv", order.CaPort, r))
			got := readReport(t, s.Report)["PCF-1"]
			assert.Equal(t, tc.want, got.status, "got %q (%s)", got.status, got.message)
			assert.Contains(t, got.message, "pcf_instructions")
			assert.Empty(t, sb.sim.Orders(), "nothing may reach the carrier")
		})
	}
}
