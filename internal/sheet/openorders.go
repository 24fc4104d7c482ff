package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
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

// OrderChange is one row of the Changes sheet: a stage change seen by the
// latest tracking pass.
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
	if err := WriteFileAtomic(filepath.Join(dir, OpenOrdersXLSX), 0o640, func(w io.Writer) error {
		return writeOpenOrdersXLSX(w, oo)
	}); err != nil {
		return fmt.Errorf("write %s: %w", OpenOrdersXLSX, err)
	}
	if err := WriteFileAtomic(filepath.Join(dir, OpenOrdersCSV), 0o640, func(w io.Writer) error {
		return writeOpenOrdersCSV(w, oo)
	}); err != nil {
		return fmt.Errorf("write %s: %w", OpenOrdersCSV, err)
	}
	return nil
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

func writeOpenOrdersCSV(w io.Writer, oo *OpenOrders) error {
	if _, err := w.Write(utf8BOM); err != nil {
		return fmt.Errorf("write BOM: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(openOrderHeader); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	for i := range oo.Orders {
		cells := oo.Orders[i].cells()
		for j := range cells {
			cells[j] = csvSafe(cells[j])
		}
		if err := cw.Write(cells); err != nil {
			return fmt.Errorf("write row %d: %w", i+2, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func writeOpenOrdersXLSX(w io.Writer, oo *OpenOrders) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newReportStyles(f)
	if err != nil {
		return err
	}
	const openName, changesName, summaryName = "Open orders", "Changes", "Summary"
	if err := f.SetSheetName(f.GetSheetName(0), openName); err != nil {
		return fmt.Errorf("sheet %q: %w", openName, err)
	}
	rows := make([][]string, len(oo.Orders))
	stages := make([]string, len(oo.Orders))
	for i := range oo.Orders {
		rows[i], stages[i] = oo.Orders[i].cells(), oo.Orders[i].Stage
	}
	// stage is column 9 (index 8) of the open orders, to_stage column 7 (index 6) of the changes.
	if err := writeListSheet(f, openName, openOrderHeader, rows, 8, stages, st); err != nil {
		return fmt.Errorf("sheet %q: %w", openName, err)
	}
	if _, err := f.NewSheet(changesName); err != nil {
		return fmt.Errorf("sheet %q: %w", changesName, err)
	}
	rows = make([][]string, len(oo.Changes))
	stages = make([]string, len(oo.Changes))
	for i := range oo.Changes {
		rows[i], stages[i] = oo.Changes[i].cells(), oo.Changes[i].To
	}
	if err := writeListSheet(f, changesName, changeHeader, rows, 6, stages, st); err != nil {
		return fmt.Errorf("sheet %q: %w", changesName, err)
	}
	if _, err := f.NewSheet(summaryName); err != nil {
		return fmt.Errorf("sheet %q: %w", summaryName, err)
	}
	if err := writeOpenSummary(f, summaryName, oo, st); err != nil {
		return fmt.Errorf("sheet %q: %w", summaryName, err)
	}
	// The first sheet is the active one already; SetActiveSheet would read
	// every streamed sheet back into memory (hundreds of MB for a large list).
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// writeListSheet streams a header and rows, with a filter on every column,
// the header frozen, and column stageCol filled by its stage's colour.
func writeListSheet(f *excelize.File, name string, header []string, rows [][]string, stageCol int, stages []string, st *reportStyles) error {
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = textWidth(h)
	}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], textWidth(c))
		}
	}
	lastCol, err := excelize.ColumnNumberToName(len(header))
	if err != nil {
		return err
	}
	sw, err := startListSheet(f, name, lastCol, len(rows)+1, widths)
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
	for ri, r := range rows {
		clear(vals)
		for i, c := range r {
			if c != "" {
				vals[i] = c // an inline string, never a formula
			}
		}
		if id, ok := st.fill[stageFill(stages[ri])]; ok {
			label := stages[ri]
			if label == "" {
				label = "not asked yet"
			}
			vals[stageCol] = excelize.Cell{StyleID: id, Value: label}
		}
		if err := sw.SetRow("A"+strconv.Itoa(ri+2), vals); err != nil {
			return fmt.Errorf("row %d: %w", ri+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	return nil
}

// writeOpenSummary counts the open orders per stage and names the time.
func writeOpenSummary(f *excelize.File, name string, oo *OpenOrders, st *reportStyles) error {
	counts := map[string]int{}
	for i := range oo.Orders {
		counts[oo.Orders[i].Stage]++
	}
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
	if err := set("B1", stamp(oo.Generated), 0); err != nil {
		return err
	}
	if err := set("A2", "open orders", st.header); err != nil {
		return err
	}
	if err := set("B2", len(oo.Orders), 0); err != nil {
		return err
	}
	if err := set("A3", "changes in the last tracking pass", st.header); err != nil {
		return err
	}
	if err := set("B3", len(oo.Changes), 0); err != nil {
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
