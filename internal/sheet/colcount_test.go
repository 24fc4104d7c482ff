package sheet

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// checkCounts opens path with Open and CountColumn, counting every column in
// turn, and fails when a count is below the number of records holding the
// value: the invariant streaming relies on. It returns how many sheets were
// counted exactly (not unknown) so tests can require the fast path.
func checkCounts(t testing.TB, path string, opts Options) (exact int) {
	t.Helper()
	wb, err := Open(path, opts)
	if err != nil {
		return 0
	}
	for _, tb := range wb.Sheets {
		width := len(tb.Header)
		for _, r := range tb.Records {
			width = max(width, len(r.Cells))
		}
		for col := range width {
			var gotHeader []string
			counts, err := CountColumn(path, opts, func(sheet string, header []string) int {
				if sheet == tb.Name {
					gotHeader = slices.Clone(header)
					return col
				}
				return -1
			}, strings.TrimSpace)
			require.NoError(t, err, "%s: CountColumn failed where Open succeeded", filepath.Base(path))
			vc := counts[tb.Name]
			if vc.Unknown() {
				continue
			}
			require.Equal(t, tb.Header, gotHeader, "%s sheet %q: header", filepath.Base(path), tb.Name)
			want := map[string]int{}
			for _, r := range tb.Records {
				if col < len(r.Cells) {
					want[strings.TrimSpace(r.Cells[col])]++
				}
			}
			for v, n := range want {
				if got := vc.Count(v); got < n {
					t.Fatalf("%s sheet %q column %d value %q: got count %d want at least %d", filepath.Base(path), tb.Name, col, v, got, n)
				}
			}
			// The size bounds what a streamed report declares before its rows.
			size, last := vc.Size(), 0
			if n := len(tb.Records); n > 0 {
				last = tb.Records[n-1].Num
			}
			if size.Rows < len(tb.Records) || size.LastRow < last || size.Width < width {
				t.Fatalf("%s sheet %q: got size %+v, want at least %d rows, last row %d, width %d", filepath.Base(path), tb.Name, size, len(tb.Records), last, width)
			}
			if col == 0 {
				exact++
			}
		}
	}
	return exact
}

func TestCountColumnSharedFixtures(t *testing.T) {
	entries, err := os.ReadDir(sharedInbox)
	if err != nil {
		t.Skipf("no shared fixtures at %s", sharedInbox)
	}
	exact := 0
	for _, e := range entries {
		exact += checkCounts(t, filepath.Join(sharedInbox, e.Name()), Options{})
	}
	assert.Positive(t, exact, "some fixture counted on the fast path")
}

