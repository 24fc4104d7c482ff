package sheet

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

const benchRows = 100_000

// benchHeader is a typical fr-port header.
var benchHeader = []string{"order_ref", "idn", "numbers", "wanted_date", "routing", "prefix",
	"customer_name", "siret", "street", "zip_code", "city", "contact_email"}

// benchCells returns the cells of data row i.
func benchCells(i int) []string {
	n := strconv.Itoa(353000000 + i)
	return []string{"REF-" + strconv.Itoa(i), "0" + n, "0" + n, "46380.4166666667", "prefix", "010203",
		"Brasserie du Beffroi", "39066512800034", "30 rue de la Clef", "59800", "Lille", "contact@example.test"}
}

func BenchmarkOpenXLSX100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	vals := func(cells []string) []any {
		out := make([]any, len(cells))
		for i, c := range cells {
			out[i] = c
		}
		return out
	}
	if err := sw.SetRow("A1", vals(benchHeader)); err != nil {
		b.Fatal(err)
	}
	for i := range benchRows {
		if err := sw.SetRow("A"+strconv.Itoa(i+2), vals(benchCells(i))); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	_ = f.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		wb, err := Open(path, Options{})
		if err != nil || len(wb.Sheets[0].Records) != benchRows {
			b.Fatalf("got %v", err)
		}
	}
}

func BenchmarkOpenCSV100k(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(strings.Join(benchHeader, ";") + "\r\n")
	for i := range benchRows {
		sb.WriteString(strings.Join(benchCells(i), ";") + "\r\n")
	}
	path := filepath.Join(b.TempDir(), "big.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		wb, err := Open(path, Options{})
		if err != nil || len(wb.Sheets[0].Records) != benchRows {
			b.Fatalf("got %v", err)
		}
	}
}

func BenchmarkWriteReportXLSX100k(b *testing.B) { benchWriteReport(b, benchRows, XLSX) }

// BenchmarkWriteReportXLSX10k and BenchmarkWriteReportCSV10k are quick
// enough to compare report changes with benchstat.
func BenchmarkWriteReportXLSX10k(b *testing.B) { benchWriteReport(b, 10_000, XLSX) }

func BenchmarkWriteReportCSV10k(b *testing.B) { benchWriteReport(b, 10_000, CSV) }

func benchWriteReport(b *testing.B, n int, format Format) {
	rows := make([]ReportRow, n)
	statuses := Statuses()
	for i := range rows {
		rows[i] = ReportRow{Num: i + 2, Cells: benchCells(i), Status: statuses[i%len(statuses)],
			CarrierReference: fmt.Sprintf("NW-%08d", i), Message: "ok", SubmittedAt: time.Now()}
	}
	r := &Report{Source: "big.xlsx", Format: format, Generated: time.Now(),
		Sheets: []ReportSheet{{Name: "fr-port", Header: benchHeader, Rows: rows}}}
	ext := map[Format]string{XLSX: "xlsx", CSV: "csv"}[format]
	path := filepath.Join(b.TempDir(), "big.result."+ext)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := WriteReport(path, r); err != nil {
			b.Fatal(err)
		}
	}
}
