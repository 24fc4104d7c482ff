package sheet

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// stampFormat shows the times orderdrop writes (submitted_at, generated).
const stampFormat = "yyyy-mm-dd hh:mm:ss"

// Column width bounds of a report, in characters.
const (
	minColWidth = 8
	maxColWidth = 60
	// A report sheet's columns are narrower, so that twenty of them fitted
	// to one page wide still print readable: an input value wider than
	// maxInputWidth wraps, as does a message wider than maxMessageWidth
	// and a header wider than its column (a header widens its column up to
	// maxHeaderWidth only).
	maxInputWidth   = 18
	maxMessageWidth = 44
	maxHeaderWidth  = 10
	// When the columns of a report do not print at minPrintScale or more
	// fitted to one page wide, the input columns are capped narrower, down
	// to minInputWidth, and the message down to minMessageWidth.
	minInputWidth   = 10
	minMessageWidth = 30
	minPrintScale   = 0.6
)

// fitWidths caps the content widths (in characters) of a report sheet whose
// first n columns are the input's and column n+2 the message: as little as
// needed for the sheet to print at minPrintScale or more, fitted to one
// page of paper wide, and never below minInputWidth and minMessageWidth.
// A value wider than its column wraps.
func fitWidths(content []int, n, paper int) []int {
	out := make([]int, len(content))
	for in, msg := maxInputWidth, maxMessageWidth; ; in, msg = in-1, max(msg-2, minMessageWidth) {
		copy(out, content)
		for i := range n {
			out[i] = min(out[i], in-2)
		}
		if n+2 < len(out) {
			out[n+2] = min(out[n+2], msg-2)
		}
		if in <= minInputWidth || printScaleOf(out, paper) >= minPrintScale {
			return out
		}
	}
}

// printScaleOf estimates the scale at which columns of these content
// widths print fitted to one page of paper wide, landscape, within the
// side margins printSetup sets (Excel's column width: 7 pixels a
// character and 5 of padding, at 96 pixels an inch).
func printScaleOf(content []int, paper int) float64 {
	width := 841.89 // A4 landscape, in points
	if paper == paperLetter {
		width = 792
	}
	total := 0.0
	for _, w := range content {
		total += float64(min(max(w+2, minColWidth), maxColWidth)*7+5) * 0.75
	}
	if total == 0 {
		return 1
	}
	return (width - 2*sideMargin*72) / total
}

// Status fill colours (Excel's good / neutral / bad).
const (
	fillGreen = "C6EFCE"
	fillAmber = "FFEB9C"
	fillRed   = "FFC7CE"
)

// statusFill returns the fill colour of a status, or "".
func statusFill(status string) string {
	switch status {
	case StatusSubmitted, StatusAlreadySubmitted:
		return fillGreen
	case StatusNotSubmitted, StatusInDoubt, StatusConflict:
		return fillAmber
	case StatusInvalid, StatusRejected:
		return fillRed
	}
	return ""
}

// reportStyles are the style ids of a report workbook.
type reportStyles struct {
	header   int
	wrapHead int            // header, wrapped: a report sheet's header row
	fill     map[string]int // fill colour → style id
	wrap     int            // top-aligned, wrapped text (message)
	date     int            // dd/mm/yyyy
	dateTime int            // dd/mm/yyyy hh:mm
	stamp    int            // yyyy-mm-dd hh:mm:ss: times orderdrop writes
}

// newReportStyles registers the report's styles in f.
func newReportStyles(f *excelize.File) (*reportStyles, error) {
	st := &reportStyles{fill: map[string]int{}}
	var err error
	st.header, err = f.NewStyle(&excelize.Style{
		Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
	})
	if err != nil {
		return nil, fmt.Errorf("header style: %w", err)
	}
	if st.wrapHead, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	}); err != nil {
		return nil, fmt.Errorf("header style: %w", err)
	}
	if st.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return nil, fmt.Errorf("wrap style: %w", err)
	}
	dd, dt := "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
	if st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dd}); err != nil {
		return nil, fmt.Errorf("date style: %w", err)
	}
	if st.dateTime, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dt}); err != nil {
		return nil, fmt.Errorf("date style: %w", err)
	}
	stamp := stampFormat
	if st.stamp, err = f.NewStyle(&excelize.Style{CustomNumFmt: &stamp}); err != nil {
		return nil, fmt.Errorf("time style: %w", err)
	}
	for _, c := range []string{fillGreen, fillAmber, fillRed} {
		id, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}}})
		if err != nil {
			return nil, fmt.Errorf("status style: %w", err)
		}
		st.fill[c] = id
	}
	return st, nil
}

