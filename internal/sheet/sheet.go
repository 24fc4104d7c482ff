// Package sheet reads order spreadsheets (CSV and XLSX) into plain string
// records and writes result reports and templates. It knows nothing of order
// kinds: column meaning belongs to package order.
package sheet

// Format is the on-disk format of a workbook.
type Format int

const (
	// CSV is a delimited text file (',' ';' or tab), UTF-8 (with or without BOM) or Windows-1252.
	CSV Format = iota + 1
	// XLSX is an Office Open XML workbook.
	XLSX
)

// Workbook is one input file as read.
type Workbook struct {
	Path      string
	Format    Format
	Delimiter rune   // CSV only: the delimiter sniffed from the header line
	Encoding  string // CSV only: "utf-8", "utf-8-bom" or "windows-1252"
	SHA256    string // hex digest of the file's bytes
	Sheets    []*Table
}

// Table is one sheet of a workbook (a CSV file has exactly one, Name "").
type Table struct {
	Name    string   // sheet name; "" for CSV
	Header  []string // header cells exactly as in the file (row 1)
	Records []Record // data rows, empty rows skipped; empty when read with Options.DropRecords
	Rows    int      // number of data rows read (len(Records) unless Options.DropRecords)
	// Delimiter is a CSV table's delimiter, sniffed from its header line
	// (as Workbook.Delimiter), set before its first chunk goes to
	// Options.OnRows. 0 for XLSX.
	Delimiter rune
}

// Record is one data row.
type Record struct {
	Num   int      // spreadsheet row number (header = 1); for CSV the record number (header = 1)
	Line  int      // CSV: physical line where the record starts; XLSX: same as Num
	Cells []string // cell values in header order, padded to len(Header); numbers as plain decimal text, dates as Excel serial text
	// Problems maps a column index to what was wrong with that cell while
	// reading (e.g. a formula without a cached value). The cell's value is "".
	Problems map[int]string
}
