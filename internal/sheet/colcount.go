package sheet

import (
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"os"
	"path/filepath"
)

// ValueCounts counts the values of one column of one sheet, as hashes: a
// hash collision only over-counts. A nil *ValueCounts, or one marked
// unknown (a sheet whose cells could not be read with certainty), answers
// math.MaxInt for every value: the caller then waits for the end of the
// file, which is always safe.
type ValueCounts struct {
	seed    maphash.Seed
	counts  map[uint64]int32
	unknown bool
	size    SheetSize
}

// Size bounds the sheet's records as Open reads them: at least as many
// records, a last record number at least as high, a widest record at least
// as wide (counting the header). Zero fields when unknown.
func (c *ValueCounts) Size() SheetSize {
	if c == nil || c.unknown {
		return SheetSize{}
	}
	return c.size
}

func newValueCounts() *ValueCounts {
	return &ValueCounts{seed: maphash.MakeSeed(), counts: map[uint64]int32{}}
}

// add counts one cell holding value (already normalised); "" is not counted.
func (c *ValueCounts) add(value string) {
	if value == "" {
		return
	}
	c.counts[maphash.String(c.seed, value)]++
}

// Count returns how many cells of the column hold value (after norm). It
// never returns less than the true count; it may return more (hash
// collisions, or a cell counted under every decoding it might have), which
// only makes the caller wait longer. For "" (blank cells are not counted),
// for a nil receiver and for a sheet whose cells could not be read with
// certainty it returns math.MaxInt.
func (c *ValueCounts) Count(value string) int {
	if c == nil || c.unknown || value == "" {
		return math.MaxInt
	}
	return int(c.counts[maphash.String(c.seed, value)])
}

// Unknown reports whether the sheet could not be counted with certainty, so
// that Count answers math.MaxInt for every value.
func (c *ValueCounts) Unknown() bool { return c == nil || c.unknown }

// CountColumn reads the file at path once, quickly, and counts the values of
// one column per worksheet, so that a caller streaming Open's records knows
// when the last row holding a value has been seen.
//
// column(sheet, header) gives the index of the column to count in that sheet
// (header is the sheet's header row exactly as Open returns it in
// Table.Header: the first non-empty row, trimmed), or -1 to skip the sheet.
// norm is applied to each cell value before counting (nil = none). The map is
// keyed by sheet name ("" for a CSV); it holds every sheet column did not
// skip, and every sheet whose header could not be read with certainty (that
// one unknown: Count answers math.MaxInt). A sheet missing from the map gives
// a nil *ValueCounts, whose Count is math.MaxInt too.
//
// The guarantee, for every file Open accepts: for each counted column and
// each value v, Count(norm(v)) ≥ the number of records of Open's table for
// that sheet whose cell in that column, normalised, is norm(v). Rows Open
// would not read (beyond MaxEmptyRun, cells whose formula has no saved
// value) may still be counted. Files Open refuses may give an error or
// counts: the caller reads them with Open anyway.
func CountColumn(path string, opts Options, column func(sheet string, header []string) int, norm func(string) string) (counts map[string]*ValueCounts, err error) {
	opts = opts.withDefaults()
	if norm == nil {
		norm = func(s string) string { return s }
	}
	base := filepath.Base(path)
	defer func() { // as Open: a panic while decoding is a damaged file, never a crash
		if r := recover(); r != nil {
			counts, err = nil, damaged(base, fmt.Errorf("unexpected content: %v", r))
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return nil, openError(base, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, openError(base, err)
	}
	if err := checkInput(st, base, opts); err != nil {
		return nil, err
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	switch detect(head[:n], base) {
	case kindZip:
		return countXLSX(f, st.Size(), base, opts, column, norm)
	case kindText:
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, openError(base, err)
		}
		return countCSV(data, base, column, norm)
	}
	return nil, newFileError(ErrNotSpreadsheet, nil,
		"%s is not a spreadsheet orderdrop can count: save it as .xlsx (Excel Workbook) or .csv", base)
}

// countCSV counts one column of a CSV file, reading it as readCSV does
// (same decoding, delimiter and quoting), without keeping the records.
func countCSV(data []byte, base string, column func(string, []string) int, norm func(string) string) (map[string]*ValueCounts, error) {
	text, view, enc, err := decodeText(data)
	if err != nil {
		return nil, newFileError(ErrNotSpreadsheet, err, "%s: cannot decode the text as %s", base, enc)
	}
	r := csv.NewReader(text)
	r.Comma = sniffDelimiter(view)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true

	var vc *ValueCounts
	col := -1
	haveHeader := false
	num := 0 // as readCSV numbers records
	var size SheetSize
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, newFileError(ErrMalformedCSV, pe.Err, "%s: line %d, column %d: the CSV cannot be read", base, pe.StartLine, pe.Column)
			}
			return nil, fmt.Errorf("count CSV %s: %w", base, err)
		}
		num++
		used := usedLen(rec)
		if haveHeader && used > 0 {
			size.Rows++
			size.LastRow = num
			size.Width = max(size.Width, used)
		}
		if !haveHeader {
			if used > 0 {
				size.Width = used
				haveHeader = true
				if col = column("", trimAll(rec[:used])); col < 0 {
					return map[string]*ValueCounts{}, nil
				}
				vc = newValueCounts()
			}
			continue
		}
		if col < len(rec) {
			vc.add(norm(rec[col]))
		}
	}
	if vc == nil {
		return map[string]*ValueCounts{}, nil
	}
	vc.size = size
	return map[string]*ValueCounts{"": vc}, nil
}