// cleanSheetName makes name acceptable to Excel: not empty ("Report"), no
// []:*?/\ characters, no leading or trailing quote, at most 31 characters.
func cleanSheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, "'")
	if strings.TrimSpace(name) == "" {
		return "Report"
	}
	return truncRunes(name, 31)
}

// truncRunes returns s cut to at most n characters.
func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// textWidth is the display width of a value: its longest line, in runes.
func textWidth(s string) int {
	w := 0
	for line := range strings.SplitSeq(s, "\n") {
		w = max(w, utf8.RuneCountInString(line))
	}
	return w
}

// summaryValueWidth is the width of the Summary's value column, in characters.
const summaryValueWidth = 68

// writeSummary writes the Summary sheet: the input's name, sha256, when the
// report was generated, the count of rows per status (every status
// listed; unknown statuses after, sorted) and the printed notes, if any.
func writeSummary(f *excelize.File, name string, r *Report, counts map[string]int, printed []string, st *reportStyles) error {
	statuses := summaryStatuses(counts)
	var gen any = ""
	if !r.Generated.IsZero() {
		gen = excelize.Cell{StyleID: st.stamp, Value: excelSerial(r.Generated, r.location())}
	}
	bold := func(v string) excelize.Cell { return excelize.Cell{StyleID: st.header, Value: v} }
	rows := [][]any{
		{bold(summaryFile), r.Source},
		{bold(summarySHA256), r.SHA256},
		{bold(summaryGenerated), gen},
	}
	if r.LedgerID != "" {
		rows = append(rows, []any{bold(summaryLedger), r.LedgerID})
	}
	if r.BatchID != "" {
		rows = append(rows, []any{bold(summaryBatch), r.BatchID})
	}
	rows = append(rows, []any{}, []any{bold(summaryStatus), bold("count")})
	total := 0
	for _, s := range statuses {
		var label any = s
		if id, ok := st.fill[statusFill(s)]; ok {
			label = excelize.Cell{StyleID: id, Value: s}
		}
		rows = append(rows, []any{label, counts[s]})
		total += counts[s]
	}
	rows = append(rows, []any{bold(summaryTotal), total}, []any{bold(summaryWarnings), r.Warnings})
	tall := map[int]int{} // row index → lines of a wrapped note
	for _, p := range printed {
		tall[len(rows)] = wrappedLines(p, summaryValueWidth)
		rows = append(rows, []any{bold(summaryPrinted), excelize.Cell{StyleID: st.wrap, Value: p}})
	}
	if err := f.SetSheetDimension(name, "A1:B"+strconv.Itoa(len(rows))); err != nil {
		return fmt.Errorf("dimension: %w", err)
	}
	if err := printSetup(f, name, page{paper: paperFor(r.location()), tall: 1}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("stream writer: %w", err)
	}
	if err := sw.SetColWidth(1, 1, 20); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, summaryValueWidth); err != nil {
		return err
	}
	for i, vals := range rows {
		var opts []excelize.RowOpts
		if n := tall[i]; n > 1 {
			opts = append(opts, excelize.RowOpts{Height: float64(n) * 15})
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+1), vals, opts...); err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	return sw.Flush()
}

