// Command frdatagen rebuilds the French reference data embedded in
// internal/frdata from the public lists (see internal/frdata/PROVENANCE.md):
//
//	go run ./cmd/frdatagen -src DIR -out internal/frdata
//
// DIR holds fr-postcodes.csv, fr-number-ranges.csv and fr-operators.csv.
// `make refdata SRC=DIR` runs it.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/orderdrop/orderdrop/internal/frdata"
)

func main() {
	src := flag.String("src", "", "folder holding fr-postcodes.csv, fr-number-ranges.csv, fr-operators.csv")
	out := flag.String("out", "internal/frdata", "folder to write the embedded files to")
	flag.Parse()
	if *src == "" {
		fmt.Fprintln(os.Stderr, "frdatagen: give -src, the folder holding the reference CSV files")
		os.Exit(2)
	}
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "frdatagen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	pc, err := postcodes(filepath.Join(src, "fr-postcodes.csv"))
	if err != nil {
		return err
	}
	nums, date, err := numbers(filepath.Join(src, "fr-number-ranges.csv"), filepath.Join(src, "fr-operators.csv"))
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{"postcodes.txt.gz": gz(pc), "numbers.txt.gz": gz(nums), "date.txt": []byte(date + "\n")} {
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	return nil
}

var postcodeRE = regexp.MustCompile(`^[0-9]{5}$`)

// postcodes writes one line per postcode: the code, then its names, each
// led by its kind (frdata.Commune, Label, Former) and followed by "|" and
// its key (frdata.Key, so that loading folds nothing), current communes
// first, one name per key.
func postcodes(path string) ([]byte, error) {
	rows, err := readCSV(path, ',')
	if err != nil {
		return nil, err
	}
	type name struct {
		kind frdata.Kind
		text string
	}
	byCode := map[string][]name{}
	for _, r := range rows[1:] {
		if len(r) < 5 || !postcodeRE.MatchString(r[0]) || r[0] < "01000" || strings.ContainsAny(r[2]+r[3], "|\t") {
			continue
		}
		if r[4] == "insee-laposte-older" {
			byCode[r[0]] = append(byCode[r[0]], name{frdata.Former, r[2]})
			continue
		}
		byCode[r[0]] = append(byCode[r[0]], name{frdata.Commune, r[2]}, name{frdata.Label, r[3]})
	}
	var b bytes.Buffer
	for _, code := range slices.Sorted(maps.Keys(byCode)) {
		names := byCode[code]
		slices.SortStableFunc(names, func(a, b name) int { return int(a.kind) - int(b.kind) })
		b.WriteString(code)
		seen := map[string]bool{}
		for _, n := range names {
			k, _ := frdata.Key(n.text)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			b.WriteString("\t" + string(n.kind) + n.text + "|" + k)
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// numbers writes one line per allocated block, "start end holder", sorted,
// then one line per holder, "= mnemonic name"; and the month of the latest
// allocation.
func numbers(rangesPath, operatorsPath string) ([]byte, string, error) {
	rows, err := readCSV(rangesPath, ';')
	if err != nil {
		return nil, "", err
	}
	type block struct {
		start, end uint64
		holder     string
	}
	var blocks []block
	latest := ""
	for _, r := range rows[1:] {
		if len(r) < 6 {
			continue
		}
		s, err1 := strconv.ParseUint(r[1], 10, 64)
		e, err2 := strconv.ParseUint(r[2], 10, 64)
		if err1 != nil || err2 != nil || e < s {
			return nil, "", fmt.Errorf("%s: block %q–%q is not a range of numbers", rangesPath, r[1], r[2])
		}
		blocks = append(blocks, block{s, e, r[3]})
		if d := strings.Split(r[5], "/"); len(d) == 3 && d[2]+"-"+d[1] > latest {
			latest = d[2] + "-" + d[1]
		}
	}
	slices.SortFunc(blocks, func(a, b block) int { return cmpU(a.start, b.start) })
	for i := 1; i < len(blocks); i++ {
		if blocks[i].start <= blocks[i-1].end {
			return nil, "", fmt.Errorf("%s: blocks starting %010d and %010d overlap", rangesPath, blocks[i-1].start, blocks[i].start)
		}
	}
	used := map[string]bool{}
	var b bytes.Buffer
	for _, bl := range blocks {
		fmt.Fprintf(&b, "%010d\t%010d\t%s\n", bl.start, bl.end, bl.holder)
		used[bl.holder] = true
	}
	ops, err := readCSV(operatorsPath, ';')
	if err != nil {
		return nil, "", err
	}
	for _, r := range ops[1:] {
		if len(r) >= 2 && used[r[1]] {
			fmt.Fprintf(&b, "=\t%s\t%s\n", r[1], strings.Join(strings.Fields(r[0]), " "))
			delete(used, r[1])
		}
	}
	return b.Bytes(), latest, nil
}

func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func readCSV(path string, sep rune) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading reference data: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = sep
	r.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		rows = append(rows, rec)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s is empty", path)
	}
	return rows, nil
}

// gz compresses b without a name or time, so that the same lists give the
// same bytes.
func gz(b []byte) []byte {
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}