func TestCountColumnRawSheets(t *testing.T) {
	sst := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<si><t>order_ref</t></si><si><t xml:space="preserve"> R1 </t></si>` +
		`<si><r><rPr><b/></rPr><t>R</t></r><r><t>2</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si>` +
		`<si><t>A&amp;B &#233;&#x41;</t></si><si/><si><t>_x0041_x</t></si><si><t>R1</t></si></sst>`
	for _, tc := range []struct {
		name, data string
		unknown    bool // the scanner must give up (and Count wait for the end)
	}{
		{"shared strings", row(1, `<c r="A1" t="s"><v>0</v></c>`) + row(2, `<c r="A2" t="s"><v>1</v></c>`) +
			row(3, `<c r="A3" t="s"><v>2</v></c>`) + row(4, `<c r="A4" t="s"><v>3</v></c>`) +
			row(5, `<c r="A5" t="s"><v>5</v></c>`) + row(6, `<c r="A6" t="s"><v>6</v></c>`) + row(7, `<c r="A7" t="s"><v>4</v></c><c r="B7"><v>1</v></c>`), false},
		{"inline strings and numbers", row(1, is("A1", "order_ref"), is("B1", "n")) + row(2, is("A2", "R1"), num("B2", "1")) +
			row(3, num("A3", "4.1655501E9"), num("B3", "2")) + row(4, num("A4", "4165550100")) +
			row(5, `<c r="A5" t="b"><v>1</v></c>`) + row(6, `<c r="A6" t="inlineStr"><is><r><t>R</t></r><r><t xml:space="preserve">1</t></r></is></c>`), false},
		{"rows and cells without r", `<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>order_ref</t></is></c></row>` +
			`<row><c><v>1</v></c><c><v>7</v></c></row><row><c/><c><v>7</v></c></row><row><c r="B4"><v>8</v></c><c><v>7</v></c></row>`, false},
		{"header not on row 1, empty rows", row(3, `<c r="A3" s="1"/>`) + row(5, is("B5", " order_ref "), is("C5", "x")) +
			styledEmptyRows(6, 3) + row(10, is("B10", "R1")) + row(11, is("B11", "R1"), is("C11", "1")), false},
		{"formula without value and entities", row(1, is("A1", "order_ref")) + row(2, `<c r="A2"><f>1+1</f></c>`) +
			row(3, `<c r="A3" t="str"><f>"a"</f><v>a&lt;b</v></c>`) + row(4, `<c r="A4" t="str"><v>a&lt;b</v></c>`) +
			row(5, `<c r="A5" t="inlineStr"><is><t>tab&#9;x&#13;&#10;y</t></is></c>`), false},
		{"formula problem row before the header", row(1, `<c r="A1"><f>1+1</f></c>`) + row(2, is("A2", "order_ref")) + row(3, is("A3", "R")), true},
		{"prefixed elements", `<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>order_ref</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2"><x:v>5</x:v></x:c></x:row>`, false},
		{"comment and CDATA", row(1, is("A1", "order_ref")) + row(2, `<c r="A2" t="str"><v>a<!-- no -->b</v></c>`) +
			row(3, `<c r="A3" t="str"><v><![CDATA[a<b]]></v></c>`), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "raw.xlsx", rawXLSX(t, []rawSheet{{name: "S", data: tc.data}, {name: "T", data: tc.data}},
				map[string]string{"xl/sharedStrings.xml": sst}))
			_, err := Open(path, Options{})
			require.NoError(t, err)
			want := 2
			if tc.unknown {
				want = 0
			}
			assert.Equal(t, want, checkCounts(t, path, Options{}), "sheets counted exactly")
		})
	}
}

func TestCountColumnGroups(t *testing.T) {
	path := writeTemp(t, "g.xlsx", rawXLSX(t, []rawSheet{{name: "fr-port", data: row(2, is("A2", "x"), is("B2", "order_ref")) +
		row(3, is("B3", "G1")) + row(4, is("B4", " G1")) + row(5, is("B5", "G2")) + row(6, num("B6", "12"))}}, nil))
	counts, err := CountColumn(path, Options{}, func(sheet string, header []string) int {
		return slices.Index(header, "order_ref")
	}, strings.TrimSpace)
	require.NoError(t, err)
	vc := counts["fr-port"]
	require.NotNil(t, vc)
	assert.False(t, vc.Unknown())
	for _, tc := range []struct {
		value string
		want  int
	}{{"G1", 2}, {"G2", 1}, {"12", 1}, {"G3", 0}, {"", math.MaxInt}} {
		assert.Equal(t, tc.want, vc.Count(tc.value), "value %q", tc.value)
	}
	var missing *ValueCounts
	assert.Equal(t, math.MaxInt, missing.Count("G1"), "a sheet not counted makes the caller wait")
}

