package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/xuri/excelize/v2"
)

// countXLSX counts one column per worksheet of an XLSX package. Cells are
// decoded as excelize's row iterator (what Open uses) decodes them; anything
// this byte scanner is not sure to decode the same way marks the sheet
// unknown instead of guessing.
func countXLSX(r io.ReaderAt, size int64, base string, opts Options, column func(string, []string) int, norm func(string) string) (map[string]*ValueCounts, error) {
	idx, parts, err := openPackage(r, size, base, opts)
	if err != nil {
		return nil, err
	}
	var sst *sharedStrings
	if zf := idx.find("xl/sharedStrings.xml"); zf != nil {
		if sst, err = readSharedStrings(zf, opts.MaxUnzipSize); err != nil {
			return nil, damaged(base, err)
		}
	}
	out := map[string]*ValueCounts{}
	for name, part := range parts {
		zf := idx.find(part)
		if zf == nil {
			continue // nil counts: Count answers math.MaxInt
		}
		vc, err := countSheet(zf, sst, opts.MaxUnzipSize, func(h []string) int { return column(name, h) }, norm)
		if err != nil {
			return nil, damaged(base, fmt.Errorf("sheet %q: %w", name, err))
		}
		if vc != nil {
			out[name] = vc
		}
	}
	return out, nil
}

// sharedStrings is the shared-strings part, kept as its bytes and each
// item's place in them; items are decoded when a counted cell asks.
type sharedStrings struct {
	unknown bool     // the part could not be decoded with certainty
	raw     []byte   // the part's bytes
	items   []sstRef // one per <si>
	decoded map[int]string
}

// sstRef locates one item: the text of its single plain <t> in raw, or
// (start < 0) a string decoded up front into decoded.
type sstRef struct{ start, end int32 }

// readSharedStrings reads the shared-strings part. Items of the common
// shape <si><t>text</t></si> are kept as slices of the part; any other item
// (rich text runs, phonetic runs…) is decoded with encoding/xml into the
// same structure excelize uses, so its text is the same.
func readSharedStrings(f *zip.File, limit int64) (*sharedStrings, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.Name, err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	if n := f.UncompressedSize64; n < uint64(limit) {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, err = buf.ReadFrom(io.LimitReader(rc, limit))
	raw := buf.Bytes()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name, err)
	}
	s := &sharedStrings{raw: raw, decoded: map[int]string{}}
	if !plainUTF8XML(raw) || len(raw) > math32 ||
		bytes.Contains(raw, []byte("<!")) || bytes.Contains(raw, []byte(":si")) ||
		bytes.Contains(raw, []byte("purl.oclc.org")) {
		// Comments, CDATA, a DOCTYPE, prefixed elements, a strict-namespace
		// part (which excelize rewrites first) or another encoding.
		s.unknown = true
		return s, nil
	}
	// Only the <si> elements that are direct children of <sst> are items
	// (excelize decodes those alone): anything else between them, such as
	// an <extLst> that could hold an <si> of its own, makes the part unknown
	// rather than shift every index after it.
	b := raw
	root := bytes.Index(b, []byte("<sst"))
	if root < 0 {
		s.unknown = bytes.Contains(b, []byte("<si"))
		return s, nil
	}
	rootEnd := bytes.IndexByte(b[root:], '>')
	if rootEnd < 0 {
		s.unknown = true
		return s, nil
	}
	off := root + rootEnd + 1
	if b[off-2] == '/' { // <sst/>
		return s, nil
	}
	for {
		for off < len(b) && isSpace(b[off]) {
			off++
		}
		if bytes.HasPrefix(b[off:], []byte("</sst")) {
			break
		}
		i := off
		j := i + 3
		if !bytes.HasPrefix(b[i:], []byte("<si")) || j >= len(b) {
			s.unknown = true
			return s, nil
		}
		if c := b[j]; c != '>' && c != '/' && !isSpace(c) {
			s.unknown = true // <sis…>, not an item
			return s, nil
		}
		gt := bytes.IndexByte(b[j:], '>')
		if gt < 0 {
			s.unknown = true
			return s, nil
		}
		gt += j
		if b[gt-1] == '/' { // <si/>
			s.items = append(s.items, sstRef{0, 0})
			off = gt + 1
			continue
		}
		end := bytes.Index(b[gt:], []byte("</si>"))
		if end < 0 {
			s.unknown = true
			return s, nil
		}
		end += gt
		content := b[gt+1 : end]
		if t0, t1, ok := plainT(content); ok {
			s.items = append(s.items, sstRef{int32(gt + 1 + t0), int32(gt + 1 + t1)})
		} else {
			var si xmlSI
			if err := xml.Unmarshal(b[i:end+5], &si); err != nil {
				s.unknown = true
				return s, nil
			}
			s.decoded[len(s.items)] = si.String()
			s.items = append(s.items, sstRef{-1, -1})
		}
		off = end + 5
	}
	return s, nil
}

