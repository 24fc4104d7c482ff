package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// cellKey is a cell position: 1-based row, 0-based column.
type cellKey struct{ row, col int }

// cellScan is what excelize's row iterator does not tell: cells whose formula
// has no saved value, and number cells stored in scientific notation.
type cellScan struct {
	problems map[int]map[int]string // row → column → problem
	sci      map[cellKey]bool       // number cells written like 4.1655501E9
}

// problemsFor returns the problems of row, or nil.
func (s *cellScan) problemsFor(row int) map[int]string {
	if s == nil {
		return nil
	}
	return s.problems[row]
}

// isSci reports whether the cell is a number stored in scientific notation.
func (s *cellScan) isSci(row, col int) bool {
	return s != nil && s.sci[cellKey{row, col}]
}

// scanChunk is the read size of the cheap first pass over a worksheet part.
const scanChunk = 64 << 10

// scanPart looks for formula cells and scientific-notation numbers in a
// worksheet part. A first pass searches the bytes; only when it finds "<f"
// or a value like "<v>1.5E9" does a second pass decode the XML tokens,
// streaming, to find the cells. It returns nil when there is nothing to say.
func scanPart(f *zip.File, limit int64) (*cellScan, error) {
	hasF, hasSci, err := prescan(f, limit)
	if err != nil || (!hasF && !hasSci) {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.Name, err)
	}
	defer rc.Close()
	return decodeCells(io.LimitReader(rc, limit))
}

// prescan streams the part's bytes and reports whether it may hold a formula
// and whether it may hold a number in scientific notation.
func prescan(f *zip.File, limit int64) (hasF, hasSci bool, err error) {
	rc, err := f.Open()
	if err != nil {
		return false, false, fmt.Errorf("open %s: %w", f.Name, err)
	}
	defer rc.Close()
	r := io.LimitReader(rc, limit)
	const overlap = 64
	buf := make([]byte, overlap+scanChunk)
	kept := 0
	for {
		n, rerr := io.ReadFull(r, buf[kept:])
		chunk := buf[:kept+n]
		hasF = hasF || hasFormulaTag(chunk)
		hasSci = hasSci || hasSciValue(chunk)
		if hasF && hasSci {
			return true, true, nil
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
				return hasF, hasSci, nil
			}
			return hasF, hasSci, fmt.Errorf("read %s: %w", f.Name, rerr)
		}
		kept = copy(buf, chunk[len(chunk)-overlap:])
	}
}

// hasFormulaTag reports whether b holds a <f> element start (with or without
// a namespace prefix): "<f>", "<f ", "<f/", ":f>" or ":f ". It looks only at
// each 'f' (rare in a worksheet's markup), found with bytes.IndexByte.
func hasFormulaTag(b []byte) bool {
	for i := 1; i < len(b)-1; i++ {
		k := bytes.IndexByte(b[i:len(b)-1], 'f')
		if k < 0 {
			return false
		}
		i += k
		switch b[i-1] {
		case '<':
			if c := b[i+1]; c == '>' || c == ' ' || c == '/' {
				return true
			}
		case ':':
			if c := b[i+1]; c == '>' || c == ' ' {
				return true
			}
		}
	}
	return false
}

// hasSciValue reports whether b holds a <v> value written in scientific
// notation, such as <v>4.1655501E9</v>: "v>", an optional sign, digits or
// dots, then 'E' or 'e'. It looks only at each 'E' and 'e' and walks back
// from it, rather than at every value.
func hasSciValue(b []byte) bool {
	return hasSciBefore(b, 'E') || hasSciBefore(b, 'e')
}

// hasSciBefore reports whether some exp byte in b ends a value as
// hasSciValue describes.
func hasSciBefore(b []byte, exp byte) bool {
	for i := 0; i < len(b); i++ {
		k := bytes.IndexByte(b[i:], exp)
		if k < 0 {
			return false
		}
		i += k
		j := i
		for j > 0 && (b[j-1] >= '0' && b[j-1] <= '9' || b[j-1] == '.') {
			j--
		}
		if j == i {
			continue // no digits before it
		}
		if j > 0 && (b[j-1] == '-' || b[j-1] == '+') {
			j--
		}
		if j >= 2 && b[j-2] == 'v' && b[j-1] == '>' {
			return true
		}
	}
	return false
}

// decodeCells walks the worksheet XML tokens and records formula cells
// without a saved value and number cells in scientific notation.
func decodeCells(r io.Reader) (*cellScan, error) {
	s := &cellScan{problems: map[int]map[int]string{}, sci: map[cellKey]bool{}}
	d := xml.NewDecoder(r)
	var (
		row, col     int
		inCell       bool
		cellType     string
		inF, inV     bool
		hasF, hasV   bool
		fText, vText strings.Builder
	)
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("worksheet XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				row++
				if v := attr(t, "r"); v != "" {
					if n, err := strconv.Atoi(v); err == nil && n > 0 {
						row = n
					}
				}
				col = -1
			case "c":
				col++
				if v := attr(t, "r"); v != "" {
					if c, _, err := excelize.CellNameToCoordinates(v); err == nil {
						col = c - 1
					}
				}
				inCell, cellType = true, attr(t, "t")
				hasF, hasV = false, false
				fText.Reset()
				vText.Reset()
			case "f":
				inF, hasF = inCell, inCell || hasF
			case "v":
				inV, hasV = inCell, inCell || hasV
			}
		case xml.CharData:
			if inF && fText.Len() < 1024 {
				fText.Write(t)
			}
			if inV && vText.Len() < 1024 {
				vText.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "f":
				inF = false
			case "v":
				inV = false
			case "c":
				if inCell {
					s.endCell(row, col, cellType, hasF, hasV, fText.String(), strings.TrimSpace(vText.String()))
				}
				inCell = false
			}
		}
	}
	if len(s.problems) == 0 && len(s.sci) == 0 {
		return nil, nil
	}
	return s, nil
}

// endCell records what a finished <c> element tells.
func (s *cellScan) endCell(row, col int, cellType string, hasF, hasV bool, formula, value string) {
	if hasF && value == "" && (!hasV || (cellType != "str" && cellType != "inlineStr")) {
		if s.problems[row] == nil {
			s.problems[row] = map[int]string{}
		}
		s.problems[row][col] = formulaProblem(formula)
	}
	if (cellType == "" || cellType == "n") && strings.ContainsAny(value, "eE") {
		s.sci[cellKey{row, col}] = true
	}
}

// formulaProblem is the message for a formula cell without a saved value.
func formulaProblem(formula string) string {
	const fix = "has no saved value: open the file in Excel or LibreOffice, let it calculate, and save it again"
	formula = strings.TrimSpace(formula)
	if formula == "" {
		return "formula " + fix
	}
	if r := []rune(formula); len(r) > 80 {
		formula = string(r[:77]) + "..."
	}
	return "formula =" + formula + " " + fix
}

// attr returns the value of the attribute with local name name, or "".
func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
