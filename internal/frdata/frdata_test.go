package frdata

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// sharedRefdata finds the shared reference files: shared/refdata beside
// the project (../shared/refdata from the repository root), or beside a
// folder holding it. Tests that need it skip when it is absent.
func sharedRefdata(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..") // the repository root
	if err != nil {
		t.Fatal(err)
	}
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		p := filepath.Join(d, "shared", "refdata")
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return p
		}
		if filepath.Dir(d) == d {
			t.Skip("no shared/refdata beside the project: cannot compare the embedded data with its source")
		}
	}
}

func readCSV(t *testing.T, path string, sep rune) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.FieldsPerRecord = sep, -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// TestEmbeddedMatchesShared checks that the embedded copy was built from
// the shared files as they are: same postcodes, same blocks, every
// postcode's names known. When it fails, run make refdata SRC=….
func TestEmbeddedMatchesShared(t *testing.T) {
	dir := sharedRefdata(t)
	codes := map[string]bool{}
	valid := regexp.MustCompile(`^[0-9]{5}$`)
	rows := readCSV(t, filepath.Join(dir, "fr-postcodes.csv"), ',')
	p := LoadPostcodes()
	for _, r := range rows {
		if !valid.MatchString(r[0]) || r[0] < "01000" {
			continue
		}
		codes[r[0]] = true
		k, _ := Key(r[2])
		if !hasKey(p.Names(r[0]), k) {
			t.Errorf("postcode %s: got no name %q in the embedded data, want it (source line %v)", r[0], r[2], r)
		}
	}
	if got, want := p.Len(), len(codes); got != want {
		t.Errorf("got %d postcodes embedded, want %d", got, want)
	}
	blocks := readCSV(t, filepath.Join(dir, "fr-number-ranges.csv"), ';')
	ns := LoadNumbers()
	if got, want := ns.Len(), len(blocks); got != want {
		t.Errorf("got %d blocks embedded, want %d", got, want)
	}
	var long [][]string // blocks of 10-digit numbers (others are short numbers: 3620)
	for _, b := range blocks {
		if len(b[1]) == 10 {
			long = append(long, b)
		}
	}
	for _, i := range []int{0, len(long) / 2, len(long) - 1} {
		b, ok := ns.Find(long[i][1])
		if !ok || b.Holder != long[i][3] {
			t.Errorf("block %v: got %+v, %v, want holder %s", long[i], b, ok, long[i][3])
		}
	}
}

func hasKey(names []Name, k string) bool {
	for _, n := range names {
		if n.Key == k {
			return true
		}
	}
	return false
}

func TestKey(t *testing.T) {
	tests := []struct {
		in, want string
		cedex    bool
	}{
		{"Paris", "PARIS", false},
		{"Paris 2e Arrondissement", "PARIS2", false},
		{"PARIS 02", "PARIS2", false},
		{"Paris 2e", "PARIS2", false},
		{"PARIS 2EME ARRONDISSEMENT", "PARIS2", false},
		{"MARSEILLE 1ER ARRONDISSEM", "MARSEILLE1", false},
		{"St-Denis-lès-Bourg", "SAINTDENISLESBOURG", false},
		{"Ste Foy l'Argentière", "SAINTEFOYLARGENTIERE", false},
		{"Paris La Défense Cedex", "PARISLADEFENSE", true},
		{"LYON CEDEX 02", "LYON", true},
		{"Œuilly", "OEUILLY", false},
	}
	for _, tt := range tests {
		got, cedex := Key(tt.in)
		if got != tt.want || cedex != tt.cedex {
			t.Errorf("Key(%q): got %q, %v, want %q, %v", tt.in, got, cedex, tt.want, tt.cedex)
		}
	}
}

func TestFind(t *testing.T) {
	ns := LoadNumbers()
	if _, ok := ns.Find("0199003100"); ok {
		t.Errorf("0199003100: got a block, want none")
	}
	b, ok := ns.Find("0105600000")
	if !ok || b.Holder != "FRTE" {
		t.Errorf("0105600000: got %+v, %v, want FRTE", b, ok)
	}
	if got := ns.HolderName("FRTE"); got == "" {
		t.Errorf("HolderName(FRTE): got empty, want a name")
	}
}

func TestDateText(t *testing.T) {
	if got, want := DateText(), "July 2025"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
