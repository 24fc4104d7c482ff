package batch

import (
	"bytes"
	"io"
	"os"

	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// layout is what the first pass learnt of a file before it is read: which
// sheets hold orders, of what kind, how many rows carry each order_ref, and
// each sheet's size.
type layout struct {
	sheets map[string]*sheetPlan // by sheet name ("" for a CSV)
}

// sheetPlan is one sheet of a layout.
type sheetPlan struct {
	orders bool // an order sheet (orderSheets)
	kind   order.Kind
	counts order.RefCounts
	size   sheet.SheetSize
}

// firstPass reads the file's layout cheaply. nil when it cannot: then the
// whole file is read and checked before anything is sent.
func (p *pass) firstPass() *layout {
	return nil
}

// sniffFormat tells an XLSX (a zip) from anything else, read as CSV, for
// the report's name; the reader decides what the file really is.
func sniffFormat(path string) sheet.Format {
	f, err := os.Open(path)
	if err != nil {
		return sheet.XLSX
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	if bytes.Equal(head[:n], []byte("PK\x03\x04")) {
		return sheet.XLSX
	}
	return sheet.CSV
}
