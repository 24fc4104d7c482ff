package order

import (
	"fmt"
	"regexp"
	"strings"
)

// rioRE is a RIO (ARCEP): OO Q RRRRRR CCC. OO is the donor operator's code:
// two digits with Q = E or P for a mobile line, two letters or digits (F0
// Orange, F1 SFR, … G0, I0) with any other letter Q for a fixed line.
var rioRE = regexp.MustCompile(`^(?:[0-9]{2}[EP]|[0-9A-Z]{2}[A-DF-OQ-Z])[0-9A-Z+]{6}[0-9A-Z+]{3}$`)

// rioAlphabet gives each RIO character its value in the check key.
const rioAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+"

// rioKey is the check key of a RIO whose first 9 characters are head, for
// the 10-digit national number (ARCEP décision 2013-0830): over head then
// number, a = a+p, b = 2b+p, c = 4c+p, all mod 37, p each character's
// index in rioAlphabet.
func rioKey(head, number string) string {
	var a, b, c int
	for i := 0; i < len(head)+len(number); i++ {
		ch := byte(0)
		if i < len(head) {
			ch = head[i]
		} else {
			ch = number[i-len(head)]
		}
		p := strings.IndexByte(rioAlphabet, ch)
		if p < 0 {
			return ""
		}
		a = (a + p) % 37
		b = (2*b + p) % 37
		c = (4*c + p) % 37
	}
	return string([]byte{rioAlphabet[a], rioAlphabet[b], rioAlphabet[c]})
}

// frRIO reads the rio column (case and spaces ignored) and checks its
// format and its key against the idn: ARCEP (décision 2013-0830, art. 12)
// makes this check the receiving operator's duty, and a losing operator
// refuses a port whose RIO does not match. Returns the normalised RIO.
func (v *validator) frRIO(raw, idn string, numbers []string, c *checker) string {
	rio := strings.ToUpper(strings.Join(strings.Fields(raw), ""))
	if rio == "" || !v.enabled(CheckRIO) {
		return rio
	}
	if !rioRE.MatchString(rio) {
		v.flag(c, CheckRIO, "rio", fmt.Sprintf("%s is not a RIO (12 characters: operator, letter, 6 characters, key; e.g. F1C12345+I1E)", trim(raw)))
		return rio
	}
	if idn == "" {
		return rio // the idn's own problem is reported
	}
	head, key := rio[:9], rio[9:]
	if rioKey(head, idn) == key {
		return rio
	}
	for _, n := range numbers {
		if n != idn && rioKey(head, n) == key {
			v.flag(c, CheckRIO, "rio", fmt.Sprintf("this RIO belongs to %s, not to the idn %s", spaced(n), spaced(idn)))
			return rio
		}
	}
	v.flag(c, CheckRIO, "rio", fmt.Sprintf("the check key does not match %s; check the RIO, or have the customer call 3179 from the line", spaced(idn)))
	return rio
}

// spaced writes a 10-digit French number in pairs: "01 45 00 04 00".
func spaced(n string) string {
	if len(n) != 10 {
		return n
	}
	return n[0:2] + " " + n[2:4] + " " + n[4:6] + " " + n[6:8] + " " + n[8:10]
}
