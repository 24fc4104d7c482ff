package ledger

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenBatch(t *testing.T) {
	l, _ := openTest(t)
	put := func(id, sha, input, archived string) {
		require.NoError(t, l.PutBatch(&Batch{ID: id, File: "o.csv", SHA256: sha, Input: input, Archived: archived}))
	}
	put("20261123T140000-0001", "aaa", "/p/o.csv", "/a/2026-11-23/o.csv") // read, archived
	put("20261123T150000-0001", "aaa", "/p/o.csv", "")                    // re-dropped, interrupted
	put("20261123T150000-0002", "bbb", "/p/o.csv", "")                    // other content
	put("20261123T160000-0001", "aaa", "/p/o.2.csv", "")                  // same content, other file

	tests := []struct {
		sha, input string
		want       string // "" = ErrNotFound
	}{
		{"aaa", "/p/o.csv", "20261123T150000-0001"},
		{"aaa", "/p/o.2.csv", "20261123T160000-0001"},
		{"bbb", "/p/o.csv", "20261123T150000-0002"},
		{"ccc", "/p/o.csv", ""},
		{"aaa", "/p/other.csv", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		got, err := l.OpenBatch(tt.sha, tt.input)
		if tt.want == "" {
			assert.ErrorIs(t, err, ErrNotFound, "%s %s", tt.sha, tt.input)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.want, got.ID)
	}
}

func TestUpdateBatch(t *testing.T) {
	l, _ := openTest(t)
	require.NoError(t, l.PutBatch(&Batch{ID: "b1", File: "o.csv", SHA256: "aaa", Counts: map[string]int{"submitted": 2}}))
	require.NoError(t, l.UpdateBatch("b1", func(b *Batch) error { b.Done = true; return nil }))
	require.NoError(t, l.UpdateBatch("b1", func(b *Batch) error { b.Archived = "/a/o.csv"; return nil }))
	got, err := l.Batch("b1")
	require.NoError(t, err)
	assert.Equal(t, &Batch{ID: "b1", File: "o.csv", SHA256: "aaa", Counts: map[string]int{"submitted": 2}, Done: true, Archived: "/a/o.csv"}, got)

	stop := errors.New("no")
	require.ErrorIs(t, l.UpdateBatch("b1", func(b *Batch) error { b.File = "x"; return stop }), stop)
	got, err = l.Batch("b1")
	require.NoError(t, err)
	assert.Equal(t, "o.csv", got.File, "nothing written when fn fails")
	assert.ErrorIs(t, l.UpdateBatch("nope", func(*Batch) error { return nil }), ErrNotFound)
}
