package sheet

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// naiveFormulaTag and naiveSciValue are the plain forms of hasFormulaTag
// and hasSciValue: a search for each pattern, and a walk forward from
// every "v>".
func naiveFormulaTag(b []byte) bool {
	for _, p := range []string{"<f>", "<f ", "<f/", ":f>", ":f "} {
		if bytes.Contains(b, []byte(p)) {
			return true
		}
	}
	return false
}

func naiveSciValue(b []byte) bool {
	for {
		i := bytes.Index(b, []byte("v>"))
		if i < 0 {
			return false
		}
		b = b[i+2:]
		j := 0
		if j < len(b) && (b[j] == '-' || b[j] == '+') {
			j++
		}
		digits := 0
		for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == '.') {
			j++
			digits++
		}
		if digits > 0 && j < len(b) && (b[j] == 'E' || b[j] == 'e') {
			return true
		}
	}
}

// TestPrescanPatterns: the quick searches find what the plain ones find,
// on typical cells and on random runs of the bytes that matter.
func TestPrescanPatterns(t *testing.T) {
	cases := []string{
		``, `f`, `<f`, `<f>`, `<f/>`, `<f t="shared"/>`, `<x:f>1</x:f>`, `<x:f t="a">`, `:f/`, `ref="A1"`, `<fill>`,
		`<v>4.1655501E9</v>`, `<v>-1.5e-3</v>`, `<v>+2E5</v>`, `<v>E5</v>`, `<v>1.5</v>`, `<c r="E2"><v>15</v></c>`,
		`<t>1E5</t>`, `v>1E`, `v>.e`, `v>+-1E`, `v>-E`, `<v>12</v><c r="E12">`, `<v> 1E5</v>`,
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "<>:/ fvEe.+-19xr\""
	for range 20000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		assert.Equal(t, naiveFormulaTag([]byte(c)), hasFormulaTag([]byte(c)), "formula in %q", c)
		assert.Equal(t, naiveSciValue([]byte(c)), hasSciValue([]byte(c)), "scientific value in %q", c)
	}
}
