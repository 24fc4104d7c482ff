package order

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// MaxRange is the largest number of numbers one range may expand to.
const MaxRange = 10000

// rangeRE matches "0123456700-0123456799" (digits only on each side; spaces,
// dots and a leading + allowed around the digits).
var rangeRE = regexp.MustCompile(`^\s*(\+?[0-9][0-9 .]{7,16}[0-9])\s*[-–—]\s*(\+?[0-9][0-9 .]{7,16}[0-9])\s*$`)

// token is one number or range as written in a numbers cell.
type token struct {
	text     string // as written, trimmed
	from, to string // range ends as written; from == text and to == "" for a single number
}

// splitNumbers cuts a numbers cell into numbers and ranges. Items are
// separated by commas, semicolons, newlines or tabs; a piece is further split
// on spaces only when every space-separated word holds a whole number (so
// "(206) 555-0160" and "+33 6 73 48 26 99" stay one number).
func splitNumbers(cell string) []token {
	var out []token
	pieces := strings.FieldsFunc(cell, func(r rune) bool {
		return r == ',' || r == ';' || r == '\n' || r == '\r' || r == '\t' || r == '|'
	})
	for _, p := range pieces {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if m := rangeRE.FindStringSubmatch(p); m != nil {
			out = append(out, token{text: p, from: strings.TrimSpace(m[1]), to: strings.TrimSpace(m[2])})
			continue
		}
		words := strings.Fields(p)
		whole := len(words) > 1
		for _, w := range words {
			if countDigits(w) < 9 {
				whole = false
				break
			}
		}
		if !whole {
			out = append(out, token{text: p, from: p})
			continue
		}
		for _, w := range words {
			if m := rangeRE.FindStringSubmatch(w); m != nil {
				out = append(out, token{text: w, from: m[1], to: m[2]})
			} else {
				out = append(out, token{text: w, from: w})
			}
		}
	}
	return out
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// digitsOnly returns the digits of s, and whether s held nothing but digits
// and the usual separators (spaces, dots, hyphens, parentheses, a leading +).
func digitsOnly(s string) (string, bool) {
	var b strings.Builder
	clean := true
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '\u00a0':
		case r == '+' && i == 0:
		default:
			clean = false
		}
	}
	return b.String(), clean
}

// expandRange lists the digit strings from..to (same length, from ≤ to).
func expandRange(from, to string) ([]string, error) {
	if len(from) != len(to) {
		return nil, fmt.Errorf("range %s-%s: both ends must have the same number of digits", from, to)
	}
	a, err := strconv.ParseInt(from, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("range %s-%s: %w", from, to, err)
	}
	b, err := strconv.ParseInt(to, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("range %s-%s: %w", from, to, err)
	}
	if b < a {
		return nil, fmt.Errorf("range %s-%s ends before it starts", from, to)
	}
	if b-a+1 > MaxRange {
		return nil, fmt.Errorf("range %s-%s holds %d numbers; at most %d per range", from, to, b-a+1, MaxRange)
	}
	out := make([]string, 0, b-a+1)
	for n := a; n <= b; n++ {
		out = append(out, fmt.Sprintf("%0*d", len(from), n))
	}
	return out, nil
}

// parseIntCell reads an integer cell: "2201", " 42 ", "2201.0" (a number
// cell); anything else is an error.
func parseIntCell(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if t, ok := strings.CutSuffix(s, ".0"); ok {
		s = t
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return n, nil
}

// parseIntList reads "41,42", "7101;7103", "41 42" into integers.
func parseIntList(s string) ([]int, []string) {
	var out []int
	var bad []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t' || r == '|' || r == '/'
	}) {
		n, err := parseIntCell(f)
		if err != nil || n <= 0 || n > 1<<31-1 {
			bad = append(bad, f)
			continue
		}
		out = append(out, int(n))
	}
	return out, bad
}