func TestCountColumnExcelize(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	_, err := f.NewSheet("B")
	require.NoError(t, err)
	for _, sh := range []string{"Sheet1", "B"} {
		require.NoError(t, f.SetSheetRow(sh, "B2", &[]any{"order_ref", "qty", "note"}))
		for i := range 40 {
			ref := "REF-" + strconv.Itoa(i%7)
			cells := []any{ref, i, fmt.Sprintf("n & <%d>", i)}
			if i%5 == 0 {
				cells[0] = i * 1000
			}
			require.NoError(t, f.SetSheetRow(sh, "B"+strconv.Itoa(i+4+i/10), &cells))
		}
		require.NoError(t, f.SetCellRichText(sh, "B60", []excelize.RichTextRun{{Text: "REF-"}, {Text: "1", Font: &excelize.Font{Bold: true}}}))
		require.NoError(t, f.SetCellFormula(sh, "C61", "1+2"))
		require.NoError(t, f.SetCellStr(sh, "B61", "REF-2"))
	}
	path := filepath.Join(t.TempDir(), "x.xlsx")
	require.NoError(t, f.SaveAs(path))
	assert.Equal(t, 2, checkCounts(t, path, Options{}), "both sheets on the fast path")

	// The same through the stream writer (shared strings off, inline strings).
	g := excelize.NewFile()
	defer g.Close()
	sw, err := g.NewStreamWriter("Sheet1")
	require.NoError(t, err)
	require.NoError(t, sw.SetRow("A1", []any{"order_ref", "n"}))
	for i := range 50 {
		require.NoError(t, sw.SetRow("A"+strconv.Itoa(i+2), []any{"R" + strconv.Itoa(i%9), i}))
	}
	require.NoError(t, sw.Flush())
	path2 := filepath.Join(t.TempDir(), "s.xlsx")
	require.NoError(t, g.SaveAs(path2))
	assert.Equal(t, 1, checkCounts(t, path2, Options{}))
}

func TestCountColumnCSV(t *testing.T) {
	for _, data := range []string{
		"\xEF\xBB\xBForder_ref,b\n1,2\n1,3\n\"1\",x\n",
		"\n\n  ;  \norder_ref;x\n\"a\nb\";1\na;2\n;\n",
		"Num\xe9ros;ref\n\x9c;1\n\x9c;1\n",
	} {
		checkCounts(t, writeTemp(t, "c.csv", []byte(data)), Options{})
	}
}

func FuzzCountColumnCSV(f *testing.F) {
	for _, seed := range []string{
		"a,b\n1,2\n1,2\n",
		"\xEF\xBB\xBFa;b\r\n\"x\ny\";2\r\n",
		"Num\xe9ros;b\n\x9c;2\n",
		"\xFF\xFEa\x00,\x00b\x00\n\x00",
		",,,\n;;;\na;b\n x ;x\n",
		"a;b\rx;1\r\"x\ry\";2\rx;3\r", // CSV (Macintosh): CR alone ends a line
		"Num\xe9ros;b\r\x9c;2\r",
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		checkCounts(t, path, Options{MaxRows: 1000, MaxColumns: 20})
	})
}

// BenchmarkCountColumnXLSX counts order_ref in a 100k-row workbook laid
// out as Excel writes it (shared strings), beside excelize's bare Rows()
// read of the same file as the reference.
func BenchmarkCountColumnXLSX(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.xlsx")
	f := excelize.NewFile()
	require.NoError(b, f.SetSheetRow("Sheet1", "A1", &benchHeader))
	for i := range benchRows {
		cells := benchCells(i)
		require.NoError(b, f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+2), &cells))
	}
	require.NoError(b, f.SaveAs(path))
	_ = f.Close()
	column := func(_ string, h []string) int { return slices.Index(h, "order_ref") }
	b.Run("CountColumn", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			counts, err := CountColumn(path, Options{}, column, strings.TrimSpace)
			if err != nil || counts["Sheet1"].Count("REF-7") != 1 {
				b.Fatalf("got %v", err)
			}
		}
	})
	b.Run("excelizeRows", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			x, err := excelize.OpenFile(path)
			require.NoError(b, err)
			rows, err := x.Rows("Sheet1")
			require.NoError(b, err)
			n := 0
			for rows.Next() {
				cells, err := rows.Columns(excelize.Options{RawCellValue: true})
				require.NoError(b, err)
				n += len(cells)
			}
			_ = rows.Close()
			_ = x.Close()
		}
	})
}
