package sheet

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pitfallWorkbook is a workbook with the quirks users' files have.
func pitfallWorkbook(t testing.TB) []byte {
	t.Helper()
	orders := row(1, is("A1", " idn "), is("B1", "wanted_date"), is("C1", "offer_id"), is("D1", "ref")) +
		// a French number stored as a number: it lost its leading zero
		row(2, num("A2", "261910210"), num("B2", "46380.416666666701"), num("C2", "2201"), is("D2", "1E5")) +
		// a number Excel wrote in scientific notation; a formula without a saved value
		row(3, num("A3", "4.1655501E9"), num("B3", "46391"), `<c r="C3"><f>2200+1</f><v></v></c>`, is("D3", "x")) +
		// a formula with its saved value; a shared string-less text formula
		row(5, num("A5", "353010700"), `<c r="C5"><f>2200+2</f><v>2202</v></c>`, `<c r="D5" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>`) +
		// a row with only a formula without value is a record, not an empty row
		row(6, `<c r="C6"><f t="shared" si="0"/></c>`) +
		styledEmptyRows(7, 30)
	return rawXLSX(t, []rawSheet{
		{name: "fr-port", data: orders},
		{name: "empty", data: ""},
		{name: "header only", data: row(1, is("A1", "a"), is("B1", "b")) + styledEmptyRows(2, 5)},
	}, nil)
}

func TestOpenXLSXPitfalls(t *testing.T) {
	wb, err := Open(writeTemp(t, "orders.xlsx", pitfallWorkbook(t)), Options{})
	require.NoError(t, err)
	assert.Equal(t, XLSX, wb.Format)
	require.Len(t, wb.Sheets, 3)
	assert.Equal(t, []string{"fr-port", "empty", "header only"}, []string{wb.Sheets[0].Name, wb.Sheets[1].Name, wb.Sheets[2].Name},
		"sheets in workbook order")

	tb := wb.Sheets[0]
	assert.Equal(t, []string{"idn", "wanted_date", "offer_id", "ref"}, tb.Header, "header trimmed")
	require.Len(t, tb.Records, 4, "styled empty rows are not records")

	want := []struct {
		num      int
		cells    []string
		problems map[int]string
	}{
		{2, []string{"261910210", "46380.416666666701", "2201", "1E5"}, nil},
		{3, []string{"4165550100", "46391", "", "x"}, map[int]string{2: "formula =2200+1 has no saved value: open the file in Excel or LibreOffice, let it calculate, and save it again"}},
		{5, []string{"353010700", "", "2202", "ab"}, nil},
		{6, []string{"", "", "", ""}, map[int]string{2: "formula has no saved value: open the file in Excel or LibreOffice, let it calculate, and save it again"}},
	}
	for i, w := range want {
		got := tb.Records[i]
		assert.Equal(t, w.num, got.Num, "record %d: got Num %d want %d (the real row number)", i, got.Num, w.num)
		assert.Equal(t, w.num, got.Line, "record %d: got Line %d want %d", i, got.Line, w.num)
		assert.Equal(t, w.cells, got.Cells, "record %d cells", i)
		assert.Equal(t, w.problems, got.Problems, "record %d problems", i)
	}

	assert.Nil(t, wb.Sheets[1].Header, "an empty sheet has no header")
	assert.Empty(t, wb.Sheets[1].Records)
	assert.Equal(t, []string{"a", "b"}, wb.Sheets[2].Header)
	assert.Empty(t, wb.Sheets[2].Records)
}

func TestOpenXLSXMaxEmptyRun(t *testing.T) {
	data := rawXLSX(t, []rawSheet{{name: "S", data: row(1, is("A1", "a")) + row(2, is("A2", "x")) +
		styledEmptyRows(3, 10) + row(13, is("A13", "far"))}}, nil)
	path := writeTemp(t, "gap.xlsx", data)

	wb, err := Open(path, Options{MaxEmptyRun: 5})
	require.NoError(t, err)
	assert.Len(t, wb.Sheets[0].Records, 2, "a run of empty rows no longer ends the read: the rows after it would be lost")

	wb, err = Open(path, Options{})
	require.NoError(t, err)
	require.Len(t, wb.Sheets[0].Records, 2)
	assert.Equal(t, 13, wb.Sheets[0].Records[1].Num)
}

