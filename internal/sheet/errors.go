package sheet

import "errors"

// Sentinel errors returned (wrapped, with the file's base name and what to do
// next) by Open. Test them with errors.Is.
var (
	// ErrOldExcel is returned when the file is an old Excel 97-2003 (.xls)
	// workbook (an OLE2/BIFF file), whatever its extension.
	ErrOldExcel = errors.New("old Excel 97-2003 (.xls) workbook")
	// ErrEncrypted is returned when the workbook is password-protected
	// (an encrypted OOXML package, which is stored as an OLE2 file).
	ErrEncrypted = errors.New("password-protected workbook")
	// ErrDamaged is returned when an XLSX file is a broken or truncated zip
	// or its XML cannot be read (for example a file still being copied).
	ErrDamaged = errors.New("damaged or incomplete file")
	// ErrNotSpreadsheet is returned when the file is neither an XLSX workbook
	// nor a CSV file (.csv/.txt).
	ErrNotSpreadsheet = errors.New("not a spreadsheet")
	// ErrTooLarge is returned when the file exceeds a limit of Options: its
	// size, its unzipped size, its rows per sheet or its columns.
	ErrTooLarge = errors.New("file too large")
	// ErrUnreadable is returned when orderdrop's user may not read the file
	// (its permissions); the error also wraps fs.ErrPermission.
	ErrUnreadable = errors.New("file not readable")
	// ErrMalformedCSV is returned when a CSV file cannot be parsed, for
	// example a stray double quote inside an unquoted field.
	ErrMalformedCSV = errors.New("malformed CSV")
)
