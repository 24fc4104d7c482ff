package sheet

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenErrorPermission: a file orderdrop may not read says so and what
// to do, instead of the system's "open /path: permission denied". The
// error is injected: tests here run as root, who may read anything.
func TestOpenErrorPermission(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		want    string
		wantIs  []error
		wantNot string
	}{
		{"read denied", &fs.PathError{Op: "open", Path: "/srv/od/processing/orders.csv", Err: syscall.EACCES},
			"cannot read orders.csv: permission denied — give orderdrop's user read access to it", []error{ErrUnreadable, fs.ErrPermission}, "/srv/od"},
		{"not permitted", &fs.PathError{Op: "open", Path: "/srv/od/processing/orders.csv", Err: syscall.EPERM},
			"cannot read orders.csv: permission denied", []error{ErrUnreadable, fs.ErrPermission}, ""},
		{"gone", &fs.PathError{Op: "open", Path: "/srv/od/processing/orders.csv", Err: syscall.ENOENT},
			"orders.csv", []error{fs.ErrNotExist}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := openError("orders.csv", tt.err)
			assert.Contains(t, got.Error(), tt.want)
			for _, target := range tt.wantIs {
				assert.True(t, errors.Is(got, target), "got %v, want it to wrap %v", got, target)
			}
			if tt.wantNot != "" {
				assert.NotContains(t, got.Error(), tt.wantNot, "the message names the file, not the system's path")
			}
		})
	}
}

// TestOpenUnreadableFile is the same with a real file: root reads any file,
// so it only runs as another user.
func TestOpenUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may read any file; TestOpenErrorPermission covers the message")
	}
	p := writeTemp(t, "orders.csv", []byte("a;b\n1;2\n"))
	require.NoError(t, os.Chmod(p, 0o200))
	_, err := Open(p, Options{})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrUnreadable)
	assert.Contains(t, err.Error(), "cannot read "+filepath.Base(p)+": permission denied")
}