const math32 = 1<<31 - 1

// plainT reports whether content is exactly <t>text</t> (or with
// xml:space="preserve"), text holding no markup, and where text is.
func plainT(content []byte) (start, end int, ok bool) {
	var open []byte
	switch {
	case bytes.HasPrefix(content, []byte("<t>")):
		open = []byte("<t>")
	case bytes.HasPrefix(content, []byte(`<t xml:space="preserve">`)):
		open = []byte(`<t xml:space="preserve">`)
	default:
		return 0, 0, false
	}
	if !bytes.HasSuffix(content, []byte("</t>")) || len(content) < len(open)+4 {
		return 0, 0, false
	}
	start, end = len(open), len(content)-4
	if bytes.IndexByte(content[start:end], '<') >= 0 {
		return 0, 0, false
	}
	return start, end, true
}

// value returns item i as excelize gives it, ok false when i is out of range.
func (s *sharedStrings) value(i int) (v string, ok bool) {
	if i < 0 || i >= len(s.items) {
		return "", false
	}
	ref := s.items[i]
	if ref.start < 0 {
		return s.decoded[i], true
	}
	txt, good := xmlText(s.raw[ref.start:ref.end])
	if !good {
		return "", false
	}
	if txt == "" {
		return "", true
	}
	return bstrUnmarshal(txt), true
}

// xmlSI and xmlRun mirror excelize's xlsxSI and xlsxR: a direct <t> (the
// last one wins) then each run's <t>; phonetic runs are not text.
type xmlSI struct {
	T *xmlT    `xml:"t"`
	R []xmlRun `xml:"r"`
}

type xmlRun struct {
	T *xmlT `xml:"t"`
}

type xmlT struct {
	Val string `xml:",chardata"`
}

// String joins the item's text as excelize's xlsxSI.String does.
func (x xmlSI) String() string {
	var b strings.Builder
	if x.T != nil {
		b.WriteString(x.T.Val)
	}
	for _, r := range x.R {
		if r.T != nil {
			b.WriteString(r.T.Val)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return bstrUnmarshal(b.String())
}

var bstrExp = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)

// bstrUnmarshal undoes the _xHHHH_ escapes of OOXML strings exactly as
// excelize does (an escape that is not a valid character is dropped).
func bstrUnmarshal(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var result strings.Builder
	cursor := 0
	for _, m := range bstrExp.FindAllStringSubmatchIndex(s, -1) {
		result.WriteString(s[cursor:m[0]])
		sub := s[m[0]:m[1]]
		cursor = m[1]
		if sub == "_x005F_" {
			result.WriteString("_")
			continue
		}
		v, _ := strconv.Unquote(`"\u` + s[m[0]+2:m[1]-1] + `"`)
		result.WriteString(v)
	}
	result.WriteString(s[cursor:])
	return result.String()
}

// plainUTF8XML reports whether an XML part is UTF-8 (no UTF-16 byte order
// mark, no other encoding declared), so its bytes can be scanned as they are.
func plainUTF8XML(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return false
	}
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return true
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 {
		return false
	}
	decl := strings.ToLower(string(b[:end]))
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return true
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n=")
	rest = strings.Trim(rest, `"' `)
	return strings.HasPrefix(rest, "utf-8") || strings.HasPrefix(rest, "utf8")
}

