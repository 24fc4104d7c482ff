package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings reported in Workbook.Encoding for CSV input.
const (
	EncodingUTF8        = "utf-8"
	EncodingUTF8BOM     = "utf-8-bom"
	EncodingWindows1252 = "windows-1252"
	EncodingUTF16LE     = "utf-16le" // Excel "Unicode Text" export (BOM FF FE)
	EncodingUTF16BE     = "utf-16be"
)

var utf8BOM = []byte("\xEF\xBB\xBF")

// decodeText returns a reader of data as UTF-8 text without BOM, the
// encoding found: UTF-8 (with or without BOM), UTF-16 with a BOM, or else
// Windows-1252 when the bytes are not valid UTF-8, and a view of the text in
// which the first line's ASCII bytes (delimiters, quotes, line ends) are
// where the decoded text has them, for sniffDelimiter. UTF-8 and
// Windows-1252 files, the common ones, are decoded as they are read rather
// than copied whole: the reader's errors are decoding errors.
func decodeText(data []byte) (io.Reader, []byte, string, error) {
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		if rest := data[len(utf8BOM):]; utf8.Valid(rest) {
			return bytes.NewReader(rest), rest, EncodingUTF8BOM, nil
		}
		text := []byte(strings.ToValidUTF8(string(data[len(utf8BOM):]), "\uFFFD"))
		return bytes.NewReader(text), text, EncodingUTF8BOM, nil
	case bytes.HasPrefix(data, []byte("\xFF\xFE")):
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		return bytes.NewReader(b), b, EncodingUTF16LE, err
	case bytes.HasPrefix(data, []byte("\xFE\xFF")):
		b, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		return bytes.NewReader(b), b, EncodingUTF16BE, err
	case utf8.Valid(data):
		return bytes.NewReader(data), data, EncodingUTF8, nil
	}
	// Windows-1252 maps every ASCII byte to itself and every other byte to a
	// non-ASCII character: the raw bytes are a faithful view for sniffing.
	return transform.NewReader(bytes.NewReader(data), charmap.Windows1252.NewDecoder()), data, EncodingWindows1252, nil
}

// sniffDelimiter counts ',', ';' and tab outside double quotes on the first
// line (a quoted newline does not end it) and returns the most frequent one;
// ties go to ';', then ',', then tab. With none, it returns ','.
func sniffDelimiter[T string | []byte](text T) rune {
	var s sniffer
	for i := 0; i < len(text) && !s.done; i++ {
		s.byte(text[i])
	}
	return s.delim()
}

// sniffer is sniffDelimiter fed a byte at a time, so a file can be sniffed
// as it is read.
type sniffer struct {
	semi, comma, tab int
	inQuote, done    bool // done: the first line has ended
}

// write feeds the next bytes of the text.
func (s *sniffer) write(p []byte) {
	for i := 0; i < len(p) && !s.done; i++ {
		s.byte(p[i])
	}
}

func (s *sniffer) byte(c byte) {
	switch {
	case c == '"':
		s.inQuote = !s.inQuote
	case s.inQuote:
	case c == '\n' || c == '\r':
		s.done = true
	case c == ';':
		s.semi++
	case c == ',':
		s.comma++
	case c == '\t':
		s.tab++
	}
}

// delim is the delimiter sniffed from the bytes fed so far.
func (s *sniffer) delim() rune {
	switch {
	case s.semi > 0 && s.semi >= s.comma && s.semi >= s.tab:
		return ';'
	case s.comma > 0 && s.comma >= s.tab:
		return ','
	case s.tab > 0:
		return '\t'
	}
	return ','
}

// readCSV parses a CSV file's bytes into one Table (Name ""). The first
// record that is not blank is the header; records whose cells are all blank
// are skipped but still counted in Record.Num. Short records are padded to
// the header's length; longer ones are kept whole, so Cells may be longer
// than Header and no value is dropped.
func readCSV(data []byte, base string, opts Options) (*Table, rune, string, error) {
	text, view, enc, err := decodeText(data)
	if err != nil {
		return nil, 0, "", newFileError(ErrNotSpreadsheet, err, "%s: cannot decode the text as %s", base, enc)
	}
	var cr lineEnds
	cr.write(view)
	if cr.macOnly() {
		text = crLines{text}
	}
	return parseCSV(text, sniffDelimiter(view), enc, base, opts)
}

// parseCSV parses UTF-8 text with delimiter delim into one Table, as
// readCSV describes; enc names the encoding the text was decoded from, and
// an error reading text is a decoding error.
func parseCSV(text io.Reader, delim rune, enc, base string, opts Options) (*Table, rune, string, error) {
	t := &Table{Delimiter: delim}
	if opts.OnSheets != nil {
		opts.OnSheets([]string{""})
	}

	r := csv.NewReader(text)
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.LazyQuotes = false
	r.ReuseRecord = false

	num := 0
	chunks := chunker{opts: opts}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, 0, "", newFileError(ErrMalformedCSV, pe.Err,
					"%s: line %d, column %d: the CSV cannot be read (a double quote inside a cell must be doubled, or the whole cell quoted): fix that line or save the file again from Excel",
					base, pe.StartLine, pe.Column)
			}
			return nil, 0, "", newFileError(ErrNotSpreadsheet, err, "%s: cannot decode the text as %s", base, enc)
		}
		num++
		line, _ := r.FieldPos(0)
		if used := usedLen(rec); used > opts.MaxColumns {
			return nil, 0, "", newFileError(ErrTooLarge, nil,
				"%s: line %d has %d columns, the limit is %d: remove the extra columns", base, line, used, opts.MaxColumns)
		}
		if t.Header == nil {
			if usedLen(rec) == 0 {
				continue
			}
			t.Header = trimAll(rec[:usedLen(rec)])
			continue
		}
		if usedLen(rec) == 0 {
			continue
		}
		if t.Rows >= opts.MaxRows {
			return nil, 0, "", newFileError(ErrTooLarge, nil,
				"%s has more than %d rows: split it into smaller files", base, opts.MaxRows)
		}
		chunks.add(t, Record{Num: num, Line: line, Cells: fit(rec, len(t.Header))})
	}
	chunks.flush(t)
	return t, delim, enc, nil
}

// usedLen returns the number of cells up to the last non-blank one.
func usedLen(cells []string) int {
	for i := len(cells) - 1; i >= 0; i-- {
		if strings.TrimSpace(cells[i]) != "" {
			return i + 1
		}
	}
	return 0
}

// trimAll returns cells with surrounding spaces removed.
func trimAll(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.TrimSpace(c)
	}
	return out
}

// fit returns cells padded with "" to n cells; a longer row loses only its
// trailing blank cells beyond n, never a value.
func fit(cells []string, n int) []string {
	if cells == nil {
		cells = []string{}
	}
	if len(cells) > n {
		return cells[:max(n, usedLen(cells))]
	}
	for len(cells) < n {
		cells = append(cells, "")
	}
	return cells
}
