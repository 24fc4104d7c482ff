package batch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// TestProcessChecksRowsWhileReading: the first rows are checked before the
// last ones are read. The read may run at most chunkQueue+2 chunks ahead of
// the checks (one being checked, chunkQueue waiting, one being handed
// over), so with more chunks than that the order of events is certain,
// whatever the machine's speed.
func TestProcessChecksRowsWhileReading(t *testing.T) {
	const size, chunks = 3, chunkQueue + 5
	defer func(n int) { chunkRows, onRead, onChecked = n, nil, nil }(chunkRows)
	chunkRows = size

	e := newEnv(t)
	var rows [][]string
	for i := range size * chunks {
		rows = append(rows, l2Row(fmt.Sprintf("S-%03d", i), fmt.Sprintf("Client %d", i)))
	}
	in := writeCSV(t, e.dir, "stream.csv", rows...)

	var mu sync.Mutex
	var events []string
	onRead = func(first int) { mu.Lock(); events = append(events, fmt.Sprintf("read %d", first)); mu.Unlock() }
	onChecked = func(first int) { mu.Lock(); events = append(events, fmt.Sprintf("checked %d", first)); mu.Unlock() }

	s, err := Process(context.Background(), in, Options{Order: e.opts().Order, ReportDir: e.dir})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{NotSubmitted: size * chunks}, s.Counts)

	firstChecked := slices.Index(events, "checked 2")
	lastRead := slices.Index(events, fmt.Sprintf("read %d", 2+size*(chunks-1)))
	require.NotEqual(t, -1, firstChecked, "events %v", events)
	require.NotEqual(t, -1, lastRead, "events %v", events)
	assert.Less(t, firstChecked, lastRead, "got events %v: want the first chunk checked before the last is read", events)
	assert.Len(t, events, 2*chunks, "every chunk read once and checked once")
}

// TestProcessChunksKeepReports: every public fixture orderdrop can
// read gives the same report, row for row, when its rows are checked one
// at a time and streamed (first pass on) as when the file is read whole
// first and checked in one chunk: orders whose rows fall in different
// chunks, duplicate keys and every status are unchanged.
func TestProcessChunksKeepReports(t *testing.T) {
	inbox := filepath.Join("..", "..", "..", "shared", "fixtures", "inbox")
	files, err := filepath.Glob(filepath.Join(inbox, "*.*"))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skip("public fixtures not present")
	}
	defer func(n int) { chunkRows, firstPassOff = n, false }(chunkRows)
	e := newEnv(t)
	report := func(path string, size int) [][]string {
		chunkRows = size
		o := Options{Order: e.opts().Order, ReportDir: filepath.Join(e.dir, fmt.Sprint(size)), Now: func() time.Time { return e.opts().Order.Now }}
		s, err := Process(context.Background(), path, o)
		if err != nil {
			return [][]string{{"error", err.Error()}}
		}
		wb, err := sheet.Open(s.Report, sheet.Options{})
		require.NoError(t, err)
		var out [][]string
		for _, tab := range wb.Sheets {
			out = append(out, append([]string{tab.Name}, tab.Header...))
			for _, r := range tab.Records {
				out = append(out, r.Cells)
			}
		}
		return out
	}
	compared := 0
	for _, f := range files {
		if st, err := os.Stat(f); err != nil || st.IsDir() {
			continue
		}
		firstPassOff = true // read whole before anything is settled, as before streaming
		whole := report(f, 1<<20)
		firstPassOff = false
		oneByOne := report(f, 1)
		assert.Equal(t, whole, oneByOne, "%s: the report differs when rows are checked one at a time and streamed", filepath.Base(f))
		if len(whole) > 1 {
			compared++
		}
	}
	t.Logf("compared %d reports", compared)
	assert.GreaterOrEqual(t, compared, 4, "want most fixtures read and compared")
}

// recordingCarrier notes each order it is sent as an event.
type recordingCarrier struct {
	*fakeCarrier
	event func(string)
}

func (r recordingCarrier) Submit(ctx context.Context, o *order.Order, s carrier.Submission) carrier.Result {
	r.event("sent " + o.Ref)
	return r.fakeCarrier.Submit(ctx, o, s)
}

