package sheet

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenHandsRowsOverWhileReading: with OnRows set, Open hands each
// table's records over in chunks, in file order, while it reads: the first
// chunk comes when only that chunk has been read, each sheet's chunks
// together are exactly its Records, and the header is set before the first.
func TestOpenHandsRowsOverWhileReading(t *testing.T) {
	const n, size = 25, 4
	var csv strings.Builder
	csv.WriteString("a;b\n")
	var xlsxRows strings.Builder
	xlsxRows.WriteString(row(1, is("A1", "a"), is("B1", "b")))
	for i := range n {
		fmt.Fprintf(&csv, "x%d;%d\n", i, i)
		if i == 10 {
			csv.WriteString(";\n") // a blank record: skipped, still counted
		}
		r := i + 2
		xlsxRows.WriteString(row(r, is(fmt.Sprintf("A%d", r), fmt.Sprintf("x%d", i)), num(fmt.Sprintf("B%d", r), fmt.Sprint(i))))
	}
	files := map[string][]byte{
		"rows.csv":  []byte(csv.String()),
		"rows.xlsx": rawXLSX(t, []rawSheet{{name: "one", data: xlsxRows.String()}, {name: "two", data: xlsxRows.String()}}, nil),
	}
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			path := writeTemp(t, name, data)
			got := map[*Table][]Record{}
			var readAtCall []int
			wb, err := Open(path, Options{ChunkRows: size, OnRows: func(tab *Table, recs []Record) {
				require.Equal(t, []string{"a", "b"}, tab.Header, "the header is set before the first chunk")
				assert.LessOrEqual(t, len(recs), size)
				readAtCall = append(readAtCall, len(tab.Records))
				got[tab] = append(got[tab], recs...)
			}})
			require.NoError(t, err)
			for _, tab := range wb.Sheets {
				assert.Equal(t, tab.Records, got[tab], "sheet %q: the chunks are the records, in order", tab.Name)
				assert.Len(t, tab.Records, n)
			}
			chunksPerSheet := (n + size - 1) / size
			assert.Len(t, readAtCall, chunksPerSheet*len(wb.Sheets))
			assert.Equal(t, size, readAtCall[0], "the first chunk is handed over before the rest is read")
		})
	}
}

// TestOpenDropRecords: with DropRecords, the chunks handed to OnRows are
// exactly the records a plain read keeps, no table keeps them, Table.Rows
// counts them, and MaxRows is still enforced by that count.
func TestOpenDropRecords(t *testing.T) {
	const n, size = 25, 4
	var csv strings.Builder
	csv.WriteString("a;b\n")
	var xlsxRows strings.Builder
	xlsxRows.WriteString(row(1, is("A1", "a"), is("B1", "b")))
	for i := range n {
		fmt.Fprintf(&csv, "x%d;%d\n", i, i)
		r := i + 2
		xlsxRows.WriteString(row(r, is(fmt.Sprintf("A%d", r), fmt.Sprintf("x%d", i)), num(fmt.Sprintf("B%d", r), fmt.Sprint(i))))
	}
	files := map[string][]byte{
		"rows.csv":  []byte(csv.String()),
		"rows.xlsx": rawXLSX(t, []rawSheet{{name: "one", data: xlsxRows.String()}, {name: "two", data: xlsxRows.String()}}, nil),
	}
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			path := writeTemp(t, name, data)
			plain, err := Open(path, Options{})
			require.NoError(t, err)
			for _, tab := range plain.Sheets {
				assert.Equal(t, n, tab.Rows, "sheet %q: Rows is set without OnRows too", tab.Name)
				assert.Len(t, tab.Records, n)
			}

			got := map[string][]Record{}
			var heldAtCall []int
			wb, err := Open(path, Options{ChunkRows: size, DropRecords: true, OnRows: func(tab *Table, recs []Record) {
				heldAtCall = append(heldAtCall, len(tab.Records))
				got[tab.Name] = append(got[tab.Name], recs...)
			}})
			require.NoError(t, err)
			require.Len(t, wb.Sheets, len(plain.Sheets))
			for i, tab := range wb.Sheets {
				assert.Empty(t, tab.Records, "sheet %q keeps no record", tab.Name)
				assert.Equal(t, n, tab.Rows, "sheet %q: Rows counts the rows read", tab.Name)
				assert.Equal(t, plain.Sheets[i].Header, tab.Header)
				assert.Equal(t, plain.Sheets[i].Records, got[tab.Name], "sheet %q: the chunks are the records of a plain read", tab.Name)
			}
			for _, held := range heldAtCall {
				assert.Zero(t, held, "no record is kept while reading")
			}

			_, err = Open(path, Options{MaxRows: n - 1, DropRecords: true, OnRows: func(*Table, []Record) {}})
			assert.ErrorIs(t, err, ErrTooLarge, "MaxRows is enforced on the count")
			_, err = Open(path, Options{MaxRows: n, DropRecords: true, OnRows: func(*Table, []Record) {}})
			assert.NoError(t, err)
		})
	}
}