// xmlText decodes XML character data as encoding/xml does: line ends
// normalised to \n, the five named entities and numeric character
// references replaced. ok is false for anything else (an unknown entity,
// a character XML forbids), which encoding/xml would refuse.
func xmlText(b []byte) (string, bool) {
	if bytes.IndexByte(b, '&') < 0 && bytes.IndexByte(b, '\r') < 0 {
		if !utf8.Valid(b) {
			return "", false
		}
		return string(b), true
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case '\r':
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		case '&':
			semi := bytes.IndexByte(b[i:], ';')
			if semi < 0 {
				return "", false
			}
			ent := string(b[i+1 : i+semi])
			i += semi
			switch ent {
			case "lt":
				out = append(out, '<')
			case "gt":
				out = append(out, '>')
			case "amp":
				out = append(out, '&')
			case "apos":
				out = append(out, '\'')
			case "quot":
				out = append(out, '"')
			default:
				if len(ent) < 2 || ent[0] != '#' {
					return "", false
				}
				var n uint64
				var err error
				if ent[1] == 'x' {
					n, err = strconv.ParseUint(ent[2:], 16, 64)
				} else {
					n, err = strconv.ParseUint(ent[1:], 10, 64)
				}
				if err != nil || n > utf8.MaxRune || !xmlChar(rune(n)) {
					return "", false
				}
				out = utf8.AppendRune(out, rune(n))
			}
		default:
			out = append(out, c)
		}
	}
	if !utf8.Valid(out) {
		return "", false
	}
	return string(out), true
}

// refsValid reports whether the entity and character references in b, if
// any, are ones encoding/xml resolves.
func refsValid(b []byte) bool {
	if bytes.IndexByte(b, '&') < 0 {
		return true
	}
	_, ok := xmlText(b)
	return ok
}

// textValid reports whether encoding/xml reads b as character data: UTF-8,
// no control character XML forbids, references it resolves.
func textValid(b []byte) bool {
	ascii := true
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	for i := 0; !ascii && i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !xmlChar(r) {
			return false // not UTF-8, or a character XML forbids
		}
		i += n
	}
	return refsValid(b)
}

// xmlChar reports whether r is a character XML 1.0 allows.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// errUnsure stops a sheet's scan: the sheet is counted as unknown.
var errUnsure = errors.New("cell content this scanner does not decode with certainty")

// countSheet streams one worksheet part and counts its column. It returns
// nil when column skips the sheet or the sheet has no header.
func countSheet(f *zip.File, sst *sharedStrings, limit int64, column func([]string) int, norm func(string) string) (*ValueCounts, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.Name, err)
	}
	// Inflate on another goroutine so that it overlaps the scan.
	ar := newAheadReader(io.LimitReader(rc, limit))
	defer func() {
		ar.Close()
		rc.Close()
	}()
	sc := &sheetScan{br: bufio.NewReaderSize(ar, 64<<10), sst: sst, column: column, norm: norm, col: -1}
	err = sc.run()
	switch {
	case errors.Is(err, errUnsure):
		return &ValueCounts{unknown: true}, nil
	case errors.Is(err, errSkip):
		return nil, nil
	case err != nil:
		return nil, err
	}
	if !sc.haveHeader {
		return nil, nil
	}
	sc.vc.size = SheetSize{Rows: sc.sizeRows, LastRow: sc.sizeLast, Width: max(sc.sizeWidth, sc.hdrWidth)}
	return sc.vc, nil
}

