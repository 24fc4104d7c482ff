package sheet

import "strings"

// ColumnProblem is the column a to-fix file adds after the input's own:
// what to change in the row, column by column.
const ColumnProblem = "problem"

// OwnColumns lists the columns orderdrop itself writes (a report's outcome
// columns and a to-fix file's problem column), in report order. They are
// never input columns: a report or to-fix file dropped back into the inbox
// has them replaced in its new report, not repeated.
func OwnColumns() []string {
	return append(outcomeColumns(), ColumnProblem)
}

// IsOwnColumn reports whether a header cell names one of OwnColumns,
// ignoring case and surrounding spaces.
func IsOwnColumn(header string) bool {
	h := strings.ToLower(strings.TrimSpace(header))
	for _, c := range OwnColumns() {
		if h == c {
			return true
		}
	}
	return false
}

// inputColumns returns the indices of header's cells that are not
// orderdrop's own columns, or nil when every cell is an input column.
func inputColumns(header []string) []int {
	own := false
	for _, h := range header {
		own = own || IsOwnColumn(h)
	}
	if !own {
		return nil
	}
	keep := make([]int, 0, len(header))
	for i, h := range header {
		if !IsOwnColumn(h) {
			keep = append(keep, i)
		}
	}
	return keep
}

// pick returns the cells of row at keep's indices, then any cell past the
// header (width = the header's width), so that a dropped-back report's
// old outcome never comes back as input.
func pick(cells []string, keep []int, width int) []string {
	out := make([]string, 0, len(keep)+max(0, len(cells)-width))
	for _, i := range keep {
		out = append(out, at(cells, i))
	}
	if len(cells) > width {
		out = append(out, cells[width:]...)
	}
	return out
}

// pickBools is pick for a per-column flag slice.
func pickBools(flags []bool, keep []int) []bool {
	if flags == nil {
		return nil
	}
	out := make([]bool, len(keep))
	for j, i := range keep {
		out[j] = i < len(flags) && flags[i]
	}
	return out
}