// cellValue is what an input cell is written as: a date cell for a serial
// number in a date column, else the text as read (never a formula).
func (s *ReportSheet) cellValue(i int, c string, st *reportStyles) any {
	if i >= len(s.DateColumns) || !s.DateColumns[i] {
		return c
	}
	serial, err := strconv.ParseFloat(c, 64)
	if err != nil || serial < 1 || serial > 2958465 { // Excel's dates: 1900-01-01 to 9999-12-31
		return c
	}
	// Serials carry float noise (46380.4166666666 is 09:59:59.99…): round
	// to the second so that the cell shows the time the user typed.
	serial = math.Round(serial*86400) / 86400
	// excelize truncates to Excel's 15 significant digits; round to them
	// first, as Excel and LibreOffice store it, or 10:00 becomes 09:59.
	serial, _ = strconv.ParseFloat(strconv.FormatFloat(serial, 'g', 15, 64), 64)
	id := st.dateTime
	if serial == math.Trunc(serial) {
		id = st.date
	}
	return excelize.Cell{StyleID: id, Value: serial}
}

// Paper sizes, as SpreadsheetML numbers them.
const (
	paperLetter = 1
	paperA4     = 9
)

// paperFor is the paper a sheet prints on in time zone loc: US Letter in
// the Americas (a time zone named America/…), A4 everywhere else.
func paperFor(loc *time.Location) int {
	if loc != nil && strings.HasPrefix(loc.String(), "America/") {
		return paperLetter
	}
	return paperA4
}

// page is how a sheet prints: landscape on paper, one page wide.
type page struct {
	paper  int  // paperA4 or paperLetter
	tall   int  // at most this many pages high; 0 = as many as the rows take
	titles bool // the header row repeated on every page
}

// sideMargin is the left and right margin of a printed sheet, in inches.
const sideMargin = 0.4

// printSetup makes a sheet print as p says. Set on a sheet before it is
// streamed: the stream writer keeps it.
func printSetup(f *excelize.File, name string, p page) error {
	landscape, one, tall, paper := "landscape", 1, p.tall, p.paper
	fit := true
	side, edge := sideMargin, 0.5 // inches: narrower than Excel's 0.7 and 0.75, wide enough for any printer
	if err := f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &edge, Bottom: &edge}); err != nil {
		return fmt.Errorf("page margins: %w", err)
	}
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &paper, Orientation: &landscape, FitToWidth: &one, FitToHeight: &tall}); err != nil {
		return fmt.Errorf("page layout: %w", err)
	}
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("page layout: %w", err)
	}
	if !p.titles {
		return nil
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$1", strings.ReplaceAll(name, "'", "''")), Scope: name}); err != nil {
		return fmt.Errorf("print titles: %w", err)
	}
	return nil
}

// wrappedLines estimates how many lines msg takes wrapped in a column width
// characters wide (streamed rows get no automatic height), at most 15.
func wrappedLines(msg string, width int) int {
	if msg == "" || width <= 2 {
		return 1
	}
	return min(15, (textWidth(msg)+width-3)/(width-2))
}

// startListSheet prepares sheet name for rows up to lastRow in columns
// A..lastCol, the header in row 1, and returns its stream writer: a filter
// on every column, the page set-up, the real <dimension>, the column widths
// and the frozen header. The filter, page set-up and dimension are set on
// the still-empty sheet; the stream writer keeps them (it copies the
// dimension as it starts: without it, readers trusting it see "A1").
// Printed, a list is landscape on paper (paperFor) and one page wide, with
// the header row repeated on every page.
func startListSheet(f *excelize.File, name, lastCol string, lastRow int, widths []int, paper int) (*excelize.StreamWriter, error) {
	ref := "A1:" + lastCol + strconv.Itoa(lastRow)
	if err := f.AutoFilter(name, ref, nil); err != nil {
		return nil, fmt.Errorf("autofilter: %w", err)
	}
	if err := printSetup(f, name, page{paper: paper, titles: true}); err != nil {
		return nil, err
	}
	if err := f.SetSheetDimension(name, ref); err != nil {
		return nil, fmt.Errorf("dimension: %w", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("stream writer: %w", err)
	}
	// Last column first: excelize puts each new <col> before the earlier ones,
	// and Excel wants them in ascending order.
	for i := len(widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, float64(min(max(widths[i]+2, minColWidth), maxColWidth))); err != nil {
			return nil, fmt.Errorf("column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("freeze header: %w", err)
	}
	return sw, nil
}
