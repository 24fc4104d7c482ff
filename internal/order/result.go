package order

import "strings"

// Result is what Parse makes of one table.
type Result struct {
	Kind    Kind
	Columns []string    // canonical column name per header index; "" for unknown columns (kept untouched in the report)
	Rows    []RowResult // exactly one per Table.Records, same order
	Orders  []*Order    // valid orders, in order of their first row
}

// RowResult is the verdict on one data row.
type RowResult struct {
	Num      int       // spreadsheet row number (Record.Num)
	Problems []Problem // every reason the row is invalid; empty when valid
	Notes    []string  // repairs made to a valid value, "column: what was done"
	Warnings []Problem // what a domain check found that does not stop the row (SeverityWarning)
	Order    *Order    // the order this row belongs to; nil when invalid
}

// Valid reports whether the row passed validation.
func (r RowResult) Valid() bool { return len(r.Problems) == 0 && r.Order != nil }

// Message is the row's report text: every problem as "column: why", then
// the warnings as "warning: column: why", then the notes, separated by "; ".
func (r RowResult) Message() string {
	parts := make([]string, 0, len(r.Problems)+len(r.Warnings)+len(r.Notes))
	for _, p := range r.Problems {
		parts = append(parts, p.String())
	}
	parts = append(parts, r.WarningTexts()...)
	parts = append(parts, r.Notes...)
	return strings.Join(parts, "; ")
}

// WarningTexts renders the warnings as "warning: column: why".
func (r RowResult) WarningTexts() []string {
	out := make([]string, 0, len(r.Warnings))
	for _, w := range r.Warnings {
		out = append(out, WarningPrefix+w.String())
	}
	return out
}

// WarningPrefix starts the text of every warning in a report message, so
// that a reader (and the report's Summary) can tell them from notes.
const WarningPrefix = "warning: "

// Problem is one reason a row is invalid.
type Problem struct {
	Column string // canonical column name (or the header text of an unknown column)
	Why    string // plain words for a back-office reader
}

// String renders the problem as "column: why".
func (p Problem) String() string {
	if p.Column == "" {
		return p.Why
	}
	return p.Column + ": " + p.Why
}

// checker collects one row's problems, warnings and notes.
type checker struct {
	problems []Problem
	warnings []Problem
	notes    []string
	muted    map[string]bool // columns already reported by the reader
}

// fail records a problem on col, unless the reader already reported that cell.
func (c *checker) fail(col, why string) {
	if c.muted[col] {
		return
	}
	for _, p := range c.problems {
		if p.Column == col && p.Why == why {
			return
		}
	}
	c.problems = append(c.problems, Problem{Column: col, Why: why})
}

// warn records a warning on col (once).
func (c *checker) warn(col, why string) {
	for _, p := range c.warnings {
		if p.Column == col && p.Why == why {
			return
		}
	}
	c.warnings = append(c.warnings, Problem{Column: col, Why: why})
}

// note records a repair made on col.
func (c *checker) note(col, what string) { c.notes = append(c.notes, col+": "+what) }

func (c *checker) ok() bool { return len(c.problems) == 0 }
