// Package display makes text that orderdrop did not write itself — file
// names, carrier words, cell values — safe to show on one line: in a page
// title, a log line, a digest or a terminal.
//
// A file dropped as "invoice\u202Egpj.xlsx" or a carrier reason holding
// "\r\nSubject: …" must not reorder, split or forge what a person reads.
package display

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Replacement stands in for every control character Line removes.
const Replacement = '\uFFFD'

// Line returns s with every character that could change how the rest of a
// line reads replaced: C0 and C1 controls (CR, LF, tab, ESC…), Unicode
// bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
// U+061C), line and paragraph separators, and invalid UTF-8. A tab, CR, LF
// or CRLF becomes one space, so a multi-line carrier reason stays readable;
// the others become U+FFFD, so their presence stays visible. Text without
// any of them is returned unchanged, without allocating.
func Line(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prevCR := false
	for _, r := range s {
		switch {
		case r == '\n' && prevCR:
			// CRLF: the CR already wrote the space.
		case r == '\r' || r == '\n' || r == '\t':
			b.WriteByte(' ')
		case unsafe(r):
			b.WriteRune(Replacement)
		default:
			b.WriteRune(r)
		}
		prevCR = r == '\r'
	}
	return b.String()
}

// clean reports whether s holds nothing Line would replace.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			if !utf8.ValidString(s[i:]) {
				return false
			}
			for _, r := range s[i:] {
				if r == '\t' || r == '\r' || r == '\n' || unsafe(r) {
					return false
				}
			}
			return true
		}
	}
	return true
}

// unsafe reports whether r must not be shown as it is.
func unsafe(r rune) bool {
	switch {
	case r == unicode.ReplacementChar:
		return false // already a replacement (or invalid UTF-8, shown as one)
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f,
		r >= 0x202a && r <= 0x202e,
		r >= 0x2066 && r <= 0x2069,
		r == 0x2028, r == 0x2029:
		return true
	}
	return false
}
