package sheet

import (
	"bytes"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"os"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// csvReadChunk is the read size of the passes over a CSV file.
const csvReadChunk = 64 << 10

// betweenCSVPasses, when set by a test, is called between readCSVFile's
// two passes. nil = no call.
var betweenCSVPasses func()

// readCSVFile reads the text file f (named base) as readCSV reads its
// bytes, without holding the whole file: a first pass hashes it, checks
// whether it is valid UTF-8 and sniffs the delimiter; a second one decodes
// and parses it, hashing it again so that a file changed between the
// passes is refused rather than hashed as one content and read as another.
// A UTF-16 file, or a UTF-8 file with a BOM but invalid bytes, is read
// whole, as they need converting first. sum is the hex SHA-256 of the file.
//
// With opts.SHA256 (the caller read and hashed the file before: Identify)
// the first pass does not hash: the second is checked against that sum.
// With opts.noHash (CountColumn, whose caller checks the content with
// Open) neither does, and sum is "".
func readCSVFile(f *os.File, base string, opts Options) (t *Table, delim rune, enc, sum string, err error) {
	var first hash.Hash = discardHash{}
	if opts.SHA256 == "" && !opts.noHash {
		first = newHash()
	}
	var (
		check utf8Check
		sniff sniffer
		bom   int // bytes of UTF-8 BOM at the start
		cr    lineEnds
	)
	buf := make([]byte, csvReadChunk)
	for start := true; ; start = false {
		n, rerr := io.ReadFull(f, buf)
		chunk := buf[:n]
		first.Write(chunk)
		if start {
			switch {
			case bytes.HasPrefix(chunk, []byte("\xFF\xFE")), bytes.HasPrefix(chunk, []byte("\xFE\xFF")):
				return readCSVWhole(f, base, opts)
			case bytes.HasPrefix(chunk, utf8BOM):
				bom = len(utf8BOM)
				chunk = chunk[bom:]
			}
		}
		check.write(chunk)
		sniff.write(chunk)
		cr.write(chunk)
		if rerr != nil {
			if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
				break
			}
			return nil, 0, "", "", openError(base, rerr)
		}
	}
	valid := check.valid()
	if bom > 0 && !valid {
		return readCSVWhole(f, base, opts)
	}
	sum = opts.SHA256
	if sum == "" && !opts.noHash {
		sum = hex.EncodeToString(first.Sum(nil))
	}
	if betweenCSVPasses != nil {
		betweenCSVPasses()
	}

	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, 0, "", "", openError(base, err)
	}
	var second hash.Hash = discardHash{}
	if !opts.noHash {
		second = newHash()
	}
	raw := io.TeeReader(f, second)
	if _, err := io.CopyN(io.Discard, raw, int64(bom)); err != nil {
		return nil, 0, "", "", openError(base, err)
	}
	var text io.Reader
	switch {
	case bom > 0:
		text, enc = raw, EncodingUTF8BOM
	case valid:
		text, enc = raw, EncodingUTF8
	default:
		text, enc = transform.NewReader(raw, charmap.Windows1252.NewDecoder()), EncodingWindows1252
	}
	if cr.macOnly() {
		text = crLines{text}
	}
	t, delim, enc, err = parseCSV(text, sniff.delim(), enc, base, opts)
	if err != nil {
		return nil, 0, "", "", err
	}
	if _, err := io.Copy(io.Discard, raw); err != nil {
		return nil, 0, "", "", openError(base, err)
	}
	if !opts.noHash && hex.EncodeToString(second.Sum(nil)) != sum {
		return nil, 0, "", "", damaged(base, errors.New("the file changed while it was read"))
	}
	return t, delim, enc, sum, nil
}

// readCSVWhole reads f whole from its start and parses its bytes.
func readCSVWhole(f *os.File, base string, opts Options) (*Table, rune, string, string, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, 0, "", "", openError(base, err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, 0, "", "", openError(base, err)
	}
	sum := ""
	if !opts.noHash {
		h := newHash()
		h.Write(data)
		if sum = hex.EncodeToString(h.Sum(nil)); opts.SHA256 != "" && sum != opts.SHA256 {
			return nil, 0, "", "", damaged(base, errors.New("the file changed while it was read"))
		}
	}
	t, delim, enc, err := readCSV(data, base, opts)
	if err != nil {
		return nil, 0, "", "", err
	}
	return t, delim, enc, sum, nil
}

// utf8Check tells whether bytes fed piece by piece are valid UTF-8, as
// utf8.Valid of them all would: a character cut between two pieces is
// completed from the next one.
type utf8Check struct {
	carry   [utf8.UTFMax]byte // the start of a character cut at the end of the last piece
	n       int               // bytes in carry
	invalid bool
}

func (c *utf8Check) write(p []byte) {
	if c.invalid {
		return
	}
	if c.n > 0 {
		for len(p) > 0 && !utf8.FullRune(c.carry[:c.n]) {
			c.carry[c.n] = p[0]
			c.n++
			p = p[1:]
		}
		if !utf8.FullRune(c.carry[:c.n]) {
			return // still cut: p was too short
		}
		if !utf8.Valid(c.carry[:c.n]) {
			c.invalid = true
			return
		}
		c.n = 0
	}
	cut := len(p)
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				cut = i
			}
			break
		}
	}
	if !utf8.Valid(p[:cut]) {
		c.invalid = true
		return
	}
	c.n = copy(c.carry[:], p[cut:])
}

// valid reports whether everything fed was valid UTF-8 (a character still
// cut at the end is not).
func (c *utf8Check) valid() bool {
	return !c.invalid && c.n == 0
}

// lineEnds tells, from bytes fed piece by piece, whether a text ends its
// lines with CR alone, as "CSV (Macintosh)" files do: it holds a CR and
// no LF at all.
type lineEnds struct{ cr, lf bool }

func (l *lineEnds) write(p []byte) {
	l.cr = l.cr || bytes.IndexByte(p, '\r') >= 0
	l.lf = l.lf || bytes.IndexByte(p, '\n') >= 0
}

// macOnly reports whether the lines end with CR alone.
func (l *lineEnds) macOnly() bool { return l.cr && !l.lf }

// crLines reads a text whose lines end with CR alone as one whose lines
// end with LF, as encoding/csv expects: every CR becomes LF (the text
// holds no LF, so no line end is doubled).
type crLines struct{ r io.Reader }

func (c crLines) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// discardHash is a hash.Hash that hashes nothing, for a read whose sum is
// known or not wanted.
type discardHash struct{}

func (discardHash) Write(p []byte) (int, error) { return len(p), nil }
func (discardHash) Sum(b []byte) []byte         { return b }
func (discardHash) Reset()                      {}
func (discardHash) Size() int                   { return 0 }
func (discardHash) BlockSize() int              { return 1 }
