package sheet

// csvSafe defuses a value that a spreadsheet would run as a formula: one
// starting with '=', '+', '-', '@', tab or carriage return gets a leading
// single quote (OWASP's advice against CSV injection).
func csvSafe(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + v
	}
	return v
}

// at returns cells[i], or "" past the end.
func at(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}
