package sheet

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

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

// TestOpenOnSheets: OnSheets is called once, before any chunk, with the
// worksheets in workbook order (a chart sheet left out, as it is not read),
// or a single "" for a CSV file.
func TestOpenOnSheets(t *testing.T) {
	f := excelize.NewFile()
	t.Cleanup(func() { _ = f.Close() })
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"a", "b"}))
	require.NoError(t, f.SetSheetRow("Sheet1", "A2", &[]any{"x", 1}))
	require.NoError(t, f.AddChartSheet("Chart", &excelize.Chart{Type: excelize.Col,
		Series: []excelize.ChartSeries{{Name: "Sheet1!$A$1", Categories: "Sheet1!$A$2", Values: "Sheet1!$B$2"}}}))
	_, err := f.NewSheet("Later")
	require.NoError(t, err)
	require.NoError(t, f.SetSheetRow("Later", "A1", &[]any{"c"}))
	require.NoError(t, f.SetSheetRow("Later", "A2", &[]any{"y"}))
	require.Equal(t, []string{"Sheet1", "Chart", "Later"}, f.GetSheetList())
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	require.NoError(t, err)

	cases := []struct {
		name string
		data []byte
		want []string
	}{
		{"book.xlsx", buf.Bytes(), []string{"Sheet1", "Later"}},
		{"rows.csv", []byte("a;b\nx;1\n"), []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var calls [][]string
			var events []string
			wb, err := Open(writeTemp(t, c.name, c.data), Options{
				OnSheets: func(names []string) { calls = append(calls, names); events = append(events, "sheets") },
				OnRows:   func(tab *Table, _ []Record) { events = append(events, "rows "+tab.Name) },
			})
			require.NoError(t, err)
			require.Len(t, calls, 1, "called once")
			assert.Equal(t, c.want, calls[0])
			var read []string
			for _, tab := range wb.Sheets {
				read = append(read, tab.Name)
			}
			assert.Equal(t, c.want, read, "the names are the tables read")
			require.NotEmpty(t, events)
			assert.Equal(t, "sheets", events[0], "before any chunk")
			assert.Len(t, events, 1+len(c.want))
		})
	}
}
