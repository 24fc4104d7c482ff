package sheet

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// slowReader hands out at most n bytes per Read, so that rows and patterns
// straddle the reads.
type slowReader struct {
	r io.Reader
	n int
}

func (s slowReader) Read(p []byte) (int, error) { return s.r.Read(p[:min(len(p), s.n)]) }

// randomWorksheet returns a worksheet part with the cells decodeCells
// cares about, and now and then what makes scanRows give up.
func randomWorksheet(rng *rand.Rand) string {
	cell := func(r, c int) string {
		ref := fmt.Sprintf(`%c%d`, 'A'+c, r)
		switch rng.IntN(14) {
		case 0:
			return fmt.Sprintf(`<c r="%s"><f>%d+1</f><v></v></c>`, ref, c)
		case 1:
			return fmt.Sprintf(`<c r="%s"><f>A1&amp;"x"</f><v>2</v></c>`, ref)
		case 2:
			return fmt.Sprintf(`<c r="%s"><f t="shared" si="0"/></c>`, ref)
		case 3:
			return fmt.Sprintf(`<c r="%s" t="str"><f>"a"</f><v>a</v></c>`, ref)
		case 4:
			return fmt.Sprintf(`<c r="%s"><v>4.1655501E9</v></c>`, ref)
		case 5:
			return fmt.Sprintf(`<c r="%s" t="n"><v> 1e5 </v></c>`, ref)
		case 6:
			return fmt.Sprintf(`<c r="%s" t="s"><v>%d</v></c>`, ref, rng.IntN(9))
		case 7:
			return fmt.Sprintf(`<c r="%s" t="inlineStr"><is><t>Crêpe 1E5</t></is></c>`, ref)
		case 8:
			return fmt.Sprintf(`<c r="%s"><v>1&#69;5</v></c>`, ref)
		case 9:
			return fmt.Sprintf(`<c s="1"><v>%d</v></c>`, rng.IntN(99))
		case 10:
			return fmt.Sprintf(`<c r="%s" t="e"><f>1/0</f><v>#DIV/0!</v></c>`, ref)
		default:
			return fmt.Sprintf(`<c r="%s" s="2"><v>46%03d.5</v></c>`, ref, rng.IntN(999))
		}
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:E9"/><sheetData>`)
	rare := func() bool { return rng.IntN(60) == 0 }
	for r := 1; r <= 1+rng.IntN(40); r++ {
		switch {
		case rare():
			fmt.Fprintf(&b, `<row r="%d"/>`, r)
			continue
		case rare():
			b.WriteString(`<row>`)
		case rare():
			fmt.Fprintf(&b, `<row r="%d"><!-- <f> --></row>`, r)
			continue
		case rare():
			fmt.Fprintf(&b, `<x:row r="%d"><x:c r="A%d"><x:f>1</x:f></x:c></x:row>`, r, r)
			continue
		default:
			fmt.Fprintf(&b, `<row r="%d" spans="1:5" x14ac:dyDescent="0.25">`, r)
		}
		for c := range 1 + rng.IntN(5) {
			b.WriteString(cell(r, c))
		}
		b.WriteString("</row>")
		if rare() {
			b.WriteString("\n")
		}
	}
	b.WriteString(`</sheetData><rowBreaks count="1"><brk id="3"/></rowBreaks>`)
	if rare() {
		b.WriteString(`<headerFooter><oddHeader>&amp;CPage</oddHeader></headerFooter>`)
	}
	b.WriteString(`</worksheet>`)
	return b.String()
}

// TestScanRowsFindsWhatTheWholeDecodingFinds: whenever scanRows trusts
// its split into rows, it finds exactly what decoding every token finds,
// whatever the reads' sizes; and on worksheets as office software writes
// them it does trust it.
func TestScanRowsFindsWhatTheWholeDecodingFinds(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	trusted := 0
	for i := range 3000 {
		part := randomWorksheet(rng)
		want, wantErr := decodeCells(strings.NewReader(part))
		require.NoError(t, wantErr)
		got, ok, err := scanRows(slowReader{strings.NewReader(part), 1 + rng.IntN(300)})
		require.NoError(t, err)
		if !ok {
			continue
		}
		trusted++
		if !assert.Equal(t, want, got.orNil(), "worksheet %d:\n%s", i, part) {
			return
		}
	}
	assert.Greater(t, trusted, 1000, "most generated worksheets are split into rows")

	plain := pitfallWorkbookSheet()
	s, ok, err := scanRows(strings.NewReader(plain))
	require.NoError(t, err)
	assert.True(t, ok, "a worksheet as Excel writes it is split into rows")
	want, err := decodeCells(strings.NewReader(plain))
	require.NoError(t, err)
	assert.Equal(t, want, s.orNil())
}

// TestScanRowsGivesUp: what scanRows cannot trust makes it give up, so the
// whole part is decoded.
func TestScanRowsGivesUp(t *testing.T) {
	wrap := func(rows string) string {
		return `<?xml version="1.0"?><worksheet><sheetData>` + rows + `</sheetData></worksheet>`
	}
	for name, part := range map[string]string{
		"row without r":     wrap(`<row><c><f>1</f></c></row>`),
		"prefixed rows":     wrap(`<x:row r="1"><x:c r="A1"><x:f>1</x:f></x:c></x:row>`),
		"comment":           wrap(`<!-- <row r="1"> --><row r="2"><c r="A2"><v>1</v></c></row>`),
		"CDATA":             wrap(`<row r="1"><c r="A1" t="str"><v><![CDATA[</row>]]></v><f>1</f></c></row>`),
		"unfinished row":    `<worksheet><sheetData><row r="1"><c r="A1"><f>1</f>`,
		"malformed row XML": wrap(`<row r="1"><c r="A1"><f>1</f><v>1</v></c =></row>`),
	} {
		t.Run(name, func(t *testing.T) {
			_, ok, err := scanRows(strings.NewReader(part))
			require.NoError(t, err)
			assert.False(t, ok)
		})
	}
}

// pitfallWorkbookSheet is the first worksheet of pitfallWorkbook.
func pitfallWorkbookSheet() string {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	b.WriteString(row(2, num("A2", "261910210"), is("D2", "1E5")))
	b.WriteString(row(3, num("A3", "4.1655501E9"), `<c r="C3"><f>2200+1</f><v></v></c>`))
	b.WriteString(row(6, `<c r="C6"><f t="shared" si="0"/></c>`))
	b.WriteString(styledEmptyRows(7, 30))
	b.WriteString(`</sheetData></worksheet>`)
	return b.String()
}
