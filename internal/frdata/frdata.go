// Package frdata holds a compact, dated snapshot of French public reference
// data, embedded in the binary: La Poste's postcodes and their communes, and
// ARCEP's allocated blocks of numbers with their holders. PROVENANCE.md
// says where each list comes from; `make refdata SRC=dir` refreshes them
// (cmd/frdatagen). Each list is read once, on first use.
package frdata

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var (
	//go:embed postcodes.txt.gz
	postcodesGz []byte
	//go:embed numbers.txt.gz
	numbersGz []byte
	//go:embed date.txt
	dateTxt string
)

// Date is the month of the snapshot ("2025-07"): the last block ARCEP had
// allocated when the number list was copied.
func Date() string { return strings.TrimSpace(dateTxt) }

// DateText is Date in words, for messages: "July 2025".
func DateText() string {
	y, m, ok := strings.Cut(Date(), "-")
	n, err := strconv.Atoi(m)
	if !ok || err != nil || n < 1 || n > 12 {
		return Date()
	}
	months := [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	return months[n-1] + " " + y
}

// Kind says where a name of a postcode comes from.
type Kind byte

// The kinds of names, in the order a postcode lists them.
const (
	Commune Kind = 'C' // a current commune (INSEE)
	Label   Kind = 'L' // La Poste's delivery label (libellé d'acheminement)
	Former  Kind = 'O' // a name from the older La Poste list: often a commune merged since, upper case, cut at about 25 characters
)

// Name is one name a postcode may be written with.
type Name struct {
	Kind Kind
	Name string // as the source writes it
	Key  string // Key(Name)
}

// Postcodes is the postcode list.
type Postcodes struct {
	byCode map[string][]Name
	byKey  map[string][]string // Key → postcodes, sorted
	depts  map[string]bool     // departments: the first 2 digits (3 overseas)
}

// LoadPostcodes returns the postcode list, read on first use.
var LoadPostcodes = sync.OnceValue(loadPostcodes)

func loadPostcodes() *Postcodes {
	p := &Postcodes{byCode: make(map[string][]Name, 7000), byKey: make(map[string][]string, 40000), depts: map[string]bool{}}
	each(postcodesGz, func(fields []string) {
		code := fields[0]
		p.depts[Department(code)] = true
		for _, f := range fields[1:] {
			if f == "" {
				continue
			}
			n := Name{Kind: Kind(f[0]), Name: f[1:]}
			if name, key, ok := strings.Cut(n.Name, "|"); ok { // the key as frdatagen folded it
				n.Name, n.Key = name, key
			} else {
				n.Key, _ = Key(n.Name)
			}
			p.byCode[code] = append(p.byCode[code], n)
			if ks := p.byKey[n.Key]; len(ks) == 0 || ks[len(ks)-1] != code {
				p.byKey[n.Key] = append(ks, code)
			}
		}
	})
	return p
}

// Names returns the names of postcode code, current communes first; nil
// when the postcode is in no list.
func (p *Postcodes) Names(code string) []Name { return p.byCode[code] }

// Codes returns the postcodes that carry a name of key k, sorted.
func (p *Postcodes) Codes(k string) []string { return p.byKey[k] }

// Len is the number of postcodes.
func (p *Postcodes) Len() int { return len(p.byCode) }

// HasDepartment reports whether some postcode is in department d.
func (p *Postcodes) HasDepartment(d string) bool { return p.depts[d] }

// Department is a postcode's department: its first two digits, three
// overseas (97x, 98x).
func Department(code string) string {
	if len(code) >= 3 && (code[:2] == "97" || code[:2] == "98") {
		return code[:3]
	}
	if len(code) < 2 {
		return code
	}
	return code[:2]
}

// Key is a city name folded for comparison: upper case without accents,
// hyphens, apostrophes or spaces; ST and STE read as SAINT and SAINTE;
// an arrondissement as its number ("Paris 2e Arrondissement", "PARIS 02"
// and "Paris 2" are all PARIS2). cedex reports a trailing CEDEX (with an
// optional number), which Key leaves out.
func Key(city string) (key string, cedex bool) {
	words := words(city)
	if n := len(words); n > 0 && isDigits(words[n-1]) && n > 1 && words[n-2] == "CEDEX" {
		words, cedex = words[:n-2], true
	} else if n > 0 && words[n-1] == "CEDEX" {
		words, cedex = words[:n-1], true
	}
	var b strings.Builder
	afterNumber := false
	for _, w := range words {
		switch {
		case w == "ST":
			w = "SAINT"
		case w == "STE":
			w = "SAINTE"
		case afterNumber && strings.HasPrefix(w, "ARR"):
			continue
		}
		if n, ok := ordinal(w); ok {
			w, afterNumber = strconv.Itoa(n), true
		} else {
			afterNumber = false
		}
		b.WriteString(w)
	}
	return b.String(), cedex
}

// ordinal reads "2", "02", "2E", "2EME", "1ER", "1ERE".
func ordinal(w string) (int, bool) {
	i := 0
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	if i == 0 || i > 3 {
		return 0, false
	}
	switch w[i:] {
	case "", "E", "EME", "ER", "ERE":
		n, _ := strconv.Atoi(w[:i])
		return n, true
	}
	return 0, false
}

var ligatures = strings.NewReplacer("œ", "oe", "Œ", "OE", "æ", "ae", "Æ", "AE", "ß", "ss")

// words splits s into upper-case ASCII words without accents. ASCII text
// (most cities) takes a fast path without Unicode normalisation.
func words(s string) []string {
	ascii := true
	for i := range len(s) {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if !ascii {
		s = norm.NFD.String(ligatures.Replace(s))
	}
	out := make([]string, 0, 4)
	start := -1
	var b []byte
	for i := 0; i <= len(s); i++ {
		var ch byte
		if i < len(s) {
			ch = s[i]
		}
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9':
			if start < 0 {
				start = i
			}
			continue
		case ch >= 0x80 && i < len(s):
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.Is(unicode.Mn, r) {
				// an accent: the word goes on without it
				if start >= 0 {
					b = append(b, s[start:i]...)
					start = -1
				}
				if b != nil || start >= 0 {
					start = i + size
				}
				i += size - 1
				continue
			}
		}
		if start >= 0 && start < i {
			b = append(b, s[start:i]...)
		}
		start = -1
		if len(b) > 0 {
			for j, ch := range b {
				if ch >= 'a' && ch <= 'z' {
					b[j] = ch - 'a' + 'A'
				}
			}
			out = append(out, string(b))
			b = b[:0]
		}
	}
	return out
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Block is a block of French numbers ARCEP allocated.
type Block struct {
	Start, End uint64 // first and last 10-digit national number, as integers
	Holder     string // the operator it was allocated to (mnemonic)
}

// Numbers is ARCEP's list of allocated blocks.
type Numbers struct {
	blocks  []Block // sorted by Start, not overlapping
	holders map[string]string
}

// LoadNumbers returns the block list, read on first use.
var LoadNumbers = sync.OnceValue(func() *Numbers {
	ns := &Numbers{holders: map[string]string{}}
	each(numbersGz, func(f []string) {
		if f[0] == "=" {
			if len(f) == 3 {
				ns.holders[f[1]] = f[2]
			}
			return
		}
		if len(f) != 3 {
			return
		}
		s, err1 := strconv.ParseUint(f[0], 10, 64)
		e, err2 := strconv.ParseUint(f[1], 10, 64)
		if err1 == nil && err2 == nil {
			ns.blocks = append(ns.blocks, Block{Start: s, End: e, Holder: f[2]})
		}
	})
	return ns
})

// Len is the number of blocks.
func (ns *Numbers) Len() int { return len(ns.blocks) }

// Find returns the block holding the 10-digit national number n.
func (ns *Numbers) Find(n string) (Block, bool) {
	v, err := strconv.ParseUint(n, 10, 64)
	if err != nil || len(n) != 10 {
		return Block{}, false
	}
	i, found := slices.BinarySearchFunc(ns.blocks, v, func(b Block, v uint64) int {
		switch {
		case b.End < v:
			return -1
		case b.Start > v:
			return 1
		}
		return 0
	})
	if !found {
		return Block{}, false
	}
	return ns.blocks[i], true
}

// HolderName is the name of the operator with mnemonic m ("" if unknown).
func (ns *Numbers) HolderName(m string) string { return ns.holders[m] }

// each calls fn with the tab-separated fields of every line of a gzipped
// embedded file. The files are built by cmd/frdatagen and checked by the
// tests: a damaged one is a build error, hence the panic.
func each(gz []byte, fn func([]string)) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		panic(fmt.Errorf("frdata: embedded data: %w", err))
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		fn(strings.Split(sc.Text(), "\t"))
	}
	if err := sc.Err(); err != nil {
		panic(fmt.Errorf("frdata: embedded data: %w", err))
	}
}
