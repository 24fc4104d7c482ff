package sheet

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/orderdrop/orderdrop/internal/display"
)

// OpenOrder is one row of the open-orders workbook: a submitted order that
// is not final yet.
type OpenOrder struct {
	Kind        string
	OrderRef    string
	Key         string
	Carrier     string
	Reference   string // the carrier's
	File        string // the input file as dropped; "" for orders submitted before orderdrop recorded it
	Rows        string // "2, 3" or `sheet "l2" row 2`
	SubmittedAt time.Time
	Stage       string // normalised stage; "" = not asked yet
	Date        string // YYYY-MM-DD scheduled date
	Status      string // the carrier's own word
	Message     string // the carrier's message, or why it is no longer polled
	LastChecked time.Time
}

// OrderChange is one row of the Changes sheet: a stage change seen by
// tracking in the last 30 days.
type OrderChange struct {
	At        time.Time
	Kind      string
	OrderRef  string
	Key       string
	Reference string
	From, To  string // stages; From "" for the first answer
	Date      string
	Status    string
	Message   string
}

// OpenOrders is the content of reports/open-orders.xlsx and its CSV twin.
type OpenOrders struct {
	Generated time.Time
	Orders    []OpenOrder
	Changes   []OrderChange
}

// Names of the open-orders files in the reports folder.
const (
	OpenOrdersXLSX = "open-orders.xlsx"
	OpenOrdersCSV  = "open-orders.csv"
)

var openOrderHeader = []string{"kind", "order_ref", "key", "carrier", "carrier_reference", "input_file", "input_rows",
	"submitted_at", "stage", "scheduled_date", "carrier_status", "carrier_message", "last_checked"}

var changeHeader = []string{"changed_at", "kind", "order_ref", "key", "carrier_reference", "from_stage", "to_stage",
	"scheduled_date", "carrier_status", "carrier_message"}

// stageFill colours a stage like the reports colour a status.
func stageFill(stage string) string {
	switch stage {
	case "confirmed", "scheduled", "completed":
		return fillGreen
	case "on_hold", "cancelled", "":
		return fillAmber
	case "rejected":
		return fillRed
	}
	return ""
}

// WriteOpenOrders writes dir/open-orders.xlsx (sheets "Open orders" with a
// filter on every column, "Changes" and "Summary") and dir/open-orders.csv
// (the open orders alone, UTF-8 with BOM), each crash-safely (see
// WriteFileAtomic) with mode 0640.
func WriteOpenOrders(dir string, oo *OpenOrders) error {
	_, err := WriteOpenOrdersStream(dir, &OpenOrdersStream{Generated: oo.Generated, Changes: oo.Changes,
		Orders: func(yield func(*OpenOrder) error) error {
			for i := range oo.Orders {
				if err := yield(&oo.Orders[i]); err != nil {
					return err
				}
			}
			return nil
		}})
	return err
}

// OpenOrdersStream is the content of the open-orders files for a list too
// long to hold: the orders are handed over one at a time.
type OpenOrdersStream struct {
	Generated time.Time
	// Orders calls yield with every open order, in the workbook's order, and
	// stops at yield's first error, returning it. It is called once to write
	// both files, and once before that to count and size the columns when
	// Sizes is nil; each call must hand over the same orders. yield does
	// not keep the order it is given.
	Orders func(yield func(*OpenOrder) error) error
	// Sizes, when not nil, holds every order of Orders already (see
	// OpenOrdersSizes.Add), which spares a walk over them.
	Sizes   *OpenOrdersSizes
	Changes []OrderChange
}

// OpenOrdersSizes is what the workbook must know of the open orders before
// their first row: how many, per stage, and how wide each column is.
// The zero value is empty and ready.
type OpenOrdersSizes struct {
	orders  int
	byStage map[string]int
	widths  []int
}

// Add counts o and widens the columns its values need.
func (z *OpenOrdersSizes) Add(o *OpenOrder) {
	z.init()
	z.orders++
	z.byStage[o.Stage]++
	for i, c := range o.cells() {
		z.widths[i] = max(z.widths[i], textWidth(c))
	}
}