// sheetScan is the state of one worksheet scan. It follows excelize's row
// iterator: a cell is kept when its value is not "" or it has a formula, at
// position max(kept cells, its column - 1).
type sheetScan struct {
	br     *bufio.Reader
	sst    *sharedStrings
	column func([]string) int
	norm   func(string) string
	vc     *ValueCounts

	haveHeader bool
	col        int // the counted position once the header is known

	// upper bounds of the records Open reads (SheetSize)
	sizeRows, sizeLast, sizeWidth, hdrWidth int

	// current row
	inRow     bool
	rowNum    int // excelize's current row number
	rows      rowNumbering
	kept      int // cells kept so far in the row
	keptHi    int // a bound of kept, also for cells whose keeping was not decided (for the width)
	cellCol   int // 1-based column of the last cell
	hdr       []string
	hdrProb   bool
	hdrUnsure bool

	// current cell
	inCell, hasF, hasV, sawIs bool
	cellT, cellRef            []byte
	vText                     []byte
	isT                       []byte
	isTSet                    bool
	runs                      []byte
	inR, inRPh, runTSet       bool
	runT                      []byte

	tag  []byte
	text []byte

	// the names of the elements open, one after the other, and where each
	// starts in it
	names  []byte
	starts []int
}

// nest follows the elements open: a start tag (tag without its '<' and
// '>', end telling an end tag, its '/' removed) opens one unless it closes
// itself, an end tag closes the last one open. It reports false when an end
// tag does not match that element's start, as XML requires.
func (s *sheetScan) nest(tag []byte, end, selfClose bool) bool {
	n := 0
	for n < len(tag) && !isSpace(tag[n]) && tag[n] != '/' {
		n++
	}
	name := tag[:n]
	switch {
	case end:
		if len(s.starts) == 0 {
			return false
		}
		top := s.starts[len(s.starts)-1]
		if !bytes.Equal(s.names[top:], name) {
			return false
		}
		s.pop()
	case !selfClose:
		s.starts = append(s.starts, len(s.names))
		s.names = append(s.names, name...)
	}
	return true
}

// pop closes the last element open.
func (s *sheetScan) pop() {
	if len(s.starts) == 0 {
		return
	}
	top := s.starts[len(s.starts)-1]
	s.names, s.starts = s.names[:top], s.starts[:len(s.starts)-1]
}

// run scans the part to its end (or </sheetData>).
func (s *sheetScan) run() error {
	head, _ := s.br.Peek(256)
	if !plainUTF8XML(head) {
		return errUnsure
	}
	for {
		if err := s.skipText(); err != nil {
			if errors.Is(err, io.EOF) {
				return s.endRow()
			}
			return err
		}
		tag, err := s.readTag()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return s.endRow()
			}
			return err
		}
		if len(tag) == 0 {
			continue // comment or processing instruction
		}
		if tag[0] == '!' { // CDATA or DOCTYPE outside a value
			return errUnsure
		}
		if !textValid(tag) {
			// excelize's decoder stops at a reference it does not resolve,
			// a character XML forbids or bad UTF-8, in an attribute as in
			// text.
			return errUnsure
		}
		end := tag[0] == '/'
		if end {
			tag = tag[1:]
		}
		selfClose := len(tag) > 0 && tag[len(tag)-1] == '/'
		if !s.nest(tag, end, selfClose) {
			// excelize's decoder stops at an end tag that does not match
			// its start, and Open refuses the file when rows follow it.
			return errUnsure
		}
		name, attrs := splitTag(tag)
		if end {
			switch string(name) {
			case "sheetData":
				return s.endRow()
			case "c":
				if s.inCell {
					if err := s.endCell(); err != nil {
						return err
					}
				}
			case "r":
				if s.inCell && s.sawIs && s.inR {
					if s.runTSet {
						s.runs = append(s.runs, s.runT...)
					}
					s.inR = false
				}
			case "rPh":
				s.inRPh = false
			}
			continue
		}
		switch string(name) {
		case "row":
			if s.inCell {
				return errUnsure
			}
			if err := s.startRow(attrs); err != nil {
				return err
			}
		case "c":
			if !s.inRow {
				continue // excelize looks for cells only after a row start
			}
			if s.inCell {
				return errUnsure
			}
			s.startCell(attrs)
			if selfClose {
				if err := s.endCell(); err != nil {
					return err
				}
			}
		case "v":
			if !s.inCell {
				continue
			}
			s.hasV = true
			s.vText = s.vText[:0]
			if !selfClose {
				if s.vText, err = s.readValue(s.vText, "v"); err != nil {
					return err
				}
				if !textValid(s.vText) { // even in a cell whose value is not decoded
					return errUnsure
				}
				s.pop() // readValue read its end tag
			}
		case "f":
			if s.inCell {
				s.hasF = true
			}
		case "is":
			if s.inCell {
				s.sawIs = true
				s.isT, s.isTSet, s.runs = s.isT[:0], false, s.runs[:0]
			}
		case "r":
			if s.inCell && s.sawIs {
				s.inR, s.runTSet = !selfClose, false
				s.runT = s.runT[:0]
			}
		case "rPh":
			if s.inCell && s.sawIs && !selfClose {
				s.inRPh = true
			}
		case "t":
			if !s.inCell || !s.sawIs || s.inRPh {
				continue
			}
			var buf []byte
			if !selfClose {
				if buf, err = s.readValue(s.text[:0], "t"); err != nil {
					return err
				}
				if !textValid(buf) {
					return errUnsure
				}
				s.pop() // readValue read its end tag
				s.text = buf
				txt, ok := xmlText(buf)
				if !ok {
					return errUnsure
				}
				buf = []byte(txt)
			}
			if s.inR {
				s.runT, s.runTSet = append(s.runT[:0], buf...), true
			} else {
				s.isT, s.isTSet = append(s.isT[:0], buf...), true
			}
		}
	}
}

