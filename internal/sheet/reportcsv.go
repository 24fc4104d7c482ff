package sheet

import "strings"

// csvSafe defuses a value that a spreadsheet would run as a formula: one
// starting with '=', '+', '-', '@', tab or carriage return gets a leading
// single quote (OWASP's advice against CSV injection). So that uncsvSafe
// gives every value back as it was, a value that starts with quotes then
// one of those characters ('=x) gets one more quote too. Carriage returns
// are dropped first: the CSV writer (UseCRLF) drops them anyway, and a
// quote written before one would come back alone.
func csvSafe(v string) string {
	if strings.IndexByte(v, '\r') >= 0 {
		v = strings.ReplaceAll(v, "\r", "")
	}
	if quotedFormula(v) {
		return "'" + v
	}
	return v
}

// quotedFormula reports whether v, after any leading single quotes, starts
// with a character a spreadsheet runs as a formula.
func quotedFormula(v string) bool {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\'':
			continue
		case '=', '+', '-', '@', '\t', '\r':
			return true
		}
		return false
	}
	return false
}

// at returns cells[i], or "" past the end.
func at(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}
