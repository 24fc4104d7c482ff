package sheet

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// TemplateColumn describes one column of an order template.
type TemplateColumn struct {
	Name     string   // header text
	Help     string   // French and English help, shown as the header cell's comment
	Choices  []string // a closed list: the column gets a dropdown
	Text     bool     // format the column as text ("@") so Excel keeps leading zeros
	Date     bool     // format the column as a date-time, dd/mm/yyyy hh:mm
	Required bool     // the header is marked (darker fill, "Obligatoire / Required" in the comment)
	Example  string   // shown in the comment (never as a row: a row would be submitted)
}

// Template layout constants.
const (
	templateLastRow = 5000    // dropdowns cover rows 2..templateLastRow
	listsSheet      = "Lists" // hidden sheet holding long dropdown lists
	maxInlineList   = 255     // Excel's limit on an inline dropdown list
	templateAuthor  = "orderdrop"
	templateDateFmt = "dd/mm/yyyy hh:mm"
	numFmtText      = 49 // Excel's built-in "@" (text) number format
)

// errNoColumns is returned when a template has no column or a nameless one.
var errNoColumns = errors.New("template needs named columns")

// WriteTemplate writes an empty XLSX order template to path (crash-safely,
// mode 0644): one sheet named sheetName with a bold header row (required
// columns darker), frozen; each header cell carries a comment with the
// column's help, whether it is required and an example; Choices become a
// dropdown on rows 2..5000 (inline, or from a hidden "Lists" sheet when the
// list is longer than Excel's 255 characters or a choice holds a comma);
// Text columns are formatted "@" and Date columns dd/mm/yyyy hh:mm, as column
// styles so every new cell gets them. The template holds no data row.
func WriteTemplate(path string, sheetName string, cols []TemplateColumn) error {
	if err := checkColumns(cols); err != nil {
		return fmt.Errorf("write template %s: %w", filepath.Base(path), err)
	}
	write := func(w io.Writer) error {
		f, err := buildTemplate(cleanSheetName(sheetName), cols)
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Write(w)
	}
	if err := WriteFileAtomic(path, 0o644, write); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

// WriteTemplateCSV writes a CSV template to path (crash-safely, mode 0644):
// the header line only, with the given delimiter (0 means ','), UTF-8 with a
// BOM and CRLF line ends.
func WriteTemplateCSV(path string, cols []TemplateColumn, delimiter rune) error {
	if err := checkColumns(cols); err != nil {
		return fmt.Errorf("write template %s: %w", filepath.Base(path), err)
	}
	write := func(w io.Writer) error {
		if _, err := w.Write(utf8BOM); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		if delimiter != 0 {
			cw.Comma = delimiter
		}
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = c.Name
		}
		if err := cw.Write(names); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	}
	if err := WriteFileAtomic(path, 0o644, write); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

// checkColumns refuses an empty column list or a column without a name.
func checkColumns(cols []TemplateColumn) error {
	if len(cols) == 0 {
		return errNoColumns
	}
	for i, c := range cols {
		if strings.TrimSpace(c.Name) == "" {
			return fmt.Errorf("column %d has no name: %w", i+1, errNoColumns)
		}
	}
	return nil
}

// templateStyles are the style ids of a template.
type templateStyles struct {
	header, required, text, date int
}

// newTemplateStyles registers a template's styles in f.
func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	var st templateStyles
	var err error
	if st.header, err = f.NewStyle(&excelize.Style{
		Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
	}); err != nil {
		return st, err
	}
	if st.required, err = f.NewStyle(&excelize.Style{
		Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"8EA9DB"}},
	}); err != nil {
		return st, err
	}
	if st.text, err = f.NewStyle(&excelize.Style{NumFmt: numFmtText}); err != nil {
		return st, err
	}
	fmtDate := templateDateFmt
	st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &fmtDate})
	return st, err
}

// buildTemplate makes the template workbook.
func buildTemplate(sheet string, cols []TemplateColumn) (*excelize.File, error) {
	f := excelize.NewFile()
	fail := func(err error) (*excelize.File, error) {
		_ = f.Close() // nothing was written yet
		return nil, err
	}
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return fail(fmt.Errorf("sheet name %q: %w", sheet, err))
	}
	st, err := newTemplateStyles(f)
	if err != nil {
		return fail(fmt.Errorf("styles: %w", err))
	}
	listCol := 0 // columns used in the hidden Lists sheet
	if err := addTemplateSheet(f, sheet, cols, st, &listCol, paperA4); err != nil {
		return fail(err)
	}
	for _, name := range f.GetSheetList() {
		if err := declareUsedRange(f, name); err != nil {
			return fail(fmt.Errorf("sheet %q: %w", name, err))
		}
	}
	f.SetActiveSheet(0)
	return f, nil
}

