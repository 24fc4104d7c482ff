package ledger

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func submitted(t *testing.T, l *Ledger, keys ...string) {
	t.Helper()
	var ins []Intent
	var outs []Outcome
	for _, k := range keys {
		in := intent(k, "fp-"+k)
		in.File, in.Rows = "ports.xlsx", []int{2, 3}
		ins = append(ins, in)
		outs = append(outs, Outcome{Key: k, State: Submitted, Reference: "R-" + k})
	}
	require.NoError(t, l.BeginSubmits(ins))
	require.NoError(t, l.RecordOutcomes(outs))
}

func TestRecordTracking(t *testing.T) {
	l, clk := openTest(t)
	submitted(t, l, "a", "b")

	steps := []struct {
		name        string
		up          TrackUpdate
		wantChange  bool
		wantHistory int
		wantTracked bool
	}{
		{"first answer", TrackUpdate{Key: "a", Stage: StagePending, Status: "SUBMITTED"}, true, 1, true},
		{"same answer again", TrackUpdate{Key: "a", Stage: StagePending, Status: "SUBMITTED"}, false, 1, true},
		{"confirmed", TrackUpdate{Key: "a", Stage: StageConfirmed, Status: "CONFIRMED"}, true, 2, true},
		{"date set", TrackUpdate{Key: "a", Stage: StageScheduled, Status: "CONFIRMED", Date: "2026-12-01"}, true, 3, true},
		{"message only", TrackUpdate{Key: "a", Stage: StageScheduled, Status: "CONFIRMED", Date: "2026-12-01", Message: "moved by losing carrier"}, true, 4, true},
		{"completed", TrackUpdate{Key: "a", Stage: StageCompleted, Status: "COMPLETED", Date: "2026-12-01"}, true, 5, false},
	}
	for _, st := range steps {
		clk.Add(time.Hour)
		changes, err := l.RecordTracking([]TrackUpdate{st.up})
		require.NoError(t, err, st.name)
		assert.Equal(t, st.wantChange, len(changes) == 1, st.name)
		o, err := l.Get("a")
		require.NoError(t, err)
		assert.Len(t, o.Track.History, st.wantHistory, st.name)
		assert.Equal(t, clk.Now().UTC(), o.Track.Checked, st.name)
		assert.Equal(t, st.up.Stage, o.Track.Stage, st.name)
		assert.Equal(t, st.up.Status, o.Track.Status, st.name)
		assert.Equal(t, st.wantTracked, o.tracked(), st.name)
	}
	tracked, _, err := l.Tracked("", 0)
	require.NoError(t, err)
	require.Len(t, tracked, 1)
	assert.Equal(t, "b", tracked[0].Key, "a completed order leaves the index")

	open, err := l.OpenOrders()
	require.NoError(t, err)
	require.Len(t, open, 1)
	assert.Equal(t, "ports.xlsx", open[0].File)
	assert.Equal(t, []int{2, 3}, open[0].Rows)
}

func TestRecordTrackingRefusesUnsubmitted(t *testing.T) {
	l, _ := openTest(t)
	submitted(t, l, "ok")
	require.NoError(t, l.BeginSubmits([]Intent{intent("flying", "fp")}))
	changes, err := l.RecordTracking([]TrackUpdate{
		{Key: "ok", Stage: StageConfirmed, Status: "CONFIRMED"},
		{Key: "flying", Stage: StageConfirmed},
		{Key: "ghost", Stage: StageConfirmed},
		{Key: "ok", Stage: ""},
	})
	assert.ErrorIs(t, err, ErrState)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.ErrorIs(t, err, ErrInvalid)
	require.Len(t, changes, 1, "the allowed update is committed")
	assert.Equal(t, "ok", changes[0].Order.Key)
}

