package sheet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzValues are the texts the generated workbooks' cells hold: order_refs
// that trim or escape to one another, numbers in both notations, blanks.
var fuzzValues = []string{"R1", "R2", " R1", "R1 ", "", "  ", "x", "1", "1E3", "1000", "_x0041_", "A", "R&amp;1", "R&#49;", "R&#x31;", "4.1655501E9"}

// fuzzBook builds a workbook byte by byte from data, read as a program:
// each byte picks what comes next in the worksheet (rows numbered in
// order, without a number, numbered 0, " 4", repeated or going back; cells
// holding inline strings, rich-text runs, shared strings, numbers, XML
// entities and character references, prefixed names, missing or
// out-of-order references, shared formulas with or without a value,
// booleans; runs of empty rows; unknown entities in values, attributes
// and between elements, end tags that do not match, control characters
// and bad UTF-8 in attributes), the bytes after it
// what it holds. The
// shared strings may hold rich text and an <si> outside <sst>'s direct
// children. The first row is a header, so that most programs count.
func fuzzBook(t testing.TB, data []byte) []byte {
	var (
		ws    strings.Builder
		rowN  int
		inRow bool
		col   int
		pos   int
	)
	next := func() int {
		if pos >= len(data) {
			return 0
		}
		pos++
		return int(data[pos-1])
	}
	value := func() string { return fuzzValues[next()%len(fuzzValues)] }
	ref := func() string {
		col++
		switch next() % 8 {
		case 0:
			return "" // no reference
		case 1:
			col = max(1, col-2) // back
		case 2:
			col += next() % 3 // a gap
		}
		return fmt.Sprintf(` r="%c%d"`, 'A'+rune((col-1)%6), max(rowN, 1))
	}
	endRow := func() {
		if inRow {
			ws.WriteString("</row>")
			inRow = false
		}
	}
	startRow := func(attr string, n int) {
		endRow()
		fmt.Fprintf(&ws, "<row%s>", attr)
		rowN, inRow, col = n, true, 0
	}
	startRow(` r="1"`, 1)
	for i, h := range []string{"order_ref", "b", "c"} {
		fmt.Fprintf(&ws, `<c r="%c1" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+rune(i), h)
	}
	for pos < len(data) {
		switch op := next() % 20; op {
		case 0, 1, 2:
			n := rowN + 1 + next()%3
			startRow(fmt.Sprintf(` r="%d"`, n), n)
		case 3:
			startRow("", rowN+1)
		case 4:
			startRow(` r="0"`, rowN+1)
		case 5:
			startRow(fmt.Sprintf(` r=" %d"`, rowN+1), rowN+1)
		case 6:
			n := max(1, rowN-next()%2)
			startRow(fmt.Sprintf(` r="%d"`, n), n)
		case 7:
			endRow()
			for range next() % 4 {
				rowN++
				fmt.Fprintf(&ws, `<row r="%d"><c r="A%d" s="1"/></row>`, rowN, rowN)
			}
		case 8:
			fmt.Fprintf(&ws, `<c%s t="inlineStr"><is><t>%s</t></is></c>`, ref(), value())
		case 9:
			fmt.Fprintf(&ws, `<c%s t="inlineStr"><is><r><rPr><b/></rPr><t>%s</t></r><r><t xml:space="preserve">%s</t></r><rPh><t>p</t></rPh></is></c>`, ref(), value(), value())
		case 10, 11:
			fmt.Fprintf(&ws, `<c%s t="s"><v>%d</v></c>`, ref(), next()%7)
		case 12:
			fmt.Fprintf(&ws, `<c%s><v>%s</v></c>`, ref(), []string{"1", "1E3", "1000", "4.1655501E9", "-2.5e-3", " 7 "}[next()%6])
		case 13:
			fmt.Fprintf(&ws, `<c%s t="str"><v>%s</v></c>`, ref(), value())
		case 14:
			fmt.Fprintf(&ws, `<x:c%s t="inlineStr"><x:is><x:t>%s</x:t></x:is></x:c>`, ref(), value())
		case 15:
			fmt.Fprintf(&ws, `<c%s><f t="shared" ref="A1:C9" si="0">A1</f><v>%s</v></c>`, ref(), []string{"1", "", "R1"}[next()%3])
		case 16:
			fmt.Fprintf(&ws, `<c%s><f t="shared" si="0"/></c>`, ref())
		case 17:
			fmt.Fprintf(&ws, `<c%s t="b"><v>%d</v></c>`, ref(), next()%2)
		case 18:
			fmt.Fprintf(&ws, `<c%s t="str"><f>"R"&amp;"1"</f><v>%s</v></c>`, ref(), value())
		case 19: // damage: a misnamed cell, XML excelize's decoder refuses
			switch k := next() % 13; {
			case k < 4:
				fmt.Fprintf(&ws, `<c%s t="inlineStr"><is><t>%s</t></is></c>`, []string{` r="A0"`, ` r="0A"`, ` r="a1"`, ` r=""`}[k], value())
			case k == 4:
				fmt.Fprintf(&ws, `<c%s t="str"><v>x&bogus;</v></c>`, ref())
			case k == 5:
				fmt.Fprintf(&ws, `<c%s t="&bogus;"><v>1</v></c>`, ref())
			case k == 6:
				fmt.Fprintf(&ws, `<c%s><v>1</v></x></c>`, ref())
			case k == 7:
				fmt.Fprintf(&ws, `<c%s><v>1</v></c>&bogus;`, ref())
			default: // a character XML forbids, or bad UTF-8, in an attribute
				bad := []string{"\x01", "\xff", "\x1b[2J", "\xc3("}[next()%4]
				fmt.Fprintf(&ws, []string{
					`<c%s s="%s"><v>1</v></c>`,
					`<c%s t="inlineStr"><is x="%s"><t>R1</t></is></c>`,
					`<c%s><v y="%s">1</v></c>`,
					`<c%s><f t="shared" si="0" ref="%s"/></c>`,
					`<c%s t="str"><v>R1</v></c><row r="99" spans="%s"/>`,
				}[k-8], ref(), bad)
			}
		}
	}
	endRow()

	var sst strings.Builder
	sst.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	flags := 0
	if len(data) > 0 {
		flags = int(data[0])
	}
	for i, v := range []string{"R1", "R2", " R1", "order_ref", "", "R1"} {
		switch {
		case v == "":
			sst.WriteString("<si/>")
		case flags&(1<<i) != 0:
			fmt.Fprintf(&sst, `<si><r><t>%s</t></r><r><rPr><i/></rPr><t>x</t></r></si>`, v)
		default:
			fmt.Fprintf(&sst, `<si><t>%s</t></si>`, v)
		}
		if i == 1 && flags&0x40 != 0 {
			sst.WriteString(`<extLst><si><t>ghost</t></si></extLst>`)
		}
		if i == 2 && flags&0x80 != 0 {
			sst.WriteString(`<unknown><si><t>ghost</t></si></unknown>`)
		}
	}
	sst.WriteString(`<si><t>R2</t></si></sst>`)
	return rawXLSX(t, []rawSheet{{name: "S", data: ws.String()}}, map[string]string{"xl/sharedStrings.xml": sst.String()})
}

// FuzzCountColumnXLSX is a differential fuzzer of the first pass against
// the read: over generated workbooks, CountColumn's counts and sizes are
// never below what Open reads (checkCounts), unless it declares the sheet
// unknown; and a workbook Open refuses is refused by CountColumn too, or
// counted as unknown (read whole before anything is sent), or, when too
// large, has a size beyond the limits (read whole too), so that no order
// of it is sent before the refusal.
func FuzzCountColumnXLSX(f *testing.F) {
	for _, seed := range [][]byte{
		{0, 8, 1, 8, 2, 0, 8, 1, 8, 3},
		{0x40, 0, 10, 1, 10, 2, 0, 10, 2},
		{0x80, 0, 10, 2, 7, 3, 0, 10, 2},
		{1, 0, 9, 0, 1, 0, 9, 0, 1, 12, 1},
		{0, 4, 8, 0, 5, 8, 1},
		{0, 6, 0, 8, 0, 0, 8, 1},
		{0, 14, 0, 0, 15, 0, 0, 16, 0, 0, 18, 0, 2},
		{0, 19, 0, 1},
		{0, 0, 19, 4, 0, 0, 8, 0},
		{0, 0, 19, 5, 0, 0, 8, 0},
		{0, 0, 19, 6, 0, 0, 8, 0},
		{0, 0, 19, 7, 0, 0, 8, 0},
		{0, 0, 19, 8, 0, 0, 8, 0},
		{0, 0, 19, 9, 0, 1, 8, 0},
		{0, 0, 19, 10, 0, 2, 8, 0},
		{0, 0, 19, 11, 0, 3, 8, 0},
		{0, 0, 19, 12, 0, 0, 8, 0},
		{0, 3, 8, 0, 3, 8, 0, 2, 8, 0, 17, 1, 1, 13, 0, 12},
		// found by the fuzzer: cells out of order, and after their row's end,
		// that excelize places beyond what the first pass's width allowed
		[]byte("\x01010101012170001"),
		[]byte("x0x07008711000"),
		[]byte("C1000022001000"),
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	opts := Options{MaxRows: 12, MaxColumns: 5}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 400 {
			return // keep each input cheap
		}
		path := filepath.Join(dir, "fuzz.xlsx")
		if err := os.WriteFile(path, fuzzBook(t, data), 0o600); err != nil {
			t.Fatal(err)
		}
		checkCounts(t, path, opts)
		_, openErr := Open(path, opts)
		if openErr == nil {
			return
		}
		counts, err := CountColumn(path, opts, func(string, []string) int { return 0 }, nil)
		if err != nil {
			return
		}
		for _, vc := range counts {
			if vc.Unknown() {
				return
			}
			// Too large for Open: the first pass's size says it may be.
			if errors.Is(openErr, ErrTooLarge) && (vc.Size().Rows > opts.MaxRows || vc.Size().Width > opts.MaxColumns) {
				return
			}
		}
		t.Fatalf("Open refuses the workbook (%v) but CountColumn counts it with certainty", openErr)
	})
}
