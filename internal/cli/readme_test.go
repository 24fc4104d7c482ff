package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/order"
)

// The README's column tables are what users read: every column orderdrop
// knows must be there, in backquotes, under its kind's heading.
func TestReadmeListsEveryColumn(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	readme := string(data)
	for _, k := range order.Kinds {
		start := strings.Index(readme, "### "+string(k))
		require.GreaterOrEqual(t, start, 0, "README has no section for %s", k)
		section := readme[start+4:]
		if end := strings.Index(section, "\n### "); end >= 0 {
			section = section[:end]
		}
		for _, c := range order.Columns(k) {
			assert.Contains(t, section, "`"+c.Name+"`", "README's %s table does not list column %s", k, c.Name)
		}
	}
	for _, cmd := range []string{"make demo", "make test"} {
		assert.Contains(t, readme, cmd)
	}
}
