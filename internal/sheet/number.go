package sheet

import (
	"math/big"
	"strconv"
	"strings"
)

// plainNumber rewrites a number stored in scientific notation
// ("4.1655501E9") as plain decimal text ("4165550100"). Other text is
// returned unchanged. The conversion is exact: it works on the decimal text,
// not on a float64.
func plainNumber(s string) string {
	if !strings.ContainsAny(s, "eE") {
		return s
	}
	t := strings.TrimSpace(s)
	i := strings.IndexAny(t, "eE")
	if exp, err := strconv.Atoi(t[i+1:]); err != nil || exp > 400 || exp < -400 {
		return s // not a number, or beyond any float64: leave it alone
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok {
		return s
	}
	if r.IsInt() {
		return r.Num().String()
	}
	// Enough digits for any float64 written by a spreadsheet, trailing zeros cut.
	out := r.FloatString(30)
	out = strings.TrimRight(out, "0")
	return strings.TrimSuffix(out, ".")
}
