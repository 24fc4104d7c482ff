package main

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// wantInvalid lists the sample rows meant to be invalid, by order_ref, with
// the columns their message must name. Every other sample row must be
// valid: users copy them.
var wantInvalid = map[string][]string{
	"FR-26-105": {"wanted_date"},                              // a Saturday
	"FR-26-106": {"siret"},                                    // wrong check digit
	"FR-26-107": {"routing", "contact_email"},                 // two problems at once
	"FR-26-109": {"rio"},                                      // the RIO's key is another number's
	"FR-26-110": {"zip_code/city"},                            // 75002 is Paris, not Lyon
	"CSV-26-03": {"numbers"},                                  // an 8-digit number
	"ALL-FR-02": {"wanted_date"},                              // too soon
	"CA-26-205": {"postal_code"},                              // Dutch postal code
	"CA-26-206": {"loa_file"},                                 // a path, not a bare name
	"CA-26-207": {"postal_code/province"},                     // an Ontario postal code with QC
	"CA-26-208": {"requested_port_date"},                      // a statutory holiday
	"L2-26-304": {"site_vlan", "port_vlan"},                   // VLAN on an untagged side, 4095
	"L2-26-305": {"option_ids", "port_ref", "site_vlan_mode"}, // three problems
}

// sampleRows validates every row of the sample files in dir and returns,
// per order_ref, its rows' problems ("" when valid; notes on repaired
// values are not problems).
func sampleRows(t *testing.T, dir string, opts order.Options) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	opts.AttachmentDir = dir
	got := map[string]string{}
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); ext != ".xlsx" && ext != ".csv" {
			continue
		}
		wb, err := sheet.Open(filepath.Join(dir, e.Name()), sheet.Options{})
		require.NoError(t, err, e.Name())
		for _, tbl := range wb.Sheets {
			kind, err := order.DetectKind(tbl.Name, tbl.Header)
			require.NoError(t, err, "%s sheet %q", e.Name(), tbl.Name)
			res := order.Parse(tbl, kind, opts)
			refCol := slices.Index(res.Columns, "order_ref")
			require.GreaterOrEqual(t, refCol, 0, "%s sheet %q has no order_ref column", e.Name(), tbl.Name)
			for i, r := range res.Rows {
				ref := tbl.Records[i].Cells[refCol]
				msg := got[ref] // a group's rows add up
				for _, p := range r.Problems {
					msg = strings.TrimPrefix(msg+"; "+p.String(), "; ")
				}
				got[ref] = msg
			}
		}
	}
	return got
}

func checkSamples(t *testing.T, got map[string]string, want map[string][]string) {
	t.Helper()
	require.NotEmpty(t, got)
	for _, ref := range slices.Sorted(maps.Keys(got)) {
		msg, cols := got[ref], want[ref]
		if len(cols) == 0 {
			assert.Empty(t, msg, "sample row %s: got problems, want a valid row", ref)
			continue
		}
		for _, c := range cols {
			assert.Contains(t, msg, c+":", "sample row %s: got %q, want it to name %s", ref, msg, c)
		}
	}
	for ref := range want {
		assert.Contains(t, got, ref, "sample row %s is gone: update wantInvalid", ref)
	}
}

// TestGeneratedSamplesValidate: the generator's rows, dated from a fixed
// day, are valid except the ones meant to show a problem.
func TestGeneratedSamplesValidate(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, paris)
	dir := t.TempDir()
	require.NoError(t, write(dir, now))
	checkSamples(t, sampleRows(t, dir, order.Options{Now: now}), wantInvalid)
}

// TestSamplesShowFrenchChecks: the demo carries a valid fixed-line RIO
// (FR-26-108), a row whose numbers are in no ARCEP block (a warning: the
// row is sent) besides the invalid RIO and address of wantInvalid.
func TestSamplesShowFrenchChecks(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, paris)
	dir := t.TempDir()
	require.NoError(t, write(dir, now))
	wb, err := sheet.Open(filepath.Join(dir, "fr-port-orders.xlsx"), sheet.Options{})
	require.NoError(t, err)
	res := order.Parse(wb.Sheets[0], order.FrPort, order.Options{Now: now})
	var rio, warned bool
	for _, r := range res.Rows {
		if r.Order != nil && r.Order.FrPort.RIO == "F1C12345+YB7" {
			rio = true
		}
		if r.Order != nil && strings.Contains(strings.Join(r.WarningTexts(), "; "), "is in no block ARCEP had allocated") {
			warned = true
		}
	}
	assert.True(t, rio, "got no valid row with the fixed-line RIO F1C12345+YB7, want FR-26-108")
	assert.True(t, warned, "got no row sent with a number-block warning, want one")
}

// TestCommittedSamplesValidate: the same for samples/ as committed. Their
// fr-port dates were relative to the day they were generated, so the date
// window is not checked here (a Saturday or a too-soon date then passes).
func TestCommittedSamplesValidate(t *testing.T) {
	want := map[string][]string{}
	for ref, cols := range wantInvalid {
		if cols = slices.DeleteFunc(slices.Clone(cols), func(c string) bool { return c == "wanted_date" }); len(cols) > 0 {
			want[ref] = cols
		}
	}
	got := sampleRows(t, filepath.Join("..", "..", "samples"), order.Options{FrWindow: order.FrWindow{Disabled: true}})
	checkSamples(t, got, want)
}
