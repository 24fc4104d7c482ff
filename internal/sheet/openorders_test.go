package sheet

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func TestWriteOpenOrders(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	oo := &OpenOrders{Generated: at, Orders: []OpenOrder{
		{Kind: "ca-port", OrderRef: "CA-1", Key: "ca-port/CA-1", Carrier: "thinktel", Reference: "PI-1", File: "ports.xlsx", Rows: "2",
			SubmittedAt: at.Add(-48 * time.Hour), Stage: "scheduled", Date: "2026-12-01", Status: "CONFIRMED", LastChecked: at},
		{Kind: "l2", OrderRef: "=HYPERLINK(1)", Key: "l2/x", Carrier: "prizz", Reference: "CMD-L2-1", Stage: "on_hold", Message: "waiting"},
		{Kind: "fr-port", OrderRef: "FR-1", Key: "fr-port/FR-1", Carrier: "netwo"},
	}, Changes: []OrderChange{
		{At: at, Kind: "ca-port", OrderRef: "CA-9", Key: "ca-port/CA-9", Reference: "PI-9", From: "scheduled", To: "rejected", Status: "REJECTED", Message: "name mismatch"},
	}}
	require.NoError(t, WriteOpenOrders(dir, oo))

	f, err := excelize.OpenFile(filepath.Join(dir, OpenOrdersXLSX))
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{"Open orders", "Changes", "Summary"}, f.GetSheetList())
	rows, err := f.GetRows("Open orders")
	require.NoError(t, err)
	require.Len(t, rows, 4)
	assert.Equal(t, openOrderHeader, rows[0])
	assert.Equal(t, []string{"ca-port", "CA-1", "ca-port/CA-1", "thinktel", "PI-1", "ports.xlsx", "2", "2026-11-21 10:00",
		"scheduled", "2026-12-01", "CONFIRMED", "", "2026-11-23 10:00"}, rows[1])
	assert.Equal(t, "=HYPERLINK(1)", rows[2][1], "kept as text")
	formula, err := f.GetCellFormula("Open orders", "B3")
	require.NoError(t, err)
	assert.Empty(t, formula, "never a formula")
	assert.Equal(t, "not asked yet", rows[3][8])
	changes, err := f.GetRows("Changes")
	require.NoError(t, err)
	require.Len(t, changes, 2)
	assert.Equal(t, "rejected", changes[1][6])

	styleFill := func(sheet, cell string) string {
		id, err := f.GetCellStyle(sheet, cell)
		require.NoError(t, err)
		s, err := f.GetStyle(id)
		require.NoError(t, err)
		if len(s.Fill.Color) == 0 {
			return ""
		}
		return s.Fill.Color[0]
	}
	assert.Equal(t, fillGreen, styleFill("Open orders", "I2"))
	assert.Equal(t, fillAmber, styleFill("Open orders", "I3"))
	assert.Equal(t, fillRed, styleFill("Changes", "G2"))

	csvData, err := os.ReadFile(filepath.Join(dir, OpenOrdersCSV))
	require.NoError(t, err)
	text := string(csvData)
	assert.True(t, strings.HasPrefix(text, "\xEF\xBB\xBFkind,order_ref,"))
	assert.Contains(t, text, "l2,'=HYPERLINK(1),l2/x,prizz,CMD-L2-1,,,,on_hold,,,waiting,\r\n")
	fi, err := os.Stat(filepath.Join(dir, OpenOrdersCSV))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), fi.Mode().Perm())
}

// The workbook opens on its first sheet, "Open orders".
func TestOpenOrdersOpenOnTheirList(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, WriteOpenOrders(dir, &OpenOrders{Generated: time.Now(), Orders: []OpenOrder{{Kind: "l2", Key: "l2/x"}},
		Changes: []OrderChange{{Kind: "l2", Key: "l2/x", To: "pending"}}}))
	f, err := excelize.OpenFile(filepath.Join(dir, OpenOrdersXLSX))
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, 0, f.GetActiveSheetIndex())
}

// BenchmarkWriteOpenOrders10k writes the workbook of 10,000 open orders
// (every run rewrites it): compare -benchmem runs with benchstat.
func BenchmarkWriteOpenOrders10k(b *testing.B) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	oo := &OpenOrders{Generated: at}
	for i := range 10000 {
		ref := "L2-" + strings.Repeat("0", 5-len(itoa(i))) + itoa(i)
		oo.Orders = append(oo.Orders, OpenOrder{Kind: "l2", OrderRef: ref, Key: "l2/ref:" + ref, Carrier: "prizz", Reference: "CMD-" + ref,
			File: "orders.xlsx", Rows: itoa(i + 2), SubmittedAt: at, Stage: "pending", Status: "new", LastChecked: at})
	}
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteOpenOrders(dir, oo); err != nil {
			b.Fatal(err)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