func TestTrackedPages(t *testing.T) {
	l, _ := openTest(t)
	var keys []string
	for i := range 7 {
		keys = append(keys, fmt.Sprintf("k%02d", i))
	}
	submitted(t, l, keys...)
	require.NoError(t, l.StopTracking([]string{"k03"}, "older than 120 days"))
	var got []string
	after, pages := "", 0
	for {
		page, next, err := l.Tracked(after, 2)
		require.NoError(t, err)
		pages++
		for _, o := range page {
			got = append(got, o.Key)
		}
		if next == "" {
			break
		}
		after = next
	}
	assert.Equal(t, []string{"k00", "k01", "k02", "k04", "k05", "k06"}, got)
	assert.Equal(t, 3, pages)
	o, err := l.Get("k03")
	require.NoError(t, err)
	assert.True(t, o.Open(), "a stopped order is still open")
	assert.Equal(t, "older than 120 days", o.Track.Stopped)
}

func TestBeginTrackPass(t *testing.T) {
	l, clk := openTest(t)
	p, err := l.LastTrackPasses()
	require.NoError(t, err)
	assert.True(t, p.Last.IsZero())
	first := clk.Now()
	_, err = l.BeginTrackPass()
	require.NoError(t, err)
	clk.Add(time.Hour)
	p, err = l.BeginTrackPass()
	require.NoError(t, err)
	assert.Equal(t, first, p.Previous)
	assert.Equal(t, clk.Now(), p.Last)
	got, err := l.LastTrackPasses()
	require.NoError(t, err)
	assert.Equal(t, p, got)
}

// A carrier's reason of several megabytes is stored cut, with the cut
// marked, and recording it again adds nothing.
func TestRecordTrackingBoundsCarrierText(t *testing.T) {
	l, clk := openTest(t)
	submitted(t, l, "a")
	huge := strings.Repeat("é reason ", 7<<20/10)
	up := TrackUpdate{Key: "a", Stage: StageRejected, Status: strings.Repeat("REJECTED", 1000), Date: strings.Repeat("9", 5000), Message: huge}
	for range 2 {
		clk.Add(time.Hour)
		_, err := l.RecordTracking([]TrackUpdate{up})
		require.NoError(t, err)
	}
	o, err := l.Get("a")
	require.NoError(t, err)
	require.Len(t, o.Track.History, 1, "the same answer recorded twice")
	for name, got := range map[string]string{"message": o.Track.Message, "status": o.Track.Status, "date": o.Track.Date,
		"history message": o.Track.History[0].Message} {
		assert.LessOrEqual(t, len(got), MaxCarrierText, name)
		assert.True(t, utf8.ValidString(got), name)
	}
	assert.True(t, strings.HasSuffix(o.Track.Message, "… [cut, 7.3 MB]"), o.Track.Message[len(o.Track.Message)-40:])
	assert.True(t, strings.HasPrefix(o.Track.Message, "é reason é reason"))
	assert.True(t, strings.HasSuffix(o.Track.Status, "… [cut, 8 KB]"), o.Track.Status)

	short := TrackUpdate{Key: "a", Stage: StageRejected, Status: "REJECTED", Message: "name mismatch"}
	_, err = l.RecordTracking([]TrackUpdate{short})
	require.NoError(t, err)
	o, err = l.Get("a")
	require.NoError(t, err)
	assert.Equal(t, "name mismatch", o.Track.Message, "short text is kept as is")
}

// A submission's carrier message is bounded the same way.
func TestRecordOutcomesBoundsCarrierText(t *testing.T) {
	l, _ := openTest(t)
	require.NoError(t, l.BeginSubmits([]Intent{intent("a", "fp-a")}))
	require.NoError(t, l.RecordOutcomes([]Outcome{{Key: "a", State: Rejected, Message: "Reply 0 Rejected: " + strings.Repeat("x", 3<<20)}}))
	o, err := l.Get("a")
	require.NoError(t, err)
	assert.LessOrEqual(t, len(o.Message), MaxCarrierText)
	assert.True(t, strings.HasSuffix(o.Message, "… [cut, 3.1 MB]"), o.Message[len(o.Message)-30:])
	assert.LessOrEqual(t, len(o.History[len(o.History)-1].Message), MaxCarrierText)
}
