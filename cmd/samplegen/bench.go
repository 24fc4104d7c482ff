package main

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// Large files for `make bench`: n valid rows of one kind, each row its own
// order, written as Excel writes them (XLSX with a shared-strings table and
// date cells as styled serial numbers) or as CSV (plain UTF-8 with ',' or
// French Excel's ';' + Windows-1252 + CRLF). The rows are made up and all
// valid, so that `orderdrop run` submits every one of them.

// benchFormats are the -bench-format values.
var benchFormats = []string{"xlsx", "csv", "csv-fr"}

// benchFile writes n rows of kind to path in format, rows first…first+n-1
// (order refs and numbers follow the row number, so files written with
// different first rows share no order).
func benchFile(path, kind, format string, first, n int, now time.Time) error {
	header, gen, err := benchKind(kind, now)
	if err != nil {
		return err
	}
	row := func(i int) []any { return gen(first + i) }
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	switch format {
	case "xlsx":
		err = writeBenchXLSX(f, kind, header, row, n)
	case "csv", "csv-fr":
		err = writeBenchCSV(f, format == "csv-fr", header, row, n)
	default:
		err = fmt.Errorf("-bench-format %q: want one of %s", format, strings.Join(benchFormats, ", "))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// benchKind returns the header of kind and a function building its row i.
// Cells are string, int (a number cell) or time.Time (a date cell).
func benchKind(kind string, now time.Time) ([]string, func(i int) []any, error) {
	companies := []string{"Fromagerie des Aravis", "Imprimerie Rhône-Alpes", "Brasserie du Vieux-Lille",
		"Atelier Vélo Garonne", "Cidrerie du Perche", "Opticiens Réunis", "Distillerie Combier", "Les Sœurs Ménard SARL"}
	switch kind {
	case "fr-port":
		// 40 wanted dates spread over working days 7…46, at 10:00 and 15:00.
		dates := make([]time.Time, 40)
		for d := range dates {
			dates[d] = workingDay(now, 7+d, 10+5*(d%2))
		}
		sirets := []string{siret("8123400170004"), siret("7945512380001"), siret("3906651280003"), siret("5230998710004")}
		return frHeader, func(i int) []any {
			n := "0353" + fmt.Sprintf("%06d", i%1_000_000)
			c := companies[i%len(companies)]
			return []any{fmt.Sprintf("BENCH-FR-%06d", i), n, n, nil, dates[i%len(dates)], "prefix", "010203", c,
				sirets[i%len(sirets)], strconv.Itoa(1+i%120) + " rue de la République", "69002", "Lyon",
				"Marion Veyrat", fmt.Sprintf("contact%d@bench.example", i), "0465710499"}
		}, nil
	case "ca-port":
		d := portDate(now)
		return caHeader, func(i int) []any {
			// 206-2XX-XXXX: Seattle numbers, unique per row.
			num := fmt.Sprintf("206-%03d-%04d", 200+i/10_000%800, i%10_000)
			return []any{fmt.Sprintf("BENCH-CA-%06d", i), nil, "TT-GENERAL", num, "Lobby", companies[i%len(companies)] + " LLC",
				fmt.Sprintf("LM-%06d", i), strconv.Itoa(100 + i%900), "Pike Place", nil, "Seattle", "WA", "98101", "US",
				fmt.Sprintf("hello%d@bench.example", i), 313, nil, d, nil, nil, nil, nil, nil, nil, nil}
		}, nil
	case "l2":
		return l2Header, func(i int) []any {
			return []any{fmt.Sprintf("BENCH-L2-%06d", i), companies[i%len(companies)], 2201, "41,42", 7101, 7102,
				strconv.Itoa(1 + i%300), nil, "avenue", "Jean Jaurès", "33600", "Pessac", nil, "1", nil,
				"Mathilde Roques", "0536490731", fmt.Sprintf("site%d@bench.example", i), "8h30-12h / 13h30-17h30",
				7103, "7101;7103", "PZ-BDX-ATL1-03", "Flux non tagué", "Transparence aux CVLAN (QinQ)", "1000 Base LX", nil, nil, nil}
		}, nil
	}
	return nil, nil, fmt.Errorf("-bench-kind %q: want fr-port, ca-port or l2", kind)
}

// writeBenchCSV writes the rows as CSV; french selects French Excel's
// flavour (';', Windows-1252, CRLF, dd/mm/yyyy hh:mm dates).
func writeBenchCSV(out io.Writer, french bool, header []string, row func(int) []any, n int) error {
	var dst io.Writer = out
	bw := bufio.NewWriterSize(out, 1<<16)
	dst = bw
	if french {
		dst = charmap.Windows1252.NewEncoder().Writer(bw)
	}
	w := csv.NewWriter(dst)
	if french {
		w.Comma, w.UseCRLF = ';', true
	}
	if err := w.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	for i := range n {
		for c, v := range row(i) {
			switch v := v.(type) {
			case nil:
				rec[c] = ""
			case time.Time:
				if french {
					rec[c] = frDate(v)
				} else {
					rec[c] = v.In(paris).Format("2006-01-02 15:04")
				}
			default:
				rec[c] = fmt.Sprint(v)
			}
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// writeBenchXLSX writes a one-sheet workbook laid out as Excel saves it:
// text in xl/sharedStrings.xml referenced by index (t="s"), numbers as
// number cells, dates as serial numbers with a date style.
func writeBenchXLSX(out io.Writer, sheet string, header []string, row func(int) []any, n int) error {
	z := zip.NewWriter(out)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="` + sheet + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		// Style 0: General; style 1: text (@, 49); style 2: m/d/yy h:mm (22).
		{"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`},
	}
	for _, p := range parts {
		w, err := z.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			return err
		}
	}

	sst := map[string]int{}
	var strs []string
	index := func(s string) int {
		i, ok := sst[s]
		if !ok {
			i = len(strs)
			sst[s] = i
			strs = append(strs, s)
		}
		return i
	}
	sw, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(sw, 1<<16)
	w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	fmt.Fprintf(w, `<dimension ref="A1:%s%d"/><sheetData>`, colName(len(header)-1), n+1)
	writeRow := func(r int, cells []any) {
		fmt.Fprintf(w, `<row r="%d">`, r)
		for c, v := range cells {
			ref := colName(c) + strconv.Itoa(r)
			switch v := v.(type) {
			case nil:
			case string:
				fmt.Fprintf(w, `<c r="%s" s="1" t="s"><v>%d</v></c>`, ref, index(v))
			case int:
				fmt.Fprintf(w, `<c r="%s"><v>%d</v></c>`, ref, v)
			case time.Time:
				fmt.Fprintf(w, `<c r="%s" s="2"><v>%s</v></c>`, ref, strconv.FormatFloat(excelSerial(v), 'f', -1, 64))
			}
		}
		w.WriteString(`</row>`)
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	writeRow(1, hdr)
	for i := range n {
		writeRow(i+2, row(i))
	}
	w.WriteString(`</sheetData></worksheet>`)
	if err := w.Flush(); err != nil {
		return err
	}

	ssw, err := z.Create("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	w = bufio.NewWriterSize(ssw, 1<<16)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(strs), len(strs))
	for _, s := range strs {
		w.WriteString(`<si><t>`)
		xmlEscape(w, s)
		w.WriteString(`</t></si>`)
	}
	w.WriteString(`</sst>`)
	if err := w.Flush(); err != nil {
		return err
	}
	return z.Close()
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func xmlEscape(w *bufio.Writer, s string) { _, _ = xmlEscaper.WriteString(w, s) }

// colName is the letter name of 0-based column c (0 → A, 26 → AA).
func colName(c int) string {
	name := ""
	for c++; c > 0; c = (c - 1) / 26 {
		name = string(rune('A'+(c-1)%26)) + name
	}
	return name
}
