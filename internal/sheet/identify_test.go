package sheet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countReads counts the opens and hashes of inputs while the test runs.
func countReads(t *testing.T) (opens, hashes *int) {
	t.Helper()
	opens, hashes = new(int), new(int)
	onOpenInput = func(string) { *opens++ }
	onHash = func() { *hashes++ }
	t.Cleanup(func() { onOpenInput, onHash = nil, nil })
	return opens, hashes
}

// A pass opens its input once for its hash and format (Identify), once for
// the first pass (CountColumn) and once to read it (Open), and hashes it
// once, plus once more for a CSV file's second read, checked against the
// first hash. A test that fails here means a read or a hash came back.
func TestAPassOpensAndHashesItsInputOnce(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "in.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("order_ref;b\nR1;1\nR2;2\n"), 0o600))
	xlsxPath := filepath.Join(dir, "in.xlsx")
	require.NoError(t, os.WriteFile(xlsxPath, rawXLSX(t, []rawSheet{{name: "S",
		data: `<row r="1"><c r="A1" t="inlineStr"><is><t>order_ref</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>R1</t></is></c></row>`}}, nil), 0o600))

	for _, c := range []struct {
		path                  string
		wantFormat            Format
		wantOpens, wantHashes int
	}{
		{csvPath, CSV, 3, 2},
		{xlsxPath, XLSX, 3, 1},
	} {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			opens, hashes := countReads(t)
			sum, format, err := Identify(c.path)
			require.NoError(t, err)
			opts := Options{SHA256: sum}
			_, err = CountColumn(c.path, opts, func(string, []string) int { return 0 }, nil)
			require.NoError(t, err)
			wb, err := Open(c.path, opts)
			require.NoError(t, err)
			if format != c.wantFormat || *opens != c.wantOpens || *hashes != c.wantHashes {
				t.Errorf("got format %v, %d opens, %d hashes; want %v, %d, %d", format, *opens, *hashes, c.wantFormat, c.wantOpens, c.wantHashes)
			}
			assert.Equal(t, sum, wb.SHA256)

			// The sum is the one Open computes by itself.
			*opens, *hashes = 0, 0
			alone, err := Open(c.path, Options{})
			require.NoError(t, err)
			assert.Equal(t, alone.SHA256, sum)
		})
	}
}

// A CSV file changed between Identify and Open's read is refused, as one
// changed between Open's own two reads.
func TestOpenRefusesACSVChangedSinceIdentify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.csv")
	require.NoError(t, os.WriteFile(path, []byte("a;b\n1;2\n"), 0o600))
	sum, _, err := Identify(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte("a;b\n3;4\n"), 0o600))
	_, err = Open(path, Options{SHA256: sum})
	require.ErrorIs(t, err, ErrDamaged)
	assert.True(t, strings.Contains(err.Error(), "changed while it was read"), err.Error())
}