// addTemplateSheet lays sheet out as a template: the header row with each
// column's help as a comment, dropdowns, text and date column formats,
// the header frozen, printed on paper one page wide. listCol counts the
// columns of the hidden Lists sheet used so far.
func addTemplateSheet(f *excelize.File, sheet string, cols []TemplateColumn, st templateStyles, listCol *int, paper int) error {
	for i, c := range cols {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		// Column styles first: SetColStyle also restyles existing cells.
		switch {
		case c.Text:
			err = f.SetColStyle(sheet, col, st.text)
		case c.Date:
			err = f.SetColStyle(sheet, col, st.date)
		}
		if err != nil {
			return fmt.Errorf("column %s style: %w", c.Name, err)
		}
		if err := f.SetColWidth(sheet, col, col, templateWidth(c)); err != nil {
			return fmt.Errorf("column %s width: %w", c.Name, err)
		}
		cell := col + "1"
		if err := f.SetCellStr(sheet, cell, c.Name); err != nil {
			return err
		}
		hs := st.header
		if c.Required {
			hs = st.required
		}
		if err := f.SetCellStyle(sheet, cell, cell, hs); err != nil {
			return err
		}
		if err := f.AddComment(sheet, excelize.Comment{
			Cell: cell, Author: templateAuthor, Text: commentText(c), Width: 320, Height: 160,
		}); err != nil {
			return fmt.Errorf("column %s comment: %w", c.Name, err)
		}
		if len(c.Choices) > 0 {
			if err := addDropList(f, sheet, col, c.Choices, listCol); err != nil {
				return fmt.Errorf("column %s dropdown: %w", c.Name, err)
			}
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	if err := printSetup(f, sheet, page{paper: paper, titles: true}); err != nil {
		return err
	}
	return nil
}

// declareUsedRange sets a sheet's <dimension> to the range its cells use
// ("A1:C1"): excelize leaves "A1", and readers that trust the dimension
// (openpyxl in read-only mode) would see one cell. For sheets built in
// memory; streamed sheets declare theirs before streaming.
func declareUsedRange(f *excelize.File, sheet string) error {
	rows, err := f.GetRows(sheet)
	if err != nil {
		return err
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	if width == 0 {
		return nil // an empty sheet: "A1" is right
	}
	last, err := excelize.CoordinatesToCellName(width, len(rows))
	if err != nil {
		return err
	}
	return f.SetSheetDimension(sheet, "A1:"+last)
}

// addDropList adds a dropdown of choices on rows 2..templateLastRow of col.
// A list too long for Excel's inline limit, or with a comma in a choice, is
// written to a column of the hidden Lists sheet and referenced from there.
func addDropList(f *excelize.File, sheet, col string, choices []string, listCol *int) error {
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(col + "2:" + col + strconv.Itoa(templateLastRow))
	dv.SetError(excelize.DataValidationErrorStyleStop, "Valeur non autorisée / Value not allowed",
		"Choisissez une valeur de la liste. / Pick a value from the list.")
	inline := utf8.RuneCountInString(strings.Join(choices, ",")) <= maxInlineList
	for _, c := range choices {
		if strings.ContainsAny(c, `,"`) {
			inline = false
		}
	}
	if inline {
		if err := dv.SetDropList(choices); err != nil {
			return err
		}
		return f.AddDataValidation(sheet, dv)
	}
	if *listCol == 0 {
		if _, err := f.NewSheet(listsSheet); err != nil {
			return err
		}
		if err := f.SetSheetVisible(listsSheet, false); err != nil {
			return err
		}
	}
	*listCol++
	lc, err := excelize.ColumnNumberToName(*listCol)
	if err != nil {
		return err
	}
	for i, c := range choices {
		if err := f.SetCellStr(listsSheet, lc+strconv.Itoa(i+1), c); err != nil {
			return err
		}
	}
	dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$1:$%s$%d", listsSheet, lc, lc, len(choices)))
	return f.AddDataValidation(sheet, dv)
}

// commentText is the header comment of a column.
func commentText(c TemplateColumn) string {
	var b strings.Builder
	b.WriteString(c.Help)
	add := func(s string) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s)
	}
	if c.Required {
		add("Obligatoire / Required.")
	}
	if c.Example != "" {
		add("Exemple / Example: " + c.Example)
	}
	return b.String()
}

// templateWidth fits a column to its header, example and choices.
func templateWidth(c TemplateColumn) float64 {
	w := max(utf8.RuneCountInString(c.Name), utf8.RuneCountInString(c.Example))
	for _, ch := range c.Choices {
		w = max(w, utf8.RuneCountInString(ch))
	}
	if c.Date {
		w = max(w, len(templateDateFmt))
	}
	return float64(min(max(w+3, 10), maxColWidth))
}