// startRow begins a row; rows must be numbered upwards (rowNumbering),
// as Open refuses the file otherwise.
func (s *sheetScan) startRow(attrs []byte) error {
	if err := s.endRow(); err != nil {
		return err
	}
	n, err := s.rows.next(attrs)
	if err != nil {
		return err
	}
	s.rowNum = n
	s.inRow, s.kept, s.keptHi, s.cellCol = true, 0, 0, 0
	s.hdr, s.hdrProb, s.hdrUnsure = s.hdr[:0], false, false
	return nil
}

// endRow ends the current row: the first non-empty one is the header.
func (s *sheetScan) endRow() error {
	if !s.inRow || s.haveHeader {
		return nil
	}
	s.inRow = false
	used := usedLen(s.hdr)
	if used == 0 && !s.hdrProb {
		return nil
	}
	if s.hdrUnsure || used == 0 {
		// A row made a header only by a formula without a value: Open's
		// formula search may not see the same formulas.
		return errUnsure
	}
	s.haveHeader = true
	s.hdrWidth = used
	s.col = s.column(trimAll(s.hdr[:used]))
	if s.col >= 0 {
		s.vc = newValueCounts()
	}
	if s.vc == nil {
		return errSkip
	}
	return nil
}

// errSkip ends a scan early: the sheet is not counted.
var errSkip = errors.New("sheet skipped")

func (s *sheetScan) startCell(attrs []byte) {
	s.inCell, s.hasF, s.hasV, s.sawIs = true, false, false, false
	s.inR, s.inRPh = false, false
	s.cellT = s.cellT[:0]
	s.cellRef = s.cellRef[:0]
	s.vText = s.vText[:0]
	eachAttr(attrs, func(key, val []byte) {
		switch string(key) {
		case "t":
			s.cellT = append(s.cellT[:0], val...)
		case "r":
			s.cellRef = append(s.cellRef[:0], val...)
		}
	})
}

