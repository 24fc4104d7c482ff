package sheet

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.error.txt")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))

	err := WriteFileAtomic(path, 0o640, func(w io.Writer) error {
		_, err := io.WriteString(w, "new content")
		return err
	})
	require.NoError(t, err)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new content", string(got))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), st.Mode().Perm(), "got mode %v want 0640", st.Mode().Perm())

	boom := errors.New("boom")
	err = WriteFileAtomic(path, 0o640, func(w io.Writer) error {
		_, _ = io.WriteString(w, "half")
		return boom
	})
	require.ErrorIs(t, err, boom)
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new content", string(got), "a failed write leaves the old file")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "got %d entries, the temporary file must be removed", len(entries))

	err = WriteFileAtomic(filepath.Join(dir, "missing", "x"), 0o640, func(io.Writer) error { return nil })
	require.Error(t, err)
}
