package sheet

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/xuri/excelize/v2"
)

// errRowNumber is returned (wrapped, naming the row) when a worksheet's
// <row> elements are not numbered 1, 2, 3… upwards: a number that is not a
// plain positive integer, that repeats, or that is lower than the row
// before it. excelize's row iterator would merge or drop such rows, so
// both Open and CountColumn refuse the file as damaged.
var errRowNumber = errors.New("rows out of order")

// rowNumbering numbers a worksheet's <row> elements as excelize does (the
// r attribute, or one more than the row before) and refuses, with
// errRowNumber, a numbering under which excelize would not read each
// element as a row of its own.
type rowNumbering struct{ cur int }

// next returns the number of the row whose start tag has attrs.
func (n *rowNumbering) next(attrs []byte) (int, error) {
	num, set := 0, false
	var bad []byte
	eachAttr(attrs, func(key, val []byte) {
		if string(key) != "r" {
			return
		}
		v, ok := plainRowNumber(val)
		if !ok && bad == nil {
			bad = append([]byte{}, val...)
		}
		num, set = v, true
	})
	if bad != nil {
		return 0, fmt.Errorf("%w: the row after row %d is numbered %q, not a row number",
			errRowNumber, n.cur, display.Line(string(bad)))
	}
	if !set {
		num = n.cur + 1
	}
	switch {
	case num > excelize.TotalRows:
		return 0, fmt.Errorf("%w: row %d is beyond the last row a sheet may have (%d)", errRowNumber, num, excelize.TotalRows)
	case num == n.cur:
		return 0, fmt.Errorf("%w: row %d appears twice", errRowNumber, num)
	case num < n.cur:
		return 0, fmt.Errorf("%w: row %d comes after row %d", errRowNumber, num, n.cur)
	}
	n.cur = num
	return num, nil
}

// plainRowNumber parses a row number written as Excel writes it: digits
// only, no sign, space or leading zero, at least 1.
func plainRowNumber(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 || b[0] == '0' {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// lastValueRow streams a worksheet part and returns the number of the last
// row holding a cell that may have a value (a <v>, <is> or <f> element):
// Open reads up to that row, whatever the empty rows or gaps before it.
// A numbering excelize would not read row by row gives errRowNumber; a
// part that cannot be read to its end (cut inside a tag) an error too.
func lastValueRow(r io.Reader) (int, error) {
	s := &sheetScan{br: bufio.NewReaderSize(r, 64<<10)}
	var rows rowNumbering
	last := 0
	for {
		if err := s.skipText(); err != nil {
			switch {
			case errors.Is(err, io.EOF):
				return last, nil
			case errors.Is(err, errUnsure):
				return 0, errors.New("worksheet XML: text holding a reference XML cannot resolve")
			}
			return 0, fmt.Errorf("worksheet XML: %w", err)
		}
		tag, err := s.readTag()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return last, nil
			}
			return 0, fmt.Errorf("worksheet XML: %w", err)
		}
		if len(tag) == 0 || tag[0] == '!' {
			continue // comment, processing instruction, CDATA, DOCTYPE
		}
		if !refsValid(tag) {
			return 0, errors.New("worksheet XML: a reference XML cannot resolve in a tag")
		}
		if tag[0] == '/' {
			if name, _ := splitTag(tag[1:]); string(name) == "sheetData" {
				return last, nil // excelize's iterator stops there
			}
			continue
		}
		name, attrs := splitTag(tag)
		switch string(name) {
		case "row":
			if _, err := rows.next(attrs); err != nil {
				return 0, err
			}
		case "v", "is", "f":
			last = max(last, rows.cur)
		}
	}
}