// endCell decides the cell's value and position as excelize does.
func (s *sheetScan) endCell() error {
	s.inCell = false
	if bytes.IndexByte(s.cellT, '&') >= 0 || bytes.IndexByte(s.cellRef, '&') >= 0 {
		return errUnsure
	}
	s.cellCol++
	if len(s.cellRef) > 0 {
		c, ok := fastColumn(s.cellRef)
		if !ok {
			var err error
			if c, _, err = excelize.CellNameToCoordinates(string(s.cellRef)); err != nil {
				// Open's iterator refuses it too.
				return fmt.Errorf("row %d: a cell is named %q, which is not a cell reference",
					s.rowNum, display.Line(string(s.cellRef)))
			}
		}
		s.cellCol = c
	}
	if s.haveHeader && (s.hasV || s.sawIs || s.hasF) { // a cell that may hold a value: its row may be a record
		if s.sizeLast != s.rowNum {
			s.sizeRows++
			s.sizeLast = s.rowNum
		}
		s.sizeWidth = max(s.sizeWidth, s.cellCol, s.keptHi+1)
	}
	if s.haveHeader && len(s.cellRef) > 0 && s.cellCol-1 != s.col && s.cellCol-1 >= s.kept {
		// A data cell outside the counted column, in order: only whether
		// it is kept matters, and then only for cells without a reference
		// after it; its position is its column.
		s.keptHi = max(s.keptHi, s.cellCol-1) + 1 // kept or not, where it lands at the most: the width's bound
		if s.kept <= s.col {
			kept, err := s.keptFast()
			if err != nil {
				return err
			}
			if kept {
				s.kept = s.cellCol
			}
		}
		return nil
	}
	vtext, ok := xmlText(s.vText)
	if !ok {
		return errUnsure
	}
	var val string
	numeric := false
	switch string(s.cellT) {
	case "s":
		if vtext != "" {
			if s.sst == nil {
				val = ""
			} else {
				if s.sst.unknown {
					return errUnsure
				}
				i, _ := strconv.Atoi(strings.TrimSpace(vtext))
				var found bool
				if val, found = s.sst.value(i); !found && i >= 0 && i < len(s.sst.items) {
					return errUnsure // an item whose text did not decode
				}
			}
		}
	case "inlineStr":
		if s.sawIs {
			txt := s.isT
			if !s.isTSet {
				txt = txt[:0]
			}
			t := string(txt) + string(s.runs)
			if t != "" {
				t = bstrUnmarshal(t)
			}
			val = t
		} else {
			val = vtext
		}
	case "", "n":
		val, numeric = vtext, true
	default:
		val = vtext
	}
	problem := s.hasF && strings.TrimSpace(vtext) == "" &&
		(!s.hasV || (string(s.cellT) != "str" && string(s.cellT) != "inlineStr"))
	if val == "" && !s.hasF {
		return nil
	}
	pos := max(s.kept, s.cellCol-1)
	s.kept = pos + 1
	s.keptHi = max(s.keptHi, s.cellCol-1) + 1 // where it lands at the most
	if !s.haveHeader {
		if s.cellCol-1 < pos { // out of order: Open's sci/problem columns differ
			s.hdrUnsure = true
		}
		if numeric && strings.ContainsAny(val, "eE") {
			s.hdrUnsure = true
		}
		for len(s.hdr) < pos {
			s.hdr = append(s.hdr, "")
		}
		s.hdr = append(s.hdr, val)
		s.hdrProb = s.hdrProb || problem
		return nil
	}
	if pos != s.col {
		return nil
	}
	v := s.norm(val)
	s.vc.add(v)
	if mayBeSci(val) {
		// Open rewrites numbers in scientific notation, found by a scan of
		// its own: count both spellings whatever the cell's type.
		if p := s.norm(plainNumber(val)); p != v {
			s.vc.add(p)
		}
	}
	return nil
}

