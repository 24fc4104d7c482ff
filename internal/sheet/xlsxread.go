package sheet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/xuri/excelize/v2"
)

// readXLSX reads every worksheet of an XLSX package, in workbook order.
func readXLSX(data []byte, base string, opts Options) ([]*Table, error) {
	idx, parts, err := openPackage(bytes.NewReader(data), int64(len(data)), base, opts)
	if err != nil {
		return nil, err
	}

	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    opts.MaxUnzipSize,
		UnzipXMLSizeLimit: min(opts.MaxUnzipSize, xmlMemLimit),
	})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			return nil, newFileError(ErrTooLarge, err, "%s is too large: split it into smaller files", base)
		}
		return nil, damaged(base, err)
	}
	defer f.Close()

	var names []string
	for _, name := range f.GetSheetList() {
		if _, isWorksheet := parts[name]; isWorksheet {
			names = append(names, name) // not a chart sheet or dialog sheet: no cells
		}
	}
	if opts.OnSheets != nil {
		opts.OnSheets(slices.Clone(names))
	}
	var tables []*Table
	for _, name := range names {
		part := parts[name]
		var scan *cellScan
		last := math.MaxInt
		if zf := idx.find(part); zf != nil {
			if scan, err = scanPart(zf, opts.MaxUnzipSize); err != nil {
				return nil, damaged(base, fmt.Errorf("sheet %q: %w", display.Line(name), err))
			}
			if last, err = partLastValueRow(zf, opts.MaxUnzipSize); err != nil {
				return nil, damaged(base, fmt.Errorf("sheet %q: %w", display.Line(name), err))
			}
		}
		t, err := readSheet(f, name, scan, last, base, opts)
		if err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	return tables, nil
}

// partLastValueRow opens a worksheet part and returns lastValueRow of it.
func partLastValueRow(zf *zip.File, limit int64) (int, error) {
	rc, err := zf.Open()
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", zf.Name, err)
	}
	defer rc.Close()
	return lastValueRow(io.LimitReader(rc, limit))
}

// readSheet streams one worksheet with excelize's row iterator, up to row
// last (the last that may hold a value: lastValueRow), so that neither a
// gap in the row numbers nor a run of empty rows ends the read early. The
// first non-empty row is the header; Record.Num is the real spreadsheet
// row number (the iterator yields every row number, including missing
// ones, in order, as lastValueRow made sure they increase).
func readSheet(f *excelize.File, name string, scan *cellScan, last int, base string, opts Options) (*Table, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, damaged(base, fmt.Errorf("sheet %q: %w", name, err))
	}
	defer rows.Close()

	t := &Table{Name: name}
	rowNum := 0
	chunks := chunker{opts: opts}
	for rowNum < last && rows.Next() {
		rowNum++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, damaged(base, fmt.Errorf("sheet %q row %d: %w", name, rowNum, err))
		}
		problems := scan.problemsFor(rowNum)
		used := usedLen(cells)
		if used == 0 && len(problems) == 0 {
			continue
		}
		if used > opts.MaxColumns {
			return nil, newFileError(ErrTooLarge, nil,
				"%s: sheet %q row %d has %d columns, the limit is %d: remove the extra columns", base, name, rowNum, used, opts.MaxColumns)
		}
		for i, c := range cells {
			if scan.isSci(rowNum, i) {
				cells[i] = plainNumber(c)
			}
		}
		if t.Header == nil {
			t.Header = trimAll(cells[:used])
			continue
		}
		if t.Rows >= opts.MaxRows {
			return nil, newFileError(ErrTooLarge, nil,
				"%s: sheet %q has more than %d rows: split it into smaller files", base, name, opts.MaxRows)
		}
		rec := Record{Num: rowNum, Line: rowNum, Cells: fit(cells, len(t.Header))}
		if len(problems) > 0 {
			rec.Problems = make(map[int]string, len(problems))
			for col, p := range problems {
				rec.Problems[col] = p
				for len(rec.Cells) <= col {
					rec.Cells = append(rec.Cells, "")
				}
				rec.Cells[col] = ""
			}
		}
		chunks.add(t, rec)
	}
	if err := rows.Error(); err != nil {
		return nil, damaged(base, fmt.Errorf("sheet %q: %w", name, err))
	}
	if rowNum < last && last != math.MaxInt {
		// excelize's iterator ends at the first XML it cannot decode:
		// the rows after it would be lost without a word.
		return nil, damaged(base, fmt.Errorf("sheet %q: the rows after row %d cannot be read, though row %d holds values", display.Line(name), rowNum, last))
	}
	chunks.flush(t)
	return t, nil
}
