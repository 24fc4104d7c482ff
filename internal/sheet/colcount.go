package sheet

import (
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
// that sheet whose cell in that column, normalised, is norm(v). Cells Open
// reads as problems (a formula without a saved value) may still be
// counted. For a file Open refuses: a CSV file gives Open's own error (the
// same reader, limits included); a workbook whose rows are numbered out of
// order, twice or not as Excel writes them, or whose cells are misnamed,
// gives ErrDamaged (unknown counts when the scan gave up on the sheet
// before); another workbook Open refuses gives an error, a sheet
// counted as unknown, or a Size beyond Open's limits — so a caller that
// sends nothing before Open has read such a file sends nothing from it.
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
	f, err := openInput(path)
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
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, openError(base, err)
		}
		return countCSV(f, base, opts, column, norm)
	}
	return nil, newFileError(ErrNotSpreadsheet, nil,
		"%s is not a spreadsheet orderdrop can count: save it as .xlsx (Excel Workbook) or .csv", base)
}

// countCSV counts one column of a CSV file as Open reads it: through the
// same streaming reader (readCSVFile: same decoding, delimiter, quoting,
// line ends and limits, so that it refuses what Open refuses), keeping
// only the counts, never the file or its records.
func countCSV(f *os.File, base string, opts Options, column func(string, []string) int, norm func(string) string) (map[string]*ValueCounts, error) {
	var (
		vc      *ValueCounts
		col     = -1
		decided bool
		size    SheetSize
	)
	decide := func(t *Table) {
		if decided {
			return
		}
		decided = true
		size.Width = len(t.Header)
		if col = column("", t.Header); col >= 0 {
			vc = newValueCounts()
		}
	}
	opts.OnSheets = nil
	opts.DropRecords = true
	opts.noHash = true // only counted: Open checks the content
	opts.OnRows = func(t *Table, recs []Record) {
		decide(t)
		for _, r := range recs {
			size.Rows++
			size.LastRow = r.Num
			size.Width = max(size.Width, len(r.Cells))
			if vc != nil && col < len(r.Cells) {
				vc.add(norm(r.Cells[col]))
			}
		}
	}
	t, _, _, _, err := readCSVFile(f, base, opts)
	if err != nil {
		return nil, err
	}
	if t.Header == nil {
		return map[string]*ValueCounts{}, nil
	}
	decide(t)
	if vc == nil {
		return map[string]*ValueCounts{}, nil
	}
	vc.size = size
	return map[string]*ValueCounts{"": vc}, nil
}
