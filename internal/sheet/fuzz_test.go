package sheet

import (
	"os"
	"path/filepath"
	"testing"
)

func FuzzOpenCSV(f *testing.F) {
	for _, seed := range []string{
		"a,b\n1,2\n",
		"\xEF\xBB\xBFa;b\r\n\"x\ny\";2\r\n",
		"a\tb\n\"unterminated\n",
		"Num\xe9ros;b\n\x9c;2\n",
		"\xFF\xFEa\x00,\x00b\x00\n\x00",
		"",
		",,,\n;;;\n",
		"a,\"b\"\"c\",d\n1,2\n",
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		wb, err := Open(path, Options{MaxRows: 1000, MaxColumns: 100})
		if err != nil {
			return
		}
		for _, tb := range wb.Sheets {
			for _, r := range tb.Records {
				if r.Num <= 1 {
					t.Fatalf("got record Num %d want > 1", r.Num)
				}
				if r.Cells == nil {
					t.Fatalf("record %d: got nil Cells", r.Num)
				}
			}
		}
	})
}

func FuzzOpenXLSX(f *testing.F) {
	valid := pitfallWorkbook(f)
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	mutated := append([]byte(nil), valid...)
	for i := 200; i < len(mutated); i += 397 {
		mutated[i] ^= 0x5a
	}
	f.Add(mutated)
	f.Add(rawXLSX(f, []rawSheet{{name: "S", data: `<row r="0"><c r="ZZZZ1"><f>1</f></c></row><row r="1048577"/>`}}, nil))
	f.Add(rawXLSX(f, []rawSheet{{name: "S", data: `<row><c><v>1E400</v></c><c t="s"><v>99</v></c></row>`}}, nil))
	f.Add([]byte("PK\x03\x04"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.xlsx")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		wb, err := Open(path, Options{MaxRows: 1000, MaxColumns: 100, MaxUnzipSize: 8 << 20, MaxEmptyRun: 100})
		if err == nil && wb == nil {
			t.Fatal("got nil workbook and nil error")
		}
	})
}
