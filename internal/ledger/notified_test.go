package ledger

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFirstNoticesAreRecordedOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := Open(path, Options{NoSync: true})
	require.NoError(t, err)
	tests := []struct {
		keys []string
		want []string
	}{
		{nil, nil},
		{[]string{"orders.ods@1", "sub@2"}, []string{"orders.ods@1", "sub@2"}},
		{[]string{"orders.ods@1", "orders.ods@3"}, []string{"orders.ods@3"}}, // the same name saved again is new
		{[]string{"sub@2", "orders.ods@1"}, nil},
	}
	for i, tt := range tests {
		got, err := l.FirstNotices(tt.keys)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "step %d: got %v, want %v", i, got, tt.want)
	}
	require.NoError(t, l.Close())
	l, err = Open(path, Options{NoSync: true})
	require.NoError(t, err)
	defer l.Close()
	got, err := l.FirstNotices([]string{"orders.ods@1"})
	require.NoError(t, err)
	assert.Empty(t, got, "the notices outlive the process")
}
