package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
)

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

// writeReportCSV writes the report's first sheet as CSV: the input's
// delimiter, UTF-8 with a BOM and CRLF line ends, as Excel likes it. There
// is no summary in a CSV report.
func writeReportCSV(w io.Writer, r *Report) error {
	if _, err := w.Write(utf8BOM); err != nil {
		return fmt.Errorf("write BOM: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if r.Delimiter != 0 {
		cw.Comma = r.Delimiter
	}
	s := &ReportSheet{}
	if len(r.Sheets) > 0 {
		s = &r.Sheets[0] // a CSV input has exactly one table
	}
	{
		n := s.width()
		rec := make([]string, 0, n+4)
		for i := range n {
			rec = append(rec, csvSafe(at(s.Header, i)))
		}
		if err := cw.Write(append(rec, outcomeColumns()...)); err != nil {
			return fmt.Errorf("write CSV header: %w", err)
		}
		for ri := range s.Rows {
			row := &s.Rows[ri]
			rec = rec[:0]
			for i := range n {
				rec = append(rec, csvSafe(at(row.Cells, i)))
			}
			for _, v := range row.outcome(r.location()) {
				rec = append(rec, csvSafe(v))
			}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("write CSV row %d: %w", row.Num, err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// at returns cells[i], or "" past the end.
func at(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}
