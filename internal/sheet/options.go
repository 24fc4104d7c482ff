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
	// DefaultMaxEmptyRun is the default number of consecutive empty rows
	// after which reading an XLSX sheet stops.
	DefaultMaxEmptyRun = 1_000
)

// xmlMemLimit is the size above which excelize spills a worksheet's XML to a
// temporary file instead of holding it in memory (excelize's own default).
const xmlMemLimit = 16 << 20

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
	// MaxEmptyRun stops reading an XLSX sheet after that many consecutive
	// empty rows (styled but empty rows included), so a sheet formatted down
	// to row 1,048,576 stays cheap. Rows beyond such a gap are not read.
	// 0 means DefaultMaxEmptyRun (1,000).
	MaxEmptyRun int
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
	return o
}