// init gives an empty z the header's widths.
func (z *OpenOrdersSizes) init() {
	if z.widths == nil {
		z.widths, z.byStage = headerWidths(openOrderHeader), map[string]int{}
	}
}

// OpenOrdersCount is what WriteOpenOrdersStream wrote.
type OpenOrdersCount struct {
	Orders  int            // open orders
	ByStage map[string]int // open orders per stage ("" = not asked yet)
	Changes int            // rows of the Changes sheet
}

// WriteOpenOrdersStream writes the same files as WriteOpenOrders, holding
// one order at a time, and returns what they hold. The CSV is written
// beside the workbook's first sheet, in the same walk over the orders, and
// put in place just before the workbook.
func WriteOpenOrdersStream(dir string, s *OpenOrdersStream) (OpenOrdersCount, error) {
	sizes := s.Sizes
	if sizes == nil {
		sizes = &OpenOrdersSizes{}
		if err := s.Orders(func(o *OpenOrder) error { sizes.Add(o); return nil }); err != nil {
			return OpenOrdersCount{}, fmt.Errorf("read open orders: %w", err)
		}
	}
	sizes.init()
	count := OpenOrdersCount{Orders: sizes.orders, ByStage: maps.Clone(sizes.byStage), Changes: len(s.Changes)}
	if err := WriteFileAtomic(filepath.Join(dir, OpenOrdersXLSX), 0o640, func(wx io.Writer) error {
		if err := WriteFileAtomic(filepath.Join(dir, OpenOrdersCSV), 0o640, func(wc io.Writer) error {
			return writeOpenOrdersXLSX(wx, wc, s, sizes)
		}); err != nil {
			return fmt.Errorf("write %s: %w", OpenOrdersCSV, err)
		}
		return nil
	}); err != nil {
		return OpenOrdersCount{}, fmt.Errorf("write %s: %w", OpenOrdersXLSX, err)
	}
	if err := os.Remove(filepath.Join(dir, OpenOrdersStale)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return count, fmt.Errorf("remove %s after rewriting the open orders: %w", OpenOrdersStale, err)
	}
	return count, nil
}

// OpenOrdersStale is the note MarkOpenOrdersStale writes beside workbooks
// that could not be rewritten. Its name sorts beside them and its first
// line says they are out of date, so that whoever looks for the workbook
// in the folder sees it; the next good write removes it.
const OpenOrdersStale = "open-orders.STALE.txt"

// MarkOpenOrdersStale writes OpenOrdersStale in dir: the open-orders files
// there could not be rewritten at `at` because of cause, they show the
// orders as they stood when last written (the workbook's modification
// time), and what to do. Times are shown in at's location.
func MarkOpenOrdersStale(dir string, at time.Time, cause error) error {
	const layout = "2006-01-02 15:04 MST"
	asOf := "their last successful write (they have never been written)"
	if st, err := os.Stat(filepath.Join(dir, OpenOrdersXLSX)); err == nil {
		asOf = st.ModTime().In(at.Location()).Format(layout) + ", their last successful write"
	}
	why := "unknown error"
	if cause != nil {
		why = display.Line(cause.Error())
	}
	note := fmt.Sprintf(`%[1]s and %[2]s in this folder are OUT OF DATE.

orderdrop could not rewrite them at %[3]s:
  %[4]s

They show the open orders as of %[5]s,
not what the carriers said since.

What to do: fix the cause (free disk space, the reports folder's
permissions, a workbook left open in a spreadsheet program), then run
orderdrop track: it rewrites both files and removes this note. Until then,
orderdrop status, orderdrop attention and the review page show the current
state.
`, OpenOrdersXLSX, OpenOrdersCSV, at.Format(layout), why, asOf)
	if err := WriteFileAtomic(filepath.Join(dir, OpenOrdersStale), 0o640, func(w io.Writer) error {
		_, err := io.WriteString(w, note)
		return err
	}); err != nil {
		return fmt.Errorf("write %s: %w", OpenOrdersStale, err)
	}
	return nil
}

