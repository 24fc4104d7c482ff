package sheet

// Default limits used by Open when an Options field is zero.
const (
	// DefaultMaxRows is the default maximum number of data rows per sheet.
	DefaultMaxRows = 200_000
	// DefaultMaxColumns is the default maximum number of columns per sheet.
	DefaultMaxColumns = 256
	// DefaultMaxUnzipSize is the default limit on an XLSX file's total
	// unzipped size, and on any input file's size, in bytes (512 MiB).
	DefaultMaxUnzipSize = 512 << 20
	// DefaultMaxEmptyRun was the default of Options.MaxEmptyRun, which is
	// no longer used.
	DefaultMaxEmptyRun = 1_000
	// DefaultChunkRows is the default number of records handed to
	// Options.OnRows at a time.
	DefaultChunkRows = 2048
)

// xmlMemLimit is the size above which excelize leaves a worksheet's XML or
// the shared strings in a temporary file instead of holding them in memory.
// excelize's own default (16 MiB) keeps the shared strings of a 100,000-row
// workbook (10 MB of XML) decoded in memory, some 130 MiB with their index;
// spilled, they cost a file offset each and a read per looked-up string.
// A variable so that tests read the same files both ways.
var xmlMemLimit int64 = 1 << 20

// Options bounds what Open accepts, so that a hostile or runaway file cannot
// exhaust memory. The zero value is ready to use: every zero field takes its
// documented default.
type Options struct {
	// MaxRows is the maximum number of data rows (non-empty rows after the
	// header) per sheet; more gives ErrTooLarge. 0 means DefaultMaxRows
	// (200,000).
	MaxRows int
	// MaxColumns is the maximum number of columns holding a value; a
	// non-empty cell beyond it gives ErrTooLarge. 0 means DefaultMaxColumns
	// (256).
	MaxColumns int
	// MaxUnzipSize limits the input file's size and, for XLSX, the total
	// size of its unzipped parts, in bytes; more gives ErrTooLarge.
	// 0 means DefaultMaxUnzipSize (512 MiB).
	MaxUnzipSize int64
	// MaxEmptyRun is no longer used: an XLSX sheet is read up to its last
	// row that may hold a value, whatever the empty rows or gaps in the
	// row numbers before it, so that no row is ever left unread; a sheet
	// formatted down to row 1,048,576 still stops at its last value. It is
	// kept so that callers setting it still compile.
	MaxEmptyRun int
	// OnRows, when set, is called while the file is read with each next
	// chunk of a table's records, in file order, once the table's Name and
	// Header are set, so that checking them overlaps reading the rest. The
	// records are also kept in Table.Records unless DropRecords is set; the
	// chunk must not be modified. It is called from the goroutine calling
	// Open; a slow OnRows slows the read. A file found damaged or too large
	// after some chunks still makes Open return its error. nil = no calls.
	OnRows func(t *Table, recs []Record)
	// ChunkRows is how many records OnRows gets at a time (the last chunk
	// of a table may be shorter). 0 means DefaultChunkRows (2,048).
	ChunkRows int
	// DropRecords, with OnRows set, keeps the records handed to OnRows out
	// of Table.Records: each table's Records stays empty and Table.Rows
	// counts the data rows read, so a caller that consumes the chunks holds
	// the file's rows only as long as it needs them. Each chunk is a slice
	// of its own, which the reader never touches again. Without OnRows it
	// has no effect. false = records kept in Table.Records, as well as
	// handed to OnRows.
	DropRecords bool
	// OnSheets, when set, is called once, before any call to OnRows, with
	// the names of the tables Open will read, in workbook order: the
	// worksheets of an XLSX workbook (chart and dialog sheets, which hold
	// no cells, are left out), a single "" for a CSV file. A caller can thus
	// know which sheets will come before the first rows do. It is called
	// from the goroutine calling Open, once the file is known to be a
	// spreadsheet; a file found damaged later still makes Open return its
	// error. nil = no call.
	OnSheets func(names []string)
	// SHA256, when set, is the hex SHA-256 of the file's content as the
	// caller computed it (Identify), so that the file is not hashed again:
	// Open returns it as Workbook.SHA256; a CSV file, which Open reads
	// twice, is still hashed on its second read and refused (ErrDamaged)
	// when that differs from it, as when the file changes between Open's
	// own reads; a workbook, read once, is not hashed. "" = Open hashes the
	// file itself.
	SHA256 string

	noHash bool // CountColumn: the content is checked by Open, not hashed here
}

// chunker collects a table's records and hands them to Options.OnRows as
// they are read.
type chunker struct {
	opts    Options
	sent    int      // records of the table already handed over (kept records)
	pending []Record // records not yet handed over (dropped records)
}

// dropping reports whether records go to OnRows only.
func (c *chunker) dropping() bool {
	return c.opts.DropRecords && c.opts.OnRows != nil
}

// add counts rec as one more data row of t, keeps it in t.Records or in
// the pending chunk, and hands the pending records over once a chunk is
// full.
func (c *chunker) add(t *Table, rec Record) {
	t.Rows++
	if !c.dropping() {
		t.Records = append(t.Records, rec)
		if c.opts.OnRows != nil && len(t.Records)-c.sent >= c.opts.ChunkRows {
			c.flush(t)
		}
		return
	}
	if c.pending == nil {
		// Grown by append up to ChunkRows, so a small sheet costs little.
		c.pending = make([]Record, 0, min(c.opts.ChunkRows, 256))
	}
	c.pending = append(c.pending, rec)
	if len(c.pending) >= c.opts.ChunkRows {
		c.flush(t)
	}
}

// flush hands over the records not yet handed over (the end of a table).
func (c *chunker) flush(t *Table) {
	if c.opts.OnRows == nil {
		return
	}
	if c.dropping() {
		if len(c.pending) > 0 {
			recs := c.pending
			c.pending = nil // the chunk is the caller's now
			c.opts.OnRows(t, recs[:len(recs):len(recs)])
		}
		return
	}
	if len(t.Records) == c.sent {
		return
	}
	n := len(t.Records)
	c.opts.OnRows(t, t.Records[c.sent:n:n])
	c.sent = n
}

// withDefaults returns opts with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.MaxColumns <= 0 {
		o.MaxColumns = DefaultMaxColumns
	}
	if o.MaxUnzipSize <= 0 {
		o.MaxUnzipSize = DefaultMaxUnzipSize
	}
	if o.MaxEmptyRun <= 0 {
		o.MaxEmptyRun = DefaultMaxEmptyRun
	}
	if o.ChunkRows <= 0 {
		o.ChunkRows = DefaultChunkRows
	}
	return o
}
