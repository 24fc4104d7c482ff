package sheet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spillWorkbooks are XLSX files whose every part is read both ways by
// TestOpenXLSXSpilledReadsTheSame: the shared fixtures made by real office
// software and hand-made ones with the shared strings' quirks.
func spillWorkbooks(t *testing.T) map[string][]byte {
	t.Helper()
	sst := `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="7" uniqueCount="7">` +
		`<si><t>name</t></si><si><t>note</t></si>` +
		`<si><t xml:space="preserve">  Crêperie &amp; Fils  </t></si>` +
		`<si><r><rPr><b/></rPr><t>rich</t></r><r><t xml:space="preserve"> text</t></r></si>` +
		`<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>` +
		`<si/>` +
		`<si><t>a&#10;b</t></si></sst>`
	var rows strings.Builder
	rows.WriteString(row(1, `<c r="A1" t="s"><v>0</v></c>`, `<c r="B1" t="s"><v>1</v></c>`))
	for i, v := range []string{"2", "3", "4", "5", "6", "99", " 2 ", "-1"} {
		r := i + 2
		rows.WriteString(row(r, `<c r="A`+itoa(r)+`" t="s"><v>`+v+`</v></c>`, num("B"+itoa(r), itoa(r))))
	}
	data := rawXLSX(t, []rawSheet{{name: "S", data: rows.String()}}, map[string]string{"xl/sharedStrings.xml": sst})
	data = addRel(t, data, `<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
	files := map[string][]byte{"sst.xlsx": data, "pitfalls.xlsx": pitfallWorkbook(t)}
	if names, err := filepath.Glob(filepath.Join(sharedInbox, "*.xlsx")); err == nil {
		for _, name := range names {
			b, err := os.ReadFile(name)
			require.NoError(t, err)
			files[filepath.Base(name)] = b
		}
	}
	return files
}

// TestOpenXLSXSpilledReadsTheSame: a workbook whose shared strings and
// worksheets excelize leaves in temporary files (xmlMemLimit below their
// size, as for a large file) reads exactly as when they are held in memory.
func TestOpenXLSXSpilledReadsTheSame(t *testing.T) {
	saved := xmlMemLimit
	t.Cleanup(func() { xmlMemLimit = saved })
	for name, data := range spillWorkbooks(t) {
		t.Run(name, func(t *testing.T) {
			path := writeTemp(t, name, data)
			xmlMemLimit = 1 << 30
			inMemory, errMem := Open(path, Options{})
			xmlMemLimit = 1
			spilled, errSpill := Open(path, Options{})
			if errMem != nil {
				require.Error(t, errSpill)
				assert.Equal(t, errMem.Error(), errSpill.Error())
				return
			}
			require.NoError(t, errSpill)
			assert.Equal(t, inMemory, spilled)
		})
	}
}