// mayBeSci reports whether v may be a number in scientific notation, which
// plainNumber would rewrite.
func mayBeSci(v string) bool {
	t := strings.TrimSpace(v)
	if t == "" || !strings.ContainsAny(t, "eE") {
		return false
	}
	c := t[0]
	return c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

// keptFast reports whether excelize keeps the current cell (its value is
// not "" or it has a formula) without building its value.
func (s *sheetScan) keptFast() (bool, error) {
	if s.hasF {
		return true, nil
	}
	switch string(s.cellT) {
	case "s":
		if len(s.vText) == 0 || s.sst == nil {
			return false, nil
		}
		if s.sst.unknown {
			return false, errUnsure
		}
		i, ok := smallInt(s.vText)
		if !ok {
			vtext, good := xmlText(s.vText)
			if !good {
				return false, errUnsure
			}
			i, _ = strconv.Atoi(strings.TrimSpace(vtext))
		}
		return s.sst.nonEmpty(i)
	case "inlineStr":
		if s.sawIs {
			var txt string
			if s.isTSet {
				txt = string(s.isT)
			}
			return bstrUnmarshal(txt+string(s.runs)) != "", nil
		}
	}
	return len(s.vText) > 0, nil
}

// smallInt parses plain ASCII digits.
func smallInt(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
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

// nonEmpty reports whether item i is not "" (an index out of range gives
// "", as in excelize).
func (s *sharedStrings) nonEmpty(i int) (bool, error) {
	if i < 0 || i >= len(s.items) {
		return false, nil
	}
	ref := s.items[i]
	if ref.start >= 0 && ref.end > ref.start && !bytes.Contains(s.raw[ref.start:ref.end], []byte("_x")) {
		return true, nil
	}
	v, ok := s.value(i)
	if !ok {
		return false, errUnsure
	}
	return v != "", nil
}

// fastColumn parses the column of a plain cell reference such as "AB12".
func fastColumn(ref []byte) (int, bool) {
	col, i := 0, 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	if i == 0 || i > 3 || i == len(ref) || ref[i] < '1' || ref[i] > '9' || col > excelize.MaxColumns {
		return 0, false
	}
	row := 0
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		row = row*10 + int(c-'0')
		if row > excelize.TotalRows {
			return 0, false
		}
	}
	return col, true
}

// skipText discards character data up to the next '<' (consumed); data
// encoding/xml would refuse (textValid) gives errUnsure.
func (s *sheetScan) skipText() error {
	for {
		b, err := s.br.ReadSlice('<')
		if !textValid(bytes.TrimSuffix(b, []byte("<"))) {
			return errUnsure // excelize's decoder stops there
		}
		if err == nil {
			return nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// readTag reads a tag after its '<' up to its '>' (quotes respected) and
// returns its inside; comments and processing instructions give an empty
// tag. The result is valid until the next read.
func (s *sheetScan) readTag() ([]byte, error) {
	s.tag = s.tag[:0]
	if b, err := s.br.ReadSlice('>'); err == nil {
		// The common case: the whole tag is in the buffer; use it there.
		t := b[:len(b)-1]
		if len(t) > 0 && t[0] != '!' && t[0] != '?' && bytes.IndexByte(t, '\'') < 0 && bytes.Count(t, []byte{'"'})%2 == 0 {
			return t, nil
		}
		s.tag = append(s.tag, b...)
		return s.finishTag()
	} else if !errors.Is(err, bufio.ErrBufferFull) {
		if errors.Is(err, io.EOF) && len(b) > 0 {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	} else {
		s.tag = append(s.tag, b...)
	}
	for {
		b, err := s.br.ReadSlice('>')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) && len(s.tag)+len(b) > 0 {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		s.tag = append(s.tag, b...)
		if err != nil {
			continue
		}
		t, done := s.tagDone()
		if done {
			return t, nil
		}
	}
}

// finishTag completes a tag whose first '>' is read.
func (s *sheetScan) finishTag() ([]byte, error) {
	if t, done := s.tagDone(); done {
		return t, nil
	}
	for {
		b, err := s.br.ReadSlice('>')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		s.tag = append(s.tag, b...)
		if err != nil {
			continue
		}
		if t, done := s.tagDone(); done {
			return t, nil
		}
	}
}

// tagDone reports whether s.tag (ending in '>') is a whole tag, and its inside.
func (s *sheetScan) tagDone() ([]byte, bool) {
	{
		t := s.tag[:len(s.tag)-1]
		switch {
		case bytes.HasPrefix(t, []byte("!--")):
			return t[:0], len(t) >= 5 && bytes.HasSuffix(t, []byte("--"))
		case bytes.HasPrefix(t, []byte("?")):
			return t[:0], bytes.HasSuffix(t, []byte("?"))
		case bytes.HasPrefix(t, []byte("![CDATA[")):
			return t, bytes.HasSuffix(t, []byte("]]"))
		}
		return t, !quotesOpen(t)
	}
}

// quotesOpen reports whether t ends inside a quoted attribute value.
func quotesOpen(t []byte) bool {
	var q byte
	for _, c := range t {
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		}
	}
	return q != 0
}

// readValue appends the character data of the element name just opened
// (raw, entities undecoded) to buf, up to its end tag. Comments and
// processing instructions inside are skipped as encoding/xml does; CDATA
// or a nested element makes the sheet unknown.
func (s *sheetScan) readValue(buf []byte, name string) ([]byte, error) {
	for {
		b, err := s.br.ReadSlice('<')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if err != nil {
			buf = append(buf, b...)
			continue
		}
		buf = append(buf, b[:len(b)-1]...)
		tag, err := s.readTag()
		if err != nil {
			return nil, err
		}
		if len(tag) == 0 {
			continue
		}
		if tag[0] != '/' {
			return nil, errUnsure
		}
		n, _ := splitTag(tag[1:])
		if string(n) != name {
			return nil, errUnsure
		}
		return buf, nil
	}
}

// splitTag returns a tag's local name (prefix dropped) and its attributes.
func splitTag(tag []byte) (name, attrs []byte) {
	i := 0
	for i < len(tag) && !isSpace(tag[i]) && tag[i] != '/' {
		i++
	}
	name, attrs = tag[:i], tag[i:]
	if c := bytes.IndexByte(name, ':'); c >= 0 {
		name = name[c+1:]
	}
	return name, attrs
}

// eachAttr calls fn with each attribute's local name and raw value.
func eachAttr(attrs []byte, fn func(key, val []byte)) {
	i, n := 0, len(attrs)
	for {
		for i < n && (isSpace(attrs[i]) || attrs[i] == '/') {
			i++
		}
		k0 := i
		for i < n && attrs[i] != '=' {
			i++
		}
		if i >= n {
			return
		}
		k1 := i
		for k1 > k0 && isSpace(attrs[k1-1]) {
			k1--
		}
		for j := k0; j < k1; j++ {
			if attrs[j] == ':' {
				k0 = j + 1
			}
		}
		i++
		for i < n && isSpace(attrs[i]) {
			i++
		}
		if i >= n || (attrs[i] != '"' && attrs[i] != '\'') {
			return
		}
		q := attrs[i]
		i++
		v0 := i
		for i < n && attrs[i] != q {
			i++
		}
		if i >= n {
			return
		}
		fn(attrs[k0:k1], attrs[v0:i])
		i++
	}
}

// aheadReader reads its source on its own goroutine, a few chunks ahead of
// its reader. Close stops the goroutine and waits for its end.
type aheadReader struct {
	full  chan []byte // chunks read, in order; closed at the end
	free  chan []byte // chunks to refill
	stop  chan struct{}
	done  chan struct{}
	err   error // the source's error, set before full is closed
	cur   []byte
	chunk []byte
}

func newAheadReader(src io.Reader) *aheadReader {
	const chunks, size = 4, 256 << 10
	a := &aheadReader{full: make(chan []byte, chunks), free: make(chan []byte, chunks),
		stop: make(chan struct{}), done: make(chan struct{})}
	for range chunks {
		a.free <- make([]byte, size)
	}
	go func() {
		defer close(a.done)
		defer close(a.full)
		for {
			var buf []byte
			select {
			case buf = <-a.free:
			case <-a.stop:
				return
			}
			n, err := io.ReadFull(src, buf[:cap(buf)])
			if n > 0 {
				select {
				case a.full <- buf[:n]:
				case <-a.stop:
					return
				}
			}
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
					a.err = err
				}
				return
			}
		}
	}()
	return a
}

// Read returns the next bytes read ahead.
func (a *aheadReader) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.chunk != nil {
			a.free <- a.chunk
			a.chunk = nil
		}
		buf, ok := <-a.full
		if !ok {
			if a.err != nil {
				return 0, a.err
			}
			return 0, io.EOF
		}
		a.chunk, a.cur = buf, buf
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// Close stops reading ahead and waits for the goroutine to end.
func (a *aheadReader) Close() {
	close(a.stop)
	<-a.done
}
