package ledger

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyIn(t *testing.T) {
	for _, tc := range []struct{ env, key, want string }{
		{"", "l2/ref:A", "l2/ref:A"},
		{Production, "l2/ref:A", "l2/ref:A"},
		{"test", "l2/ref:A", "l2/ref:A@test"},
	} {
		got := KeyIn(tc.env, tc.key)
		assert.Equal(t, tc.want, got, "KeyIn(%q, %q): got %q, want %q", tc.env, tc.key, got, tc.want)
	}
}

func TestOrderRecordsEnvironmentAndBaseURL(t *testing.T) {
	l, _ := openTest(t)
	in := intent("A", "fp1")
	in.Environment, in.BaseURL = "test", "https://test.example"
	require.NoError(t, l.BeginSubmits([]Intent{in, intent("B", "fp1")}))
	a, err := l.Get("A")
	require.NoError(t, err)
	assert.Equal(t, "test", a.Environment(), "got environment %q, want test", a.Environment())
	assert.Equal(t, "https://test.example", a.BaseURL)
	b, err := l.Get("B")
	require.NoError(t, err)
	assert.Equal(t, Production, b.Environment(), "an order without a recorded environment is production")
	assert.Empty(t, b.BaseURL)
}

func TestNoteBaseURL(t *testing.T) {
	l, _ := openTest(t)
	for i, tc := range []struct{ carrier, env, url, wantPrev string }{
		{"prizz", Production, "https://a", ""}, // first seen: nothing to say
		{"prizz", Production, "https://a", ""}, // unchanged
		{"prizz", Production, "https://b", "https://a"},
		{"prizz", Production, "https://b", ""}, // said once
		{"prizz", "test", "https://t", ""},     // another environment: its own memory
		{"netwo", Production, "https://a", ""}, // another carrier too
	} {
		got, err := l.NoteBaseURL(tc.carrier, tc.env, tc.url)
		require.NoError(t, err)
		assert.Equal(t, tc.wantPrev, got, "step %d: got previous %q, want %q", i, got, tc.wantPrev)
	}
}
