package netwo

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// TestCloseReleasesTheConnections: the keep-alive connections a pass opened
// are closed when its client is closed, at the end of the pass.
func TestCloseReleasesTheConnections(t *testing.T) {
	f := happyNetwo(t)
	c := newClient(t, f.URL)
	got := c.Submit(context.Background(), frOrder(), carrier.Submission{})
	require.Equal(t, carrier.Accepted, got.Class, "got %+v", got)
	require.Positive(t, f.OpenConns(), "got no connection kept alive after a submission, want one: the test proves nothing")
	c.Close()
	f.AssertAllClosed(t, "the client was closed")
}
