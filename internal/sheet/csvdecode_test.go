package sheet

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// wholeText is how CSV text was decoded before it was streamed: the whole
// file converted at once. decodeText must give the same text.
func wholeText(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		return strings.ToValidUTF8(string(data[len(utf8BOM):]), "\uFFFD"), EncodingUTF8BOM, nil
	case bytes.HasPrefix(data, []byte("\xFF\xFE")):
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		return string(b), EncodingUTF16LE, err
	case bytes.HasPrefix(data, []byte("\xFE\xFF")):
		b, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		return string(b), EncodingUTF16BE, err
	case utf8.Valid(data):
		return string(data), EncodingUTF8, nil
	}
	b, err := charmap.Windows1252.NewDecoder().Bytes(data)
	return string(b), EncodingWindows1252, err
}

// TestDecodeTextStreamsTheWholeText: the streamed text, its encoding and
// the delimiter sniffed from its raw view are those of the whole-file
// conversion, for the test files, the shared fixtures and random bytes of
// every encoding (long enough to cross the decoder's buffers).
func TestDecodeTextStreamsTheWholeText(t *testing.T) {
	inputs := [][]byte{nil, []byte("a;b\n"), utf8BOM, []byte("\xFF\xFE"), []byte("\xEF\xBB\xBFa\xff;b\n")}
	for _, glob := range []string{"testdata/*.csv", filepath.Join(sharedInbox, "*.csv")} {
		names, err := filepath.Glob(glob)
		require.NoError(t, err)
		for _, name := range names {
			b, err := os.ReadFile(name)
			require.NoError(t, err)
			inputs = append(inputs, b)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", ";", ",", "\t", "\"", "\n", "\r\n", "é", "\xe9", "\x80", "\x81", "\x9c", "\xff", "\x00", "€"}
	for _, prefix := range []string{"", "\xEF\xBB\xBF", "\xFF\xFE", "\xFE\xFF"} {
		for range 200 {
			var b strings.Builder
			b.WriteString(prefix)
			for range rng.IntN(6000) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			inputs = append(inputs, []byte(b.String()))
		}
	}
	for _, data := range inputs {
		want, wantEnc, wantErr := wholeText(data)
		r, view, enc, err := decodeText(data)
		assert.Equal(t, wantEnc, enc)
		if wantErr != nil {
			assert.Error(t, err)
			continue
		}
		require.NoError(t, err)
		got, err := io.ReadAll(r)
		require.NoError(t, err)
		if !assert.Equal(t, want, string(got), "text of %q", data[:min(len(data), 40)]) {
			continue
		}
		assert.Equal(t, sniffDelimiter(want), sniffDelimiter(view), "delimiter of %q", data[:min(len(data), 40)])
	}
}
