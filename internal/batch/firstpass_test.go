package batch

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// TestProcessTooLongCSVSendsNothing: a CSV with more rows than Open
// accepts is refused by the first pass, before the orders of its first
// rows are sent (they were, chunk by chunk, until Open reached the limit).
func TestProcessTooLongCSVSendsNothing(t *testing.T) {
	e := newEnv(t)
	path := filepath.Join(e.dir, "long.csv")
	f, err := os.Create(path)
	require.NoError(t, err)
	bw := bufio.NewWriter(f)
	w := csv.NewWriter(bw)
	require.NoError(t, w.Write(l2Header))
	for i := range 3000 {
		require.NoError(t, w.Write(l2Row(fmt.Sprintf("T-%05d", i), fmt.Sprintf("Client %d", i))))
	}
	w.Flush()
	require.NoError(t, w.Error())
	for i := range sheet.DefaultMaxRows {
		fmt.Fprintf(bw, "U-%d\n", i)
	}
	require.NoError(t, bw.Flush())
	require.NoError(t, f.Close())

	_, err = Process(context.Background(), path, e.opts())
	var fe *FileError
	require.ErrorAs(t, err, &fe)
	require.ErrorIs(t, err, sheet.ErrTooLarge)
	assert.Contains(t, err.Error(), "long.csv")
	assert.Zero(t, e.fake.total(), "orders sent from a file too long to read")
}

// TestProcessMacCSV: a "CSV (Macintosh)" file, its lines ended by CR
// alone, is read row by row: each order is sent.
func TestProcessMacCSV(t *testing.T) {
	e := newEnv(t)
	var b strings.Builder
	w := csv.NewWriter(&b)
	require.NoError(t, w.Write(l2Header))
	for i := range 3 {
		require.NoError(t, w.Write(l2Row(fmt.Sprintf("M-%d", i), fmt.Sprintf("Client %d", i))))
	}
	w.Flush()
	path := filepath.Join(e.dir, "mac.csv")
	require.NoError(t, os.WriteFile(path, []byte(strings.ReplaceAll(b.String(), "\n", "\r")), 0o600))

	s, err := Process(context.Background(), path, e.opts())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Submitted: 3}, s.Counts)
	assert.Equal(t, 3, e.fake.total(), "orders sent")
}

// underCounter counts one row fewer of one order_ref than there are.
type underCounter struct {
	order.RefCounts
	ref string
}

func (u underCounter) Count(ref string) int {
	n := u.RefCounts.Count(ref)
	if ref == u.ref {
		n--
	}
	return n
}

// TestProcessUndercountSendsNoPartialOrder: were the first pass to count
// fewer rows of an order_ref than the file holds, the order would be sent
// with part of its rows; the parser notices, before forming it, and the
// pass stops: that order is never sent.
func TestProcessUndercountSendsNoPartialOrder(t *testing.T) {
	defer func(n int, rc func(*sheet.ValueCounts) order.RefCounts) { chunkRows, refCounts = n, rc }(chunkRows, refCounts)
	chunkRows = 2
	refCounts = func(c *sheet.ValueCounts) order.RefCounts { return underCounter{c, "G-1"} }
	e := newEnv(t)
	in := writeCSV(t, e.dir, "under.csv", l2Row("A-0", "Client 0"), l2Row("A-1", "Client 1"),
		l2Row("G-1", "Client G"), l2Row("G-1", "Client G"), l2Row("A-4", "Client 4"))

	_, err := Process(context.Background(), in, e.opts())
	var fe *FileError
	require.ErrorAs(t, err, &fe)
	require.ErrorIs(t, err, order.ErrCountMismatch)
	assert.Contains(t, err.Error(), "order_ref G-1")
	e.fake.mu.Lock()
	defer e.fake.mu.Unlock()
	assert.Zero(t, e.fake.sent["G-1"], "order G-1 sent with part of its rows")
	assert.Zero(t, e.fake.sent["A-4"], "an order read after the mismatch sent")
}

// TestProcessTooLongXLSXSendsNothing: an XLSX sheet whose first-pass size
// is beyond the rows Open accepts is read whole before anything is sent,
// so Open's refusal comes first (its first rows were sent, chunk by chunk).
func TestProcessTooLongXLSXSendsNothing(t *testing.T) {
	defer func(n, m int) { chunkRows, maxRows = n, m }(chunkRows, maxRows)
	chunkRows, maxRows = 2, 20
	e := newEnv(t)
	x := excelize.NewFile()
	defer x.Close()
	require.NoError(t, x.SetSheetName("Sheet1", "l2"))
	require.NoError(t, x.SetSheetRow("l2", "A1", &l2Header))
	for i := range 30 {
		cells := l2Row(fmt.Sprintf("X-%02d", i), fmt.Sprintf("Client %d", i))
		require.NoError(t, x.SetSheetRow("l2", fmt.Sprintf("A%d", i+2), &cells))
	}
	path := filepath.Join(e.dir, "long.xlsx")
	require.NoError(t, x.SaveAs(path))

	_, err := Process(context.Background(), path, e.opts())
	var fe *FileError
	require.ErrorAs(t, err, &fe)
	require.ErrorIs(t, err, sheet.ErrTooLarge)
	assert.Zero(t, e.fake.total(), "orders sent from a sheet too long to read")
}