func TestOpenXLSXSharedStrings(t *testing.T) {
	sst := `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">` +
		`<si><t>name</t></si><si><t>Crêperie</t></si></sst>`
	data := rawXLSX(t, []rawSheet{{name: "S", data: row(1, `<c r="A1" t="s"><v>0</v></c>`) + row(2, `<c r="A2" t="s"><v>1</v></c>`)}},
		map[string]string{"xl/sharedStrings.xml": sst})
	// excelize finds sharedStrings through the workbook relationships.
	data = addRel(t, data, `<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
	wb, err := Open(writeTemp(t, "sst.xlsx", data), Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"name"}, wb.Sheets[0].Header)
	require.Len(t, wb.Sheets[0].Records, 1)
	assert.Equal(t, []string{"Crêperie"}, wb.Sheets[0].Records[0].Cells)
}

// addRel inserts a relationship into xl/_rels/workbook.xml.rels of an xlsx.
func addRel(t testing.TB, data []byte, rel string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		var b bytes.Buffer
		_, err = b.ReadFrom(rc)
		require.NoError(t, err)
		body := b.String()
		if f.Name == "xl/_rels/workbook.xml.rels" {
			body = strings.Replace(body, "</Relationships>", rel+"</Relationships>", 1)
		}
		w, err := zw.Create(f.Name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestOpenXLSXLimits(t *testing.T) {
	data := rawXLSX(t, []rawSheet{{name: "S", data: row(1, is("A1", "a"), is("B1", "b"), is("C1", "c")) +
		row(2, is("A2", "1")) + row(3, is("A3", "2")) + row(4, is("A4", "3"))}}, nil)
	path := writeTemp(t, "big.xlsx", data)

	_, err := Open(path, Options{MaxRows: 2})
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "big.xlsx")

	_, err = Open(path, Options{MaxColumns: 2})
	require.ErrorIs(t, err, ErrTooLarge)

	_, err = Open(path, Options{MaxUnzipSize: int64(len(data)) + 10})
	require.ErrorIs(t, err, ErrTooLarge, "unzipped parts are larger than the zip")
}

func TestOpenFileLevelErrors(t *testing.T) {
	ole := append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 504)...)
	encrypted := append(append([]byte{}, ole...), utf16le("EncryptedPackage")...)
	valid := pitfallWorkbook(t)
	tests := []struct {
		name     string
		file     string
		data     []byte
		want     error
		mentions []string
	}{
		{"xls renamed xlsx", "old.xlsx", ole, ErrOldExcel, []string{"old.xlsx", ".xls", "save it as .xlsx"}},
		{"xls named csv", "old.csv", ole, ErrOldExcel, []string{"old.csv"}},
		{"encrypted xlsx", "secret.xlsx", encrypted, ErrEncrypted, []string{"secret.xlsx", "password"}},
		{"random bytes named xlsx", "noise.xlsx", []byte("\x01\x02garbage\xff\xfe not a zip"), ErrNotSpreadsheet, []string{"noise.xlsx"}},
		{"empty xlsx", "empty.xlsx", nil, ErrDamaged, []string{"empty.xlsx", "incomplete"}},
		{"truncated zip", "cut.xlsx", valid[:len(valid)/2], ErrDamaged, []string{"cut.xlsx", "damaged or incomplete"}},
		{"zip magic then garbage", "junk.xlsx", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0x42}, 300)...), ErrDamaged, []string{"junk.xlsx"}},
		{"zip without workbook", "docs.xlsx", zipOf(t, map[string]string{"word/document.xml": "<w/>"}), ErrNotSpreadsheet, []string{"docs.xlsx"}},
		{"pdf", "letter.pdf", []byte("%PDF-1.4\n"), ErrNotSpreadsheet, []string{"letter.pdf"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wb, err := Open(writeTemp(t, tc.file, tc.data), Options{})
			require.ErrorIs(t, err, tc.want, "got %v", err)
			assert.Nil(t, wb)
			for _, m := range tc.mentions {
				assert.Contains(t, err.Error(), m)
			}
		})
	}
}

// zipOf builds a zip holding the given files.
func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestPlainNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"4.1655501E9", "4165550100"},
		{"1E+20", "100000000000000000000"},
		{"-2.5E3", "-2500"},
		{"1.5E-3", "0.0015"},
		{"261910210", "261910210"},
		{"46380.4166666667", "46380.4166666667"},
		{"E-mail", "E-mail"},
		{"1E999999", "1E999999"},
	}
	for _, tc := range tests {
		got := plainNumber(tc.in)
		assert.Equal(t, tc.want, got, "plainNumber(%q): got %q want %q", tc.in, got, tc.want)
	}
}
