package sheet

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenCSVBOMComma(t *testing.T) {
	path := filepath.Join("testdata", "orders-bom-comma.csv")
	wb, err := Open(path, Options{})
	require.NoError(t, err)

	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	sum := sha256.Sum256(raw)
	assert.Equal(t, hex.EncodeToString(sum[:]), wb.SHA256, "got SHA256 %s", wb.SHA256)
	assert.Equal(t, CSV, wb.Format)
	assert.Equal(t, ',', wb.Delimiter, "got delimiter %q want ','", wb.Delimiter)
	assert.Equal(t, EncodingUTF8BOM, wb.Encoding)
	require.Len(t, wb.Sheets, 1)
	tb := wb.Sheets[0]
	assert.Equal(t, "", tb.Name)
	assert.Equal(t, []string{"order_ref", "idn", "numbers", "customer_name"}, tb.Header, "BOM must be stripped from the first header cell")

	require.Len(t, tb.Records, 3, "the all-blank record ,,, is skipped")
	want := []struct {
		num, line int
		cells     []string
	}{
		{2, 2, []string{"A-1", "0261912000", "0261912000\r\n0261912001", "Zone artisanale du Moulin, bâtiment C"}},
		{3, 4, []string{"A-2", "0353012100", "0353012101", `Manufacture "La Lainière"`}},
		{5, 6, []string{"A-3", "0353012300", "0353012300", "Estaminet"}},
	}
	for i, w := range want {
		got := tb.Records[i]
		assert.Equal(t, w.num, got.Num, "record %d: got Num %d want %d", i, got.Num, w.num)
		assert.Equal(t, w.line, got.Line, "record %d: got Line %d want %d", i, got.Line, w.line)
		// encoding/csv turns a quoted CRLF into LF.
		wc := append([]string(nil), w.cells...)
		wc[2] = strings.ReplaceAll(wc[2], "\r\n", "\n")
		assert.Equal(t, wc, got.Cells, "record %d cells", i)
	}
}

func TestOpenCSVWindows1252Semicolon(t *testing.T) {
	wb, err := Open(filepath.Join("testdata", "orders-semicolon-cp1252.csv"), Options{})
	require.NoError(t, err)
	assert.Equal(t, ';', wb.Delimiter, "got delimiter %q want ';'", wb.Delimiter)
	assert.Equal(t, EncodingWindows1252, wb.Encoding)
	tb := wb.Sheets[0]
	assert.Equal(t, []string{"Order ref", "IDN", "Numéros", "Customer name"}, tb.Header)
	require.Len(t, tb.Records, 3)
	assert.Equal(t, "Les Sœurs Ménard", tb.Records[0].Cells[3])
	assert.Equal(t, "536491200", tb.Records[0].Cells[2], "a number that lost its zero stays as typed")
	assert.Equal(t, []string{"ECH-2", "0199001400", "0199001400", "Librairie L’Odyssée", " extra"}, tb.Records[1].Cells,
		"a value beyond the header is kept, not dropped")
	assert.Equal(t, "Œnothèque", tb.Records[2].Cells[3])
}

