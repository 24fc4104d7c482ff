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
