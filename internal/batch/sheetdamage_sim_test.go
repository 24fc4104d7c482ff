package batch_test

// Hostile workbooks, built byte by byte, against the carrier sandbox: rows
// the reader would once have lost are sent, a damaged row numbering sends
// nothing, and an order is never sent with part of its rows.

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/batch"
)

// xmlEsc escapes text for XML character data.
func xmlEsc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// colName is the column letter of 0-based column i (i < 26*27).
func colName(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return string(rune('A'+i/26-1)) + string(rune('A'+i%26))
}

// inlineRow is a <row> of inline-string cells numbered num (no r when num is 0).
func inlineRow(num string, cells []string) string {
	var b strings.Builder
	if num == "" {
		b.WriteString("<row>")
	} else {
		fmt.Fprintf(&b, `<row r="%s">`, num)
	}
	for i, c := range cells {
		if c == "" {
			continue
		}
		fmt.Fprintf(&b, `<c t="inlineStr" r="%s%s"><is><t>%s</t></is></c>`, colName(i), strings.TrimSpace(num), xmlEsc(c))
	}
	b.WriteString("</row>")
	return b.String()
}

// writeRawWorkbook writes an XLSX package of one worksheet named sheet whose
// <sheetData> is data, with extra parts as given.
func writeRawWorkbook(t *testing.T, dir, name, sheet, data string, extra map[string]string) string {
	t.Helper()
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="` + sheet + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			data + `</sheetData></worksheet>`},
	}
	for k, v := range extra {
		parts = append(parts, struct{ name, body string }{k, v})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		require.NoError(t, err)
		_, err = w.Write([]byte(p.body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	return path
}

// caRows returns ca-port rows numbered from first, order_refs CA-<first>….
func caRows(first, n int) string {
	var b strings.Builder
	for r := first; r < first+n; r++ {
		b.WriteString(inlineRow(fmt.Sprint(r), cellsOf(caSimHeader, caSimRow(fmt.Sprintf("CA-%d", r)).with("numbers", fmt.Sprintf("416555%04d", r)))))
	}
	return b.String()
}

// TestSandboxXLSXRowsAfterAGapAreSent: an ordinary workbook with 5 orders
// in rows 2-6 and 5 more pasted from row 1200: all 10 are sent.
func TestSandboxXLSXRowsAfterAGapAreSent(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	in := writeRawWorkbook(t, sb.dir, "gap.xlsx", "ca-port", inlineRow("1", caSimHeader)+caRows(2, 5)+caRows(1200, 5), nil)
	s := sb.process(t, in)
	assert.Equal(t, map[string]int{batch.Submitted: 10}, s.Counts)
	assert.Equal(t, 10, len(sb.sim.Orders()), "orders at the sandbox")
}

// TestSandboxXLSXDamagedRowNumbersSendNothing: rows numbered out of order,
// twice, 0 or " 4" make the file damaged before any order is sent, even
// though the orders of the rows before them are valid and more than a chunk
// of them (2,048 rows) could go before the reader reaches the damage.
func TestSandboxXLSXDamagedRowNumbersSendNothing(t *testing.T) {
	one := cellsOf(caSimHeader, caSimRow("CA-X"))
	for _, tc := range []struct{ name, data, want string }{
		{"out of order", caRows(2, 2100) + inlineRow("20", one), "row 20 comes after row 2101"},
		{"repeated", caRows(2, 2100) + inlineRow("2101", one), "row 2101 appears twice"},
		{"numbered 0", caRows(2, 2100) + inlineRow("0", one), `numbered "0"`},
		{"numbered with a space", caRows(2, 2100) + inlineRow(" 2102", one), `numbered " 2102"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := newSandbox(t, sandboxConfig{})
			in := writeRawWorkbook(t, sb.dir, "damaged.xlsx", "ca-port", inlineRow("1", caSimHeader)+tc.data, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := batch.Process(ctx, in, sb.opts)
			var fe *batch.FileError
			require.ErrorAs(t, err, &fe)
			assert.Contains(t, err.Error(), tc.want)
			assert.Zero(t, len(sb.sim.Orders()), "orders sent from a damaged file")
		})
	}
}

// TestSandboxXLSXBadAttributeSendsNothing: a character XML forbids, or bad
// UTF-8, inside a tag's attribute past the first chunk (2,048 rows) of valid
// orders, rows after it: Open refuses the file, so the first pass must not
// let those orders go first.
func TestSandboxXLSXBadAttributeSendsNothing(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"control character in a cell's style", `<row r="2102"><c r="A2102" s="1` + "\x01" + `" t="inlineStr"><is><t>CA-X</t></is></c></row>`},
		{"bad UTF-8 in a row's spans", `<row r="2102" spans="1:` + "\xff" + `"><c r="A2102" t="inlineStr"><is><t>CA-X</t></is></c></row>`},
		{"escape sequence in an inline string's attribute", `<row r="2102"><c r="A2102" t="inlineStr"><is x="` + "\x1b[2J" + `"><t>CA-X</t></is></c></row>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := newSandbox(t, sandboxConfig{})
			in := writeRawWorkbook(t, sb.dir, "hostile.xlsx", "ca-port", inlineRow("1", caSimHeader)+caRows(2, 2100)+tc.data+caRows(2103, 2), nil)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := batch.Process(ctx, in, sb.opts)
			var fe *batch.FileError
			assert.ErrorAs(t, err, &fe)
			assert.Zero(t, len(sb.sim.Orders()), "orders sent from a file Open refuses")
		})
	}
}

// TestSandboxXLSXSharedStringOutsideItemsSendsWholeOrders: an <si> inside
// <extLst> of the shared strings once shifted the first pass's indexes, so
// that a two-number order was sent with one of its numbers.
func TestSandboxXLSXSharedStringOutsideItemsSendsWholeOrders(t *testing.T) {
	sb := newSandbox(t, sandboxConfig{})
	rows := []row{
		caSimRow("SST-0").with("numbers", "4165550130"),
		caSimRow("SST-1").with("numbers", "4165550131"),
		caSimRow("SST-1").with("numbers", "4165550132"),
		caSimRow("SST-2").with("numbers", "4165550133"),
	}
	var items []string
	index := map[string]int{}
	str := func(s string) int {
		if i, ok := index[s]; ok {
			return i
		}
		index[s] = len(items)
		items = append(items, s)
		return index[s]
	}
	var data strings.Builder
	for n, cells := range append([][]string{caSimHeader}, func() [][]string {
		var out [][]string
		for _, r := range rows {
			out = append(out, cellsOf(caSimHeader, r))
		}
		return out
	}()...) {
		fmt.Fprintf(&data, `<row r="%d">`, n+1)
		for i, c := range cells {
			if c != "" {
				fmt.Fprintf(&data, `<c r="%s%d" t="s"><v>%d</v></c>`, colName(i), n+1, str(c))
			}
		}
		data.WriteString("</row>")
	}
	var sst strings.Builder
	sst.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for i, s := range items {
		fmt.Fprintf(&sst, `<si><t>%s</t></si>`, xmlEsc(s))
		if i == 0 {
			sst.WriteString(`<extLst><si><t>ghost</t></si></extLst>`)
		}
	}
	sst.WriteString(`</sst>`)
	in := writeRawWorkbook(t, sb.dir, "sst.xlsx", "ca-port", data.String(), map[string]string{"xl/sharedStrings.xml": sst.String()})

	s := sb.process(t, in)
	assert.Equal(t, map[string]int{batch.Submitted: 4}, s.Counts)
	var both int
	for _, o := range sb.sim.Orders() {
		body := string(o.Body)
		if strings.Contains(body, "4165550131") || strings.Contains(body, "4165550132") {
			assert.Contains(t, body, "4165550131", "SST-1 sent with both its numbers")
			assert.Contains(t, body, "4165550132", "SST-1 sent with both its numbers")
			both++
		}
	}
	assert.Equal(t, 1, both, "SST-1 sent once")
	assert.Equal(t, 3, len(sb.sim.Orders()), "orders at the sandbox")
}
