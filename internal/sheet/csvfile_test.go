package sheet

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUTF8CheckInPieces: fed in pieces of any size, utf8Check agrees with
// utf8.Valid of the whole.
func TestUTF8CheckInPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "é", "€", "😀", "\xe9", "\x80", "\xe2\x82", "\xf0\x9f\x98", "\xff", "\xc3", ";"}
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		data := []byte(b.String())
		var c utf8Check
		for rest := data; len(rest) > 0; {
			n := min(len(rest), 1+rng.IntN(5))
			c.write(rest[:n])
			rest = rest[n:]
		}
		assert.Equal(t, utf8.Valid(data), c.valid(), "%q", data)
	}
}

// TestOpenCSVStreamedReadsAsWhole: Open reads a CSV file as it parses it,
// and gets what parsing the whole file's bytes gets (readCSV), with the
// file's SHA-256: for every encoding, with characters cut across the
// passes' reads.
func TestOpenCSVStreamedReadsAsWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	cells := []string{"a", "Crêperie", "\xe9t\xe9", "€5", "😀", "\"q;\"\"x\"", "", " 7 ", "x\xffy"}
	var inputs []string
	for _, prefix := range []string{"", "\xEF\xBB\xBF", "\xFF\xFE", "\xFE\xFF"} {
		for _, size := range []int{3, 40, csvReadChunk/8 + 5} {
			for range 6 {
				var b strings.Builder
				b.WriteString(prefix)
				b.WriteString([]string{"a;b;c", "a,b,c", "a\tb", "\"a;b\",c"}[rng.IntN(4)] + "\r\n")
				for r := 0; r < size; r++ {
					for c := range 3 {
						if c > 0 {
							b.WriteString(";")
						}
						b.WriteString(cells[rng.IntN(len(cells))])
					}
					b.WriteString([]string{"\n", "\r\n"}[rng.IntN(2)])
				}
				inputs = append(inputs, b.String())
			}
		}
	}
	// A character cut exactly at the end of the first read.
	for shift := range 4 {
		inputs = append(inputs, "a;b\n"+strings.Repeat("x", csvReadChunk-4-shift)+"😀;1\n")
	}
	dir := t.TempDir()
	for i, in := range inputs {
		data := []byte(in)
		path := filepath.Join(dir, "in.csv")
		require.NoError(t, os.WriteFile(path, data, 0o600))
		wantT, wantDelim, wantEnc, wantErr := readCSV(data, "in.csv", Options{}.withDefaults())
		wb, err := Open(path, Options{})
		if wantErr != nil {
			require.Error(t, err, "input %d", i)
			assert.Equal(t, wantErr.Error(), err.Error(), "input %d", i)
			continue
		}
		require.NoError(t, err, "input %d", i)
		sum := sha256.Sum256(data)
		assert.Equal(t, hex.EncodeToString(sum[:]), wb.SHA256, "input %d", i)
		assert.Equal(t, wantEnc, wb.Encoding, "input %d", i)
		assert.Equal(t, wantDelim, wb.Delimiter, "input %d", i)
		require.Len(t, wb.Sheets, 1)
		assert.Equal(t, wantT, wb.Sheets[0], "input %d", i)
	}
}

// TestOpenCSVChangedBetweenPasses: a file rewritten while it is read is
// refused as damaged, not hashed as one content and read as another.
func TestOpenCSVChangedBetweenPasses(t *testing.T) {
	path := writeTemp(t, "orders.csv", []byte("a;b\n1;2\n"))
	betweenCSVPasses = func() { require.NoError(t, os.WriteFile(path, []byte("a;b\n3;4\n"), 0o600)) }
	t.Cleanup(func() { betweenCSVPasses = nil })
	_, err := Open(path, Options{})
	require.ErrorIs(t, err, ErrDamaged)
	assert.Contains(t, err.Error(), "orders.csv")
	assert.Contains(t, err.Error(), "changed while it was read")
}
