package order

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ligatures are letters that decompose to two letters, not to a base and an accent.
var ligatures = strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae", "ß", "ss")

// fold reduces s to lower-case letters and digits without accents, so that
// "Date souhaitée", "date_souhaitee" and "DATE-SOUHAITÉE" compare equal.
func fold(s string) string {
	s = norm.NFD.String(ligatures.Replace(s))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// foldWords is like fold but keeps single spaces between words:
// "  Jean-Jaurès " → "jean jaures".
func foldWords(s string) string {
	s = norm.NFD.String(ligatures.Replace(s))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}
