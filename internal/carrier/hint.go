package carrier

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
)

// HintPrefix starts the hint a Catalogue adds after a carrier's words, so
// that a reader (and a test) can tell the two apart.
const HintPrefix = "what to do: "

// UnknownHint is the hint of a rejection no Reason of the catalogue
// recognises.
const UnknownHint = "unknown reason, not in orderdrop's catalogue: read the carrier's words and ask the carrier what to change"

// A Reason is one rejection reason a carrier gives, recognised in its words,
// with what the back office does about it.
type Reason struct {
	Match *regexp.Regexp // matched against the carrier's words (make it case-insensitive)
	Hint  string         // what to fix, naming the sheet's columns
}

// A Catalogue turns a carrier's rejection into a fix: its fields named by
// the sheet's columns, and a hint beside the carrier's own words. Each
// carrier package owns its catalogue, beside the code that reads its
// answers: the words, codes and field names are the carrier's.
type Catalogue struct {
	Fields  map[string]string // carrier field name (without [N]) → sheet column
	Reasons []Reason          // first match wins
	fields  *regexp.Regexp
}

// NewCatalogue builds a catalogue from a field map and reasons.
func NewCatalogue(fields map[string]string, reasons ...Reason) *Catalogue {
	c := &Catalogue{Fields: fields, Reasons: reasons}
	if len(fields) > 0 {
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, regexp.QuoteMeta(f))
		}
		// Longest first, so that PortForm.CustomerName wins over CustomerName.
		slices.SortFunc(names, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
		c.fields = regexp.MustCompile(`\b(?:` + strings.Join(names, "|") + `)(?:\[\d+\]|\b)`)
	}
	return c
}

// Columns rewrites the carrier's field names in words as the sheet's
// columns ("idOptions[0]: …" → "option_ids: …").
func (c *Catalogue) Columns(words string) string {
	if c == nil || c.fields == nil {
		return words
	}
	return c.fields.ReplaceAllStringFunc(words, func(f string) string {
		base := f
		if i := strings.IndexByte(base, '['); i >= 0 {
			base = base[:i]
		}
		if col, ok := c.Fields[base]; ok {
			return col
		}
		return f
	})
}

// Hint is the hint of the first reason matching words, or UnknownHint.
func (c *Catalogue) Hint(words string) string {
	if c != nil {
		for _, r := range c.Reasons {
			if r.Match.MatchString(words) {
				return r.Hint
			}
		}
	}
	return UnknownHint
}

// Explain returns words with its fields named by column, then "; what to
// do: " and the hint. The carrier's words are always kept.
func (c *Catalogue) Explain(words string) string {
	words = c.Columns(words)
	return words + "; " + HintPrefix + c.Hint(words)
}

// Explained applies the catalogue to a rejection the carrier sent (at
// least one attempt); other results, and refusals made before sending, are
// returned as they are.
func (c *Catalogue) Explained(r Result) Result {
	if r.Class == Rejected && r.Attempts > 0 {
		r.Message = c.Explain(r.Message)
	}
	return r
}
