package sheet

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refRows returns rows first… of inline-string cells R<first>, R<first+1>…
// in column A.
func refRows(first, n int) string {
	var b strings.Builder
	for r := first; r < first+n; r++ {
		b.WriteString(row(r, is(fmt.Sprintf("A%d", r), fmt.Sprintf("R%d", r))))
	}
	return b.String()
}

// countRef counts the order_ref column of the sheet at path.
func countRef(t *testing.T, path string) (map[string]*ValueCounts, error) {
	t.Helper()
	return CountColumn(path, Options{}, func(_ string, h []string) int { return slices.Index(h, "order_ref") }, strings.TrimSpace)
}

func TestOpenXLSXReadsPastGapsAndEmptyRows(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       []int // the record numbers
	}{
		{"a gap in the numbering", row(1, is("A1", "order_ref")) + refRows(2, 5) + refRows(1200, 5),
			[]int{2, 3, 4, 5, 6, 1200, 1201, 1202, 1203, 1204}},
		{"a run of empty rows", row(1, is("A1", "order_ref")) + refRows(2, 1) + styledEmptyRows(3, 1500) + refRows(1503, 1),
			[]int{2, 1503}},
		{"rows without numbers after a gap", row(1, is("A1", "order_ref")) + refRows(2, 1) + row(3000) +
			`<row><c t="inlineStr"><is><t>X</t></is></c></row>`, []int{2, 3001}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "gap.xlsx", rawXLSX(t, []rawSheet{{name: "S", data: tc.data}}, nil))
			wb, err := Open(path, Options{})
			require.NoError(t, err)
			var got []int
			for _, r := range wb.Sheets[0].Records {
				got = append(got, r.Num)
			}
			assert.Equal(t, tc.want, got, "records read")
			assert.Equal(t, 1, checkCounts(t, path, Options{}), "counted exactly")
		})
	}
}

func TestXLSXRowNumbersDamaged(t *testing.T) {
	hdr := row(1, is("A1", "order_ref"))
	for _, tc := range []struct {
		name, data, want string
	}{
		{"lower than the row before", hdr + refRows(2, 3) + row(3, is("B3", "x")), "row 3 comes after row 4"},
		{"a row twice", hdr + refRows(2, 3) + row(4, is("A4", "R9")), "row 4 appears twice"},
		{"numbered 0", hdr + refRows(2, 1) + `<row r="0"><c t="inlineStr"><is><t>R</t></is></c></row>`, `numbered "0"`},
		{"numbered with a space", hdr + refRows(2, 1) + `<row r=" 4"><c t="inlineStr"><is><t>R</t></is></c></row>`, `numbered " 4"`},
		{"a cell in row 0", hdr + `<row r="2"><c r="A0" t="inlineStr"><is><t>R</t></is></c></row>`, `"A0"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "bad.xlsx", rawXLSX(t, []rawSheet{{name: "S", data: tc.data}}, nil))
			_, err := Open(path, Options{})
			require.ErrorIs(t, err, ErrDamaged, "Open")
			_, cerr := countRef(t, path)
			require.ErrorIs(t, cerr, ErrDamaged, "CountColumn refuses what Open refuses")
			assert.Contains(t, cerr.Error(), tc.want)
			assert.Contains(t, cerr.Error(), "bad.xlsx")
		})
	}
}

func TestCountColumnSharedStringsOnlyDirectItems(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
	data := row(1, `<c r="A1" t="s"><v>0</v></c>`) + row(2, `<c r="A2" t="s"><v>1</v></c>`) + row(3, `<c r="A3" t="s"><v>2</v></c>`) +
		row(4, `<c r="A4" t="s"><v>2</v></c>`)
	for _, tc := range []struct {
		name, sst string
	}{
		{"an si inside extLst", head + `<si><t>order_ref</t></si><extLst><si><t>ghost</t></si></extLst><si><t>R1</t></si><si><t>R2</t></si></sst>`},
		{"an si inside an unknown element", head + `<si><t>order_ref</t></si><x><si><t>ghost</t></si></x><si><t>R1</t></si><si><t>R2</t></si></sst>`},
		{"an si inside an si", head + `<si><t>order_ref</t><y><si><t>ghost</t></si></y></si><si><t>R1</t></si><si><t>R2</t></si></sst>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "sst.xlsx", rawXLSX(t, []rawSheet{{name: "S", data: data}},
				map[string]string{"xl/sharedStrings.xml": tc.sst}))
			checkCounts(t, path, Options{})
			counts, err := countRef(t, path)
			require.NoError(t, err)
			if vc := counts["S"]; vc != nil && !vc.Unknown() {
				assert.GreaterOrEqual(t, vc.Count("R2"), 2, "R2's rows")
			}
		})
	}
}