// headerWidths are the display widths of a header's names.
func headerWidths(header []string) []int {
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = textWidth(h)
	}
	return widths
}

func (o *OpenOrder) cells() []string {
	return []string{o.Kind, o.OrderRef, o.Key, o.Carrier, o.Reference, o.File, o.Rows, stamp(o.SubmittedAt),
		o.Stage, o.Date, o.Status, o.Message, stamp(o.LastChecked)}
}

func (c *OrderChange) cells() []string {
	return []string{stamp(c.At), c.Kind, c.OrderRef, c.Key, c.Reference, c.From, c.To, c.Date, c.Status, c.Message}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04")
}

// openOrdersCSV writes the CSV twin of the workbook's first sheet.
type openOrdersCSV struct {
	cw  *csv.Writer
	row int
}

// startOpenOrdersCSV writes the BOM and the header.
func startOpenOrdersCSV(w io.Writer) (*openOrdersCSV, error) {
	if _, err := w.Write(utf8BOM); err != nil {
		return nil, fmt.Errorf("write BOM: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(openOrderHeader); err != nil {
		return nil, fmt.Errorf("write header: %w", err)
	}
	return &openOrdersCSV{cw: cw, row: 1}, nil
}

// write writes one order's row.
func (c *openOrdersCSV) write(cells []string) error {
	c.row++
	safe := make([]string, len(cells))
	for j := range cells {
		safe[j] = csvSafe(cells[j])
	}
	if err := c.cw.Write(safe); err != nil {
		return fmt.Errorf("write row %d: %w", c.row, err)
	}
	return nil
}

// finish flushes what is buffered.
func (c *openOrdersCSV) finish() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// writeOpenOrdersXLSX writes the workbook to w and, in the same walk over
// the orders, the CSV to wc.
func writeOpenOrdersXLSX(w, wc io.Writer, s *OpenOrdersStream, sizes *OpenOrdersSizes) error {
	cw, err := startOpenOrdersCSV(wc)
	if err != nil {
		return fmt.Errorf("write %s: %w", OpenOrdersCSV, err)
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newReportStyles(f)
	if err != nil {
		return err
	}
	count := OpenOrdersCount{Orders: sizes.orders, ByStage: sizes.byStage, Changes: len(s.Changes)}
	const openName, changesName, summaryName = "Open orders", "Changes", "Summary"
	paper := paperFor(s.Generated.Location()) // Generated is in the configured time zone
	if err := f.SetSheetName(f.GetSheetName(0), openName); err != nil {
		return fmt.Errorf("sheet %q: %w", openName, err)
	}
	// stage is column 9 (index 8) of the open orders, to_stage column 7 (index 6) of the changes.
	err = writeListSheet(f, openName, openOrderHeader, count.Orders, sizes.widths, 8, paper, st, func(row func([]string, string) error) error {
		return s.Orders(func(o *OpenOrder) error {
			cells := o.cells()
			if err := row(cells, o.Stage); err != nil {
				return err
			}
			if err := cw.write(cells); err != nil {
				return fmt.Errorf("write %s: %w", OpenOrdersCSV, err)
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("sheet %q: %w", openName, err)
	}
	if err := cw.finish(); err != nil {
		return fmt.Errorf("write %s: %w", OpenOrdersCSV, err)
	}
	if _, err := f.NewSheet(changesName); err != nil {
		return fmt.Errorf("sheet %q: %w", changesName, err)
	}
	widths := headerWidths(changeHeader)
	for i := range s.Changes {
		for j, c := range s.Changes[i].cells() {
			widths[j] = max(widths[j], textWidth(c))
		}
	}
	err = writeListSheet(f, changesName, changeHeader, len(s.Changes), widths, 6, paper, st, func(row func([]string, string) error) error {
		for i := range s.Changes {
			if err := row(s.Changes[i].cells(), s.Changes[i].To); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sheet %q: %w", changesName, err)
	}
	if _, err := f.NewSheet(summaryName); err != nil {
		return fmt.Errorf("sheet %q: %w", summaryName, err)
	}
	if err := printSetup(f, summaryName, page{paper: paper, tall: 1}); err != nil {
		return fmt.Errorf("sheet %q: %w", summaryName, err)
	}
	if err := writeOpenSummary(f, summaryName, s.Generated, count, st); err != nil {
		return fmt.Errorf("sheet %q: %w", summaryName, err)
	}
	// The first sheet is the active one already; SetActiveSheet would read
	// every streamed sheet back into memory (hundreds of MB for a large list).
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// writeListSheet streams a header and the n rows each hands over (cells
// and stage), with a filter on every column, the header frozen, columns as
// wide as widths say, and column stageCol filled by its stage's colour,
// printed on paper.
func writeListSheet(f *excelize.File, name string, header []string, n int, widths []int, stageCol int, paper int, st *reportStyles,
	each func(row func(cells []string, stage string) error) error) error {
	lastCol, err := excelize.ColumnNumberToName(len(header))
	if err != nil {
		return err
	}
	sw, err := startListSheet(f, name, lastCol, n+1, widths, paper)
	if err != nil {
		return err
	}
	vals := make([]any, len(header))
	for i, h := range header {
		vals[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", vals); err != nil {
		return fmt.Errorf("header row: %w", err)
	}
	ri := 0
	err = each(func(r []string, stage string) error {
		if ri == n {
			return fmt.Errorf("more than the %d rows counted: %w", n, errRowsChanged)
		}
		clear(vals)
		for i, c := range r {
			if c != "" {
				vals[i] = c // an inline string, never a formula
			}
		}
		if id, ok := st.fill[stageFill(stage)]; ok {
			label := stage
			if label == "" {
				label = "not asked yet"
			}
			vals[stageCol] = excelize.Cell{StyleID: id, Value: label}
		}
		if err := sw.SetRow("A"+strconv.Itoa(ri+2), vals); err != nil {
			return fmt.Errorf("row %d: %w", ri+2, err)
		}
		ri++
		return nil
	})
	if err != nil {
		return err
	}
	if ri != n {
		return fmt.Errorf("%d rows where %d were counted: %w", ri, n, errRowsChanged)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	return nil
}

// errRowsChanged is returned when an OpenOrdersStream hands over a
// different number of orders from one walk to the next.
var errRowsChanged = errors.New("the orders changed while the workbook was written")

// writeOpenSummary counts the open orders per stage and names the time.
func writeOpenSummary(f *excelize.File, name string, generated time.Time, count OpenOrdersCount, st *reportStyles) error {
	counts := count.ByStage
	set := func(cell string, v any, style int) error {
		if err := f.SetCellValue(name, cell, v); err != nil {
			return err
		}
		if style != 0 {
			return f.SetCellStyle(name, cell, cell, style)
		}
		return nil
	}
	if err := set("A1", "generated", st.header); err != nil {
		return err
	}
	if err := set("B1", stamp(generated), 0); err != nil {
		return err
	}
	if err := set("A2", "open orders", st.header); err != nil {
		return err
	}
	if err := set("B2", count.Orders, 0); err != nil {
		return err
	}
	if err := set("A3", "changes in the last tracking pass", st.header); err != nil {
		return err
	}
	if err := set("B3", count.Changes, 0); err != nil {
		return err
	}
	row := 5
	if err := set("A4", "stage", st.header); err != nil {
		return err
	}
	if err := set("B4", "orders", st.header); err != nil {
		return err
	}
	for _, stage := range []string{"", "pending", "confirmed", "scheduled", "on_hold"} {
		label := stage
		if label == "" {
			label = "not asked yet"
		}
		style := 0
		if id, ok := st.fill[stageFill(stage)]; ok {
			style = id
		}
		if err := set("A"+strconv.Itoa(row), label, style); err != nil {
			return err
		}
		if err := set("B"+strconv.Itoa(row), counts[stage], 0); err != nil {
			return err
		}
		row++
	}
	return f.SetColWidth(name, "A", "A", 36)
}
