package sheet

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// benchSharedXLSX is a benchRows-row workbook laid out as Excel writes it:
// every text cell a shared string (t="s"), the dates numbers with a style.
func benchSharedXLSX(b *testing.B) []byte {
	b.Helper()
	var sheet, sst strings.Builder
	strs := 0
	text := func(ref, v string) string {
		fmt.Fprintf(&sst, "<si><t>%s</t></si>", html.EscapeString(v))
		strs++
		return fmt.Sprintf(`<c r="%s" s="1" t="s"><v>%d</v></c>`, ref, strs-1)
	}
	cols := "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for i := -1; i < benchRows; i++ {
		r := strconv.Itoa(i + 2)
		cells := benchHeader
		if i >= 0 {
			cells = benchCells(i)
		}
		sheet.WriteString(`<row r="` + r + `">`)
		for j, c := range cells {
			ref := cols[j:j+1] + r
			if i >= 0 && benchHeader[j] == "wanted_date" {
				sheet.WriteString(`<c r="` + ref + `" s="2"><v>` + c + `</v></c>`)
				continue
			}
			sheet.WriteString(text(ref, c))
		}
		sheet.WriteString(`</row>`)
	}
	sstXML := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		fmt.Sprintf(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, strs, strs) +
		sst.String() + `</sst>`
	data := rawXLSX(b, []rawSheet{{name: "fr-port", data: sheet.String()}}, map[string]string{"xl/sharedStrings.xml": sstXML})
	return addRel(b, data, `<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
}

// benchFrenchCSV is a benchRows-row CSV as French Excel saves it: ';',
// CRLF, Windows-1252.
func benchFrenchCSV(b *testing.B) []byte {
	b.Helper()
	var sb strings.Builder
	sb.WriteString(strings.Join(benchHeader, ";") + "\r\n")
	for i := range benchRows {
		cells := benchCells(i)
		cells[6] = "Crêperie du Beffroi" // a non-ASCII character, as in most French files
		sb.WriteString(strings.Join(cells, ";") + "\r\n")
	}
	data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	if bytes.IndexByte(data, 0xEA) < 0 {
		b.Fatal("the CSV is not Windows-1252")
	}
	return data
}

// BenchmarkReadSharedXLSX100kDrop and BenchmarkReadFrenchCSV100kDrop read
// each format as a streaming caller does (OnRows with DropRecords), the
// figure to compare read changes with benchstat; B/op and allocs/op are
// the read's own.
func BenchmarkReadSharedXLSX100kDrop(b *testing.B) {
	benchReadDrop(b, writeTemp(b, "big.xlsx", benchSharedXLSX(b)))
}

func BenchmarkReadFrenchCSV100kDrop(b *testing.B) {
	benchReadDrop(b, writeTemp(b, "big.csv", benchFrenchCSV(b)))
}

func benchReadDrop(b *testing.B, path string) {
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		wb, err := Open(path, Options{DropRecords: true, OnRows: func(_ *Table, recs []Record) { n += len(recs) }})
		if err != nil || n != benchRows || len(wb.Sheets[0].Records) != 0 {
			b.Fatalf("got %d rows, %v", n, err)
		}
	}
}