func TestCountColumnRowNumberError(t *testing.T) {
	var n rowNumbering
	for _, attrs := range []string{``, ` r="2"`, ` spans="1:2"`, ` x:r="9"`} {
		_, err := n.next([]byte(attrs))
		require.NoError(t, err, "attrs %q", attrs)
	}
	assert.Equal(t, 9, n.cur)
	_, err := n.next([]byte(` r="9"`))
	assert.True(t, errors.Is(err, errRowNumber))
}

// TestOpenXLSXRefusesRowsItCannotReach: excelize's row iterator ends
// without an error at XML it cannot decode; Open refuses the file rather
// than lose the rows after it.
func TestOpenXLSXRefusesRowsItCannotReach(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"a mismatched end tag", row(1, is("A1", "order_ref")) + refRows(2, 2) + `<row r="4"><c r="A4" t="inlineStr"><is><t>R4</t></is></row>` + refRows(5, 2)},
		{"an unknown entity", row(1, is("A1", "order_ref")) + refRows(2, 2) + `<row r="4"><c r="A4" t="inlineStr"><is><t>R&bogus;</t></is></c></row>` + refRows(5, 2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "cut.xlsx", rawXLSX(t, []rawSheet{{name: "S", data: tc.data}}, nil))
			wb, err := Open(path, Options{})
			if err == nil {
				t.Fatalf("got %d records and no error, want the file refused as damaged", wb.Sheets[0].Rows)
			}
			require.ErrorIs(t, err, ErrDamaged)
		})
	}
}

// TestCountColumnMismatchedTagsUnknown: a worksheet whose end tags do not
// match their starts, which Open refuses, is not counted with certainty,
// so nothing of it is sent before Open has read it.
func TestCountColumnMismatchedTagsUnknown(t *testing.T) {
	path := writeTemp(t, "cut.xlsx", rawXLSX(t, []rawSheet{{name: "S", data: row(1, is("A1", "order_ref")) + refRows(2, 2) +
		`<row r="4"><c r="A4"><v>1</v></x></c></row>` + refRows(5, 2)}}, nil))
	_, err := Open(path, Options{})
	require.ErrorIs(t, err, ErrDamaged, "Open")
	counts, err := countRef(t, path)
	require.NoError(t, err)
	assert.True(t, counts["S"].Unknown(), "counted with certainty")
}

// TestCountColumnXMLErrorsUnknown: XML excelize's decoder refuses (an
// unknown entity in a value the first pass need not decode, in an
// attribute, between elements) ends Open's read, which then refuses the
// file: the first pass must not count such a sheet with certainty, or the
// orders of its first rows would be sent before the refusal.
func TestCountColumnXMLErrorsUnknown(t *testing.T) {
	head := row(1, is("A1", "order_ref"), is("B1", "b")) + `<row r="2">` + is("A2", "R1")
	tail := `</row>` + row(3, is("A3", "R3"))
	for _, tc := range []struct{ name, cell string }{
		{"an unknown entity in another column's value", `<c r="B2" t="str"><v>x&bogus;</v></c>`},
		{"an unknown entity in an attribute", `<c r="B2" s="&bogus;"><v>1</v></c>`},
		{"an unknown entity between elements", `<c r="B2"><v>1</v></c>&bogus;`},
		{"a reference to a character XML forbids", `<c r="B2" t="str"><v>x&#1;</v></c>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "bad.xlsx", rawXLSX(t, []rawSheet{{name: "S", data: head + tc.cell + tail}}, nil))
			_, err := Open(path, Options{})
			require.ErrorIs(t, err, ErrDamaged, "Open")
			counts, err := countRef(t, path)
			if err == nil {
				assert.True(t, counts["S"].Unknown(), "counted with certainty")
			}
		})
	}
}

// TestCountColumnBadCharactersUnknown: characters XML forbids, or bytes
// that are not UTF-8, in a value the first pass need not decode or between
// elements, stop excelize's iterator as an unknown entity does.
func TestCountColumnBadCharactersUnknown(t *testing.T) {
	head := row(1, is("A1", "order_ref"), is("B1", "b")) + `<row r="2">` + is("A2", "R1")
	tail := `</row>` + row(3, is("A3", "R3"))
	for _, tc := range []struct{ name, cell string }{
		{"a control character in another column's value", "<c r=\"B2\" t=\"str\"><v>x\x01</v></c>"},
		{"bytes that are not UTF-8 in another column's value", "<c r=\"B2\" t=\"str\"><v>x\xff</v></c>"},
		{"a control character between elements", "<c r=\"B2\"><v>1</v></c>\x02"},
		{"a control character in an inline string", "<c r=\"B2\" t=\"inlineStr\"><is><t>x\x03</t></is></c>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "bad.xlsx", rawXLSX(t, []rawSheet{{name: "S", data: head + tc.cell + tail}}, nil))
			_, err := Open(path, Options{})
			require.ErrorIs(t, err, ErrDamaged, "Open")
			counts, err := countRef(t, path)
			if err == nil {
				assert.True(t, counts["S"].Unknown(), "counted with certainty")
			}
		})
	}
}
