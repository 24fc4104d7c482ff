package ledger

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxCarrierText bounds, in bytes, each piece of carrier text the ledger
// stores: a submission outcome's message (RecordOutcomes) and a tracking
// answer's status word, message and date (RecordTracking). A carrier
// once answered a 7 MB RejectReason, which grew the ledger and went into
// every digest. Longer text is cut on a character boundary and ends with
// "… [cut, SIZE]", SIZE being the length of the carrier's text.
const MaxCarrierText = 2048

// boundText returns s when it fits MaxCarrierText, else its start followed
// by the cut mark, MaxCarrierText bytes at most in all. Bounding a bounded
// text returns it unchanged, so that an answer recorded again compares
// equal to the stored one.
func boundText(s string) string {
	if len(s) <= MaxCarrierText {
		return s
	}
	mark := "… [cut, " + size(len(s)) + "]"
	keep := MaxCarrierText - len(mark)
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	return s[:keep] + mark
}

// size names a length in bytes as a person reads it: "812 bytes", "8 KB", "7.3 MB".
func size(n int) string {
	unit := func(x float64, name string) string {
		return strings.TrimSuffix(strconv.FormatFloat(x, 'f', 1, 64), ".0") + " " + name
	}
	switch {
	case n < 1000:
		return strconv.Itoa(n) + " bytes"
	case n < 1000*1000:
		return unit(float64(n)/1000, "KB")
	}
	return unit(float64(n)/1000/1000, "MB")
}