// TestProcessSendsWhileReading: the first orders are sent before the last
// rows are read (the queues between the stages are bounded, so with
// enough chunks the order of events is certain), while an order whose
// rows are the first and the last of the file waits for its last row, and
// goes whole.
func TestProcessSendsWhileReading(t *testing.T) {
	const size, chunks = 3, 40
	defer func(n int) { chunkRows, onRead = n, nil }(chunkRows)
	chunkRows = size

	e := newEnv(t)
	var rows [][]string
	for i := range size * chunks {
		ref, client := fmt.Sprintf("S-%03d", i), fmt.Sprintf("Client %d", i)
		if i == 0 || i == size*chunks-1 {
			ref, client = "SPLIT", "Split Co" // the rows of one order agree
		}
		rows = append(rows, l2Row(ref, client))
	}
	in := writeCSV(t, e.dir, "stream.csv", rows...)

	var mu sync.Mutex
	var events []string
	event := func(s string) { mu.Lock(); events = append(events, s); mu.Unlock() }
	onRead = func(first int) { event(fmt.Sprintf("read %d", first)) }
	o := e.opts()
	o.Concurrency = map[order.Kind]int{order.L2: 1}
	o.Carriers = map[order.Kind]Submitter{order.L2: recordingCarrier{e.fake, event}}

	s, err := Process(context.Background(), in, o)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Submitted: size * chunks}, s.Counts)

	lastRead := slices.Index(events, fmt.Sprintf("read %d", 2+size*(chunks-1)))
	firstSent := slices.Index(events, "sent S-001")
	split := slices.Index(events, "sent SPLIT")
	require.NotEqual(t, -1, lastRead, "events %v", events)
	assert.Less(t, firstSent, lastRead, "got events %v: want the first order sent before the last rows are read", events)
	assert.Greater(t, split, lastRead, "got events %v: want the order of the first and last rows sent after its last row is read", events)
	assert.Equal(t, 1, e.fake.sent["SPLIT"], "the split order is sent once")

	rep, err := sheet.Open(s.Report, sheet.Options{})
	require.NoError(t, err)
	require.Len(t, rep.Sheets[0].Records, size*chunks)
	for i, r := range rep.Sheets[0].Records {
		assert.Equal(t, i+2, r.Num)
		assert.Equal(t, Submitted, r.Cells[len(l2Header)], "row %d", r.Num)
	}
}

// TestProcessDamagedFileSendsNothing: a file that turns out damaged near
// its end sends none of the orders of its first rows, streaming or not:
// the first pass finds the damage before anything is sent.
func TestProcessDamagedFileSendsNothing(t *testing.T) {
	defer func(n int) { chunkRows = n }(chunkRows)
	chunkRows = 2
	e := newEnv(t)
	var rows [][]string
	for i := range 50 {
		rows = append(rows, l2Row(fmt.Sprintf("D-%03d", i), fmt.Sprintf("Client %d", i)))
	}
	in := writeCSV(t, e.dir, "damaged.csv", rows...)
	f, err := os.OpenFile(in, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("D-999,Bad \"quote here,2201\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())

	_, err = Process(context.Background(), in, e.opts())
	var fe *FileError
	require.ErrorAs(t, err, &fe)
	assert.Contains(t, err.Error(), "line 52")
	assert.Zero(t, e.fake.total(), "orders sent from a damaged file")
}

// TestProcessReportFailureStopsNothing: when the report cannot be written
// (here its folder cannot be made), the pass still reads the whole file,
// sends and records what it must, and returns the error: the checker never
// waits for a reporter that has given up.
func TestProcessReportFailureStopsNothing(t *testing.T) {
	defer func(n int) { chunkRows = n }(chunkRows)
	chunkRows = 64
	e := newEnv(t)
	rows := make([][]string, 0, 3*maxReportLag)
	for i := range 3 * maxReportLag {
		rows = append(rows, l2Row(fmt.Sprintf("F-%05d", i), fmt.Sprintf("Client %d", i)))
	}
	in := writeCSV(t, e.dir, "big.csv", rows...)
	notADir := filepath.Join(e.dir, "reports-file")
	require.NoError(t, os.WriteFile(notADir, nil, 0o600))

	o := e.opts()
	o.Ledger, o.ReportDir = nil, notADir // validation only: every row settles at once
	done := make(chan error, 1)
	go func() { _, err := Process(context.Background(), in, o); done <- err }()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.Contains(t, err.Error(), "report")
	case <-time.After(2 * time.Minute): // a deadlock, not a slow machine
		t.Fatal("Process did not return after the report failed")
	}
}
