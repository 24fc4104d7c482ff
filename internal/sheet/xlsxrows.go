package sheet

import (
	"bytes"
	"errors"
	"io"
)

// scanRows is the quick form of decodeCells for worksheets laid out as
// office software writes them. It splits the part's bytes into <row>
// elements and decodes, with decodeCells' own walk, only the rows that may
// hold a formula or a number in scientific notation: a '<f' or ':f', or an
// 'e', 'E' or '&' in character data. A worksheet with one formula thus
// costs a byte search instead of a decoding of every cell.
//
// ok is false, and the caller decodes the whole part instead, when the
// split cannot be trusted to give what the whole decoding gives: a comment,
// CDATA section or processing instruction past the XML declaration, a
// candidate outside the <row> elements found (prefixed element names), a
// decoded row without a valid r attribute, or a row that does not decode.
func scanRows(r io.Reader) (s *cellScan, ok bool, err error) {
	s = newCellScan()
	buf := make([]byte, 0, scanChunk)
	var gap candidates
	first := true
	eof := false
	for {
		// Read more unless a whole row or enough gap is already there.
		if !eof {
			if cap(buf)-len(buf) < scanChunk/2 {
				grown := make([]byte, len(buf), max(2*cap(buf), len(buf)+scanChunk))
				copy(grown, buf)
				buf = grown
			}
			n, rerr := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if rerr != nil {
				if !errors.Is(rerr, io.EOF) {
					return nil, false, rerr
				}
				eof = true
			}
		}
		if first && len(buf) >= 2 {
			if bytes.HasPrefix(buf, []byte("<?")) {
				// The XML declaration: skip it, it holds no cells.
				end := bytes.Index(buf, []byte("?>"))
				if end < 0 && !eof {
					continue
				}
				if end < 0 {
					return nil, false, nil
				}
				buf = buf[:copy(buf, buf[end+2:])]
			}
			first = false
		}
		if first && !eof {
			continue
		}
		off := 0 // bytes of buf looked through
		for {
			rest := buf[off:]
			start := indexRowStart(rest)
			if start < 0 {
				// No row start here: all but a short tail is gap.
				keep := 0
				if !eof {
					keep = min(len(rest), 8)
				}
				if gap.add(rest[:len(rest)-keep]) {
					return nil, false, nil
				}
				off += len(rest) - keep
				break
			}
			if gap.add(rest[:start]) {
				return nil, false, nil
			}
			off += start
			end, complete := rowEnd(rest, start)
			if !complete {
				if eof {
					// An unfinished row at the end of the part.
					return nil, false, nil
				}
				break
			}
			frag := rest[start:end]
			var c candidates
			if c.add(frag) {
				if c.unsafe {
					return nil, false, nil
				}
				numbered, err := s.decode(bytes.NewReader(frag))
				if err != nil || !numbered {
					return nil, false, nil
				}
			}
			off += end - start
		}
		buf = buf[:copy(buf, buf[off:])]
		if eof && len(buf) == 0 {
			return s, true, nil
		}
		if eof {
			if gap.add(buf) {
				return nil, false, nil
			}
			return s, true, nil
		}
	}
}

// indexRowStart returns the index of the first "<row" start tag in b
// ("<row" then a space, tab, line end, '>' or '/'), or -1. A "<row" at the
// very end of b, not yet followed by a byte, is not reported.
func indexRowStart(b []byte) int {
	for i := 0; ; {
		k := bytes.Index(b[i:], []byte("<row"))
		if k < 0 {
			return -1
		}
		i += k
		if i+4 >= len(b) {
			return -1
		}
		switch b[i+4] {
		case ' ', '\t', '\r', '\n', '>', '/':
			return i
		}
		i += 4
	}
}

// rowEnd returns the end (exclusive) of the row element starting at
// b[start]: after its "</row>", or after its start tag when it is empty
// ("<row .../>"). complete is false when b holds no end yet.
func rowEnd(b []byte, start int) (end int, complete bool) {
	// The start tag ends at the first '>' outside quoted attribute values.
	var quote byte
	i := start + 4
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			if b[i-1] == '/' {
				return i + 1, true
			}
			k := bytes.Index(b[i:], []byte("</row>"))
			if k < 0 {
				return 0, false
			}
			return i + k + len("</row>"), true
		}
	}
	return 0, false
}

// candidates looks through a worksheet's bytes, piece by piece, for what
// may make decodeCells record something, and for what makes a split into
// rows untrustworthy.
type candidates struct {
	inTag  bool // between '<' and '>'
	prev   byte // the byte before the current piece
	found  bool // a '<f', ':f', or an 'e', 'E' or '&' in character data
	unsafe bool // "<!" or "<?": a comment, CDATA or processing instruction
}

// add looks through the next piece of bytes and reports whether anything
// was found so far (a candidate or an unsafe construct).
func (c *candidates) add(b []byte) bool {
	for _, x := range b {
		switch {
		case c.prev == '<' && (x == '!' || x == '?'):
			c.unsafe = true
		case x == 'f' && (c.prev == '<' || c.prev == ':') && c.inTag:
			c.found = true
		case x == '<':
			c.inTag = true
		case x == '>':
			c.inTag = false
		case !c.inTag && (x == 'e' || x == 'E' || x == '&'):
			c.found = true
		}
		c.prev = x
	}
	return c.found || c.unsafe
}