func TestOpenCSVCases(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		data      string
		delim     rune
		enc       string
		header    []string
		records   [][]string
		nums      []int
		lines     []int
		wantError error
	}{
		{name: "tab", file: "a.txt", data: "a\tb\n1\t2\n", delim: '\t', enc: EncodingUTF8,
			header: []string{"a", "b"}, records: [][]string{{"1", "2"}}, nums: []int{2}, lines: []int{2}},
		{name: "semicolon wins over comma in cells", file: "a.csv", data: "a;b;c\n1,5;2;3\n", delim: ';', enc: EncodingUTF8,
			header: []string{"a", "b", "c"}, records: [][]string{{"1,5", "2", "3"}}, nums: []int{2}, lines: []int{2}},
		{name: "delimiter inside quotes not counted", file: "a.csv", data: "\"x;y;z\",b\n1,2\n", delim: ',', enc: EncodingUTF8,
			header: []string{"x;y;z", "b"}, records: [][]string{{"1", "2"}}, nums: []int{2}, lines: []int{2}},
		{name: "short row padded, trailing blank cut", file: "a.csv", data: "a,b,c\n1\n4,5,6,,\n", delim: ',', enc: EncodingUTF8,
			header: []string{"a", "b", "c"}, records: [][]string{{"1", "", ""}, {"4", "5", "6"}}, nums: []int{2, 3}, lines: []int{2, 3}},
		{name: "header trimmed, blank lines skipped", file: "a.csv", data: " a , b \n\n,\n1,2\n", delim: ',', enc: EncodingUTF8,
			header: []string{"a", "b"}, records: [][]string{{"1", "2"}}, nums: []int{3}, lines: []int{4}},
		{name: "header only", file: "a.csv", data: "a;b\r\n", delim: ';', enc: EncodingUTF8,
			header: []string{"a", "b"}},
		{name: "empty file", file: "a.csv", data: "", delim: ',', enc: EncodingUTF8},
		{name: "utf-16le from Excel Unicode Text", file: "a.txt", data: "\xFF\xFEa\x00\t\x00b\x00\n\x001\x00\t\x002\x00\n\x00", delim: '\t', enc: EncodingUTF16LE,
			header: []string{"a", "b"}, records: [][]string{{"1", "2"}}, nums: []int{2}, lines: []int{2}},
		{name: "bare quote", file: "bad.csv", data: "a,b\n1,2\n3,x\"y\n", wantError: ErrMalformedCSV},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wb, err := Open(writeTemp(t, tc.file, []byte(tc.data)), Options{})
			if tc.wantError != nil {
				require.ErrorIs(t, err, tc.wantError)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.delim, wb.Delimiter, "got delimiter %q want %q", wb.Delimiter, tc.delim)
			assert.Equal(t, tc.enc, wb.Encoding)
			tb := wb.Sheets[0]
			assert.Equal(t, tc.header, tb.Header)
			require.Len(t, tb.Records, len(tc.records))
			for i, rec := range tb.Records {
				assert.Equal(t, tc.records[i], rec.Cells, "record %d", i)
				assert.Equal(t, tc.nums[i], rec.Num, "record %d: got Num %d want %d", i, rec.Num, tc.nums[i])
				assert.Equal(t, tc.lines[i], rec.Line, "record %d: got Line %d want %d", i, rec.Line, tc.lines[i])
			}
		})
	}
}

func TestOpenCSVMalformedNamesFileAndLine(t *testing.T) {
	_, err := Open(writeTemp(t, "orders.csv", []byte("a;b\n1;2\n3;x\"y\n")), Options{})
	require.ErrorIs(t, err, ErrMalformedCSV)
	assert.Contains(t, err.Error(), "orders.csv")
	assert.Contains(t, err.Error(), "line 3")
}

func TestOpenCSVLimits(t *testing.T) {
	_, err := Open(writeTemp(t, "a.csv", []byte("a\n1\n2\n3\n")), Options{MaxRows: 2})
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "a.csv")

	_, err = Open(writeTemp(t, "b.csv", []byte("a,b,c\n1,2,3\n")), Options{MaxColumns: 2})
	require.ErrorIs(t, err, ErrTooLarge)

	_, err = Open(writeTemp(t, "c.csv", []byte("a,b,c\n1,2,3\n")), Options{MaxUnzipSize: 4})
	require.ErrorIs(t, err, ErrTooLarge)
}

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		line string
		want rune
	}{
		{"a,b,c", ','},
		{"a;b;c", ';'},
		{"a\tb\tc", '\t'},
		{"a;b,c", ';'},        // tie: ';' first
		{"a,b\tc", ','},       // tie: ',' before tab
		{`"a;b;c",d`, ','},    // quoted delimiters do not count
		{"single", ','},       // nothing: ','
		{"a,b\nc;d;e;f", ','}, // only the first line counts
	}
	for _, tc := range tests {
		got := sniffDelimiter(tc.line)
		assert.Equal(t, tc.want, got, "sniffDelimiter(%q): got %q want %q", tc.line, got, tc.want)
	}
}
