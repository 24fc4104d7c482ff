package batch

import (
	"sync"

	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// chunkQueue is how many chunks of read records may wait for their checks;
// beyond it the read waits, so the records in flight stay bounded.
const chunkQueue = 4

// sheetParser is a sheet's rows being checked as they are read.
type sheetParser struct {
	kind order.Kind
	p    *order.Parser
}

// chunkRows is how many records are checked at a time; 0 = the reader's
// default (sheet.DefaultChunkRows). Tests make it small.
var chunkRows = 0

// onRead and onChecked, when set by a test, are called as each chunk has
// been read and after it has been checked, with the number of its first
// row. nil = no calls.
var onRead, onChecked func(firstRow int)

// readChecking reads the file at path and checks the rows of every sheet
// whose kind its name or header gives while the rest is still read: the
// reader hands records over in chunks, one goroutine checks them (each
// chunk on every CPU). It returns the workbook and, per sheet it could
// check, the parser holding its rows, for Result (nil for the others).
// Which sheets hold orders and what a sheet without a kind means are
// decided afterwards, as for a file read whole (newPass); a sheet without
// a parser is checked then.
//
// The cost: a sheet's orders are built while the reader still holds its
// own state (for XLSX, excelize's shared strings), so the read's peak
// memory holds both.
func readChecking(path string, opts order.Options) (*sheet.Workbook, map[*sheet.Table]*sheetParser, error) {
	type chunk struct {
		t    *sheet.Table
		recs []sheet.Record
	}
	chunks := make(chan chunk, chunkQueue)
	parsers := map[*sheet.Table]*sheetParser{}
	var wg sync.WaitGroup
	wg.Go(func() { // ends when the read below closes chunks
		for c := range chunks {
			sp, seen := parsers[c.t]
			if !seen {
				if kind, err := order.DetectKind(c.t.Name, c.t.Header); err == nil {
					sp = &sheetParser{kind: kind, p: order.NewParser(kind, c.t.Header, opts)}
				}
				parsers[c.t] = sp // nil: not an order sheet, or newPass reports its header
			}
			if sp == nil {
				continue
			}
			sp.p.Add(c.recs)
			if onChecked != nil {
				onChecked(c.recs[0].Num)
			}
		}
	})
	wb, err := sheet.Open(path, sheet.Options{ChunkRows: chunkRows, OnRows: func(t *sheet.Table, recs []sheet.Record) {
		if onRead != nil {
			onRead(recs[0].Num)
		}
		chunks <- chunk{t: t, recs: recs}
	}})
	close(chunks)
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	return wb, parsers, nil
}
