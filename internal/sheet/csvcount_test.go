package sheet

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCSVMacLineEnds: a "CSV (Macintosh)" file ends its lines with CR
// alone; Open and CountColumn read it as lines, the same way, in every
// encoding, while a lone CR in a file with LF line ends stays in its cell.
func TestCSVMacLineEnds(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       [][]string // records' cells
		lines      []int
	}{
		{"utf-8", "order_ref;n\rR1;1\rR1;2\r\rR2;\"a\rb\"\r", [][]string{{"R1", "1"}, {"R1", "2"}, {"R2", "a\nb"}}, []int{2, 3, 5}},
		{"utf-8 with BOM", "\xEF\xBB\xBForder_ref,n\rR1,1\rR1,2", [][]string{{"R1", "1"}, {"R1", "2"}}, []int{2, 3}},
		{"windows-1252", "order_ref;Num\xe9ro\rR\xe9;1\rR\xe9;2\r", [][]string{{"Ré", "1"}, {"Ré", "2"}}, []int{2, 3}},
		{"utf-16", "\xFF\xFEo\x00r\x00d\x00e\x00r\x00_\x00r\x00e\x00f\x00\r\x00R\x001\x00\r\x00R\x001\x00\r\x00", [][]string{{"R1"}, {"R1"}}, []int{2, 3}},
		{"a lone CR among LF line ends", "order_ref,n\nR1,a\rb\nR1,2\n", [][]string{{"R1", "a\rb"}, {"R1", "2"}}, []int{2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "mac.csv", []byte(tc.data))
			wb, err := Open(path, Options{})
			require.NoError(t, err)
			var got [][]string
			var lines []int
			for _, r := range wb.Sheets[0].Records {
				got = append(got, r.Cells)
				lines = append(lines, r.Line)
			}
			assert.Equal(t, tc.want, got, "records")
			assert.Equal(t, tc.lines, lines, "lines")
			counts, err := CountColumn(path, Options{}, func(_ string, h []string) int { return slices.Index(h, "order_ref") }, strings.TrimSpace)
			require.NoError(t, err)
			require.NotNil(t, counts[""])
			assert.Equal(t, 2, counts[""].Count(tc.want[0][0]), "count of %q", tc.want[0][0])
			checkCounts(t, path, Options{})
		})
	}
}

// TestCountColumnCSVTooManyRows: the first pass refuses a CSV with more
// rows than Open accepts, as Open does, so that nothing is sent from it.
func TestCountColumnCSVTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("order_ref,n\n")
	for i := range 30 {
		fmt.Fprintf(&b, "R%d,%d\n\n", i, i)
	}
	path := writeTemp(t, "long.csv", []byte(b.String()))
	for _, tc := range []struct {
		max     int
		refused bool
	}{{29, true}, {30, false}} {
		_, openErr := Open(path, Options{MaxRows: tc.max})
		_, countErr := CountColumn(path, Options{MaxRows: tc.max}, func(string, []string) int { return 0 }, nil)
		if tc.refused {
			require.ErrorIs(t, openErr, ErrTooLarge)
			require.ErrorIs(t, countErr, ErrTooLarge, "CountColumn refuses what Open refuses")
			assert.Contains(t, countErr.Error(), "long.csv")
		} else {
			require.NoError(t, openErr)
			require.NoError(t, countErr)
		}
	}
}

// writeBigCSV writes a CSV of about size bytes: few distinct order_refs,
// so that the counts stay small beside the file.
func writeBigCSV(t testing.TB, size int) string {
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriter(f)
	n, _ := w.WriteString("order_ref,client_name,street,city,notes\n")
	for i := 0; n < size; i++ {
		k, _ := fmt.Fprintf(w, "REF-%d,Client %d,%d avenue Jean Jaurès,Pessac,%s\n", i%500, i, i, strings.Repeat("x", 60))
		n += k
	}
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	return path
}

// peakHeap runs fn with the garbage collector kept tight and returns the
// highest heap in use seen while it ran, beyond the heap before it.
func peakHeap(fn func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var (
		peak uint64
		wg   sync.WaitGroup
	)
	stop := make(chan struct{})
	wg.Go(func() { // ends when stop is closed
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	fn()
	close(stop)
	wg.Wait()
	if peak < base {
		return 0
	}
	return peak - base
}

// TestCountColumnCSVDoesNotHoldTheFile: the first pass over a large CSV
// streams it: the heap it uses stays well below the file's size (it held
// the whole file, and more, before).
func TestCountColumnCSVDoesNotHoldTheFile(t *testing.T) {
	const size = 24 << 20
	path := writeBigCSV(t, size)
	var counts map[string]*ValueCounts
	var err error
	peak := peakHeap(func() {
		counts, err = CountColumn(path, Options{MaxRows: 1 << 30}, func(_ string, h []string) int { return slices.Index(h, "order_ref") }, nil)
	})
	require.NoError(t, err)
	assert.Positive(t, counts[""].Count("REF-7"))
	if peak > size/4 {
		t.Fatalf("got a peak heap of %d MiB for a %d MiB file, want under a quarter of it", peak>>20, size>>20)
	}
}

// BenchmarkCountColumnCSVHeap reports the heap the first pass over a
// 64 MiB CSV uses at its peak, beside the file's size; it fails when the
// pass holds as much as half the file.
func BenchmarkCountColumnCSVHeap(b *testing.B) {
	const size = 64 << 20
	path := writeBigCSV(b, size)
	column := func(_ string, h []string) int { return slices.Index(h, "order_ref") }
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			if _, err := CountColumn(path, Options{MaxRows: 1 << 30}, column, nil); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(size)/(1<<20), "file-MiB")
	if peak > size/2 {
		b.Fatalf("got a peak heap of %d MiB for a %d MiB file: the first pass holds the file", peak>>20, size>>20)
	}
}
