package batch

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/ledger"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// reportNames lists the reports folder.
func reportNames(t *testing.T, e *env) []string {
	t.Helper()
	des, err := os.ReadDir(filepath.Join(e.dir, "reports"))
	require.NoError(t, err)
	var out []string
	for _, d := range des {
		if !sheet.IsSummaryFile(d.Name()) { // a CSV report's summary beside it
			out = append(out, d.Name())
		}
	}
	return out
}

// A resumed file (left in processing/ by a stop, a crash or a failed write)
// continues its batch: its report replaces the partial one under the same
// name. Only a real re-drop gets a new name, NAME.result.2.csv.
func TestResumeReplacesTheReport(t *testing.T) {
	e := newEnv(t)
	in := writeCSV(t, e.dir, "stop.csv", l2Row("S-1", "One"), l2Row("S-2", "Two"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s1, err := Process(ctx, in, e.opts())
	require.NoError(t, err)
	require.True(t, s1.Interrupted)
	assert.Equal(t, filepath.Join(e.dir, "reports", "stop.result.csv"), s1.Report)

	o := e.opts()
	o.Resume = true
	s2, err := Process(context.Background(), in, o)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{Submitted: 2}, s2.Counts)
	assert.Equal(t, s1.Report, s2.Report, "the resumed pass writes the same report")
	assert.Equal(t, s1.BatchID, s2.BatchID, "and continues the same batch")
	assert.Equal(t, []string{"stop.result.csv"}, reportNames(t, e), "no copy")
	assert.Equal(t, Submitted, reportRows(t, s2.Report)["S-1"][0], "the partial report was replaced")
	bs, err := e.l.Batches(0)
	require.NoError(t, err)
	require.Len(t, bs, 1)
	assert.False(t, bs[0].Interrupted)
	assert.Len(t, bs[0].Keys, 2, "keys are not doubled")

	// The same file dropped again later (not a resume): a new report, a name
	// without spaces or brackets.
	s3, err := Process(context.Background(), in, e.opts())
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(e.dir, "reports", "stop.result.2.csv"), s3.Report)
	assert.NotEqual(t, s1.BatchID, s3.BatchID)
}

// A resumed file whose batch is Done (its move to archive/ failed) is not
// read again: no report copy, no order sent, its summary comes from the
// ledger.
func TestResumeOfADoneFileOnlyMovesIt(t *testing.T) {
	e := newEnv(t)
	in := writeCSV(t, e.dir, "done.csv", l2Row("D-1", "One"))
	s1, err := Process(context.Background(), in, e.opts())
	require.NoError(t, err)
	require.NoError(t, e.l.UpdateBatch(s1.BatchID, func(b *ledger.Batch) error { b.Done = true; return nil }))
	before, err := os.ReadFile(s1.Report)
	require.NoError(t, err)

	o := e.opts()
	o.Resume = true
	s2, err := Process(context.Background(), in, o)
	require.NoError(t, err)
	assert.True(t, s2.Done)
	assert.Equal(t, s1.Report, s2.Report)
	assert.Equal(t, s1.BatchID, s2.BatchID)
	assert.Equal(t, s1.Counts, s2.Counts)
	assert.Equal(t, 1, s2.Rows)
	assert.Equal(t, 1, e.fake.total(), "nothing sent again")
	after, err := os.ReadFile(s1.Report)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the report is left as it is")
	assert.Equal(t, []string{"done.result.csv"}, reportNames(t, e))
	assert.Contains(t, s2.Line(), "done.csv: processed by an earlier pass")
}

func TestReportTimesInConfiguredZone(t *testing.T) {
	e := newEnv(t)
	toronto, err := time.LoadLocation("America/Toronto")
	require.NoError(t, err)
	in := writeCSV(t, e.dir, "tz.csv", l2Row("T-1", "One"))
	o := e.opts()
	o.Location = toronto
	o.Now = func() time.Time { return time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC) }
	s, err := Process(context.Background(), in, o)
	require.NoError(t, err)
	raw, err := os.ReadFile(s.Report)
	require.NoError(t, err)
	assert.Regexp(t, `T-1,.*,submitted,CMD-L2-\d+,,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00\r\n`, string(raw), "submitted_at in Toronto time, with its offset")
}
