package order

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/orderdrop/orderdrop/internal/frdata"
)

// frNumberBlocks checks that the idn and every number to port are in a
// block ARCEP allocated (frdata): a number in no block cannot be in
// service. Blocks are allocated every month, so by default this is a
// warning naming the snapshot's date.
func (v *validator) frNumberBlocks(idn string, dids []string, c *checker) {
	if !v.enabled(CheckFrNumberBlock) || (idn == "" && len(dids) == 0) {
		return
	}
	ns := frdata.LoadNumbers()
	if idn != "" {
		if _, ok := ns.Find(idn); !ok {
			v.flag(c, CheckFrNumberBlock, "idn", fmt.Sprintf("%s is in no block ARCEP had allocated by %s: check the number", spaced(idn), frdata.DateText()))
		}
	}
	var missing []string
	n := 0
	for _, d := range dids {
		if d == idn {
			continue
		}
		if _, ok := ns.Find(d); !ok {
			if n < 3 {
				missing = append(missing, spaced(d))
			}
			n++
		}
	}
	switch {
	case n == 1:
		v.flag(c, CheckFrNumberBlock, colNumbers, fmt.Sprintf("%s is in no block ARCEP had allocated by %s: check the number", missing[0], frdata.DateText()))
	case n > 1:
		list := strings.Join(missing, ", ")
		if n > len(missing) {
			list += " and " + strconv.Itoa(n-len(missing)) + " others"
		}
		v.flag(c, CheckFrNumberBlock, colNumbers, fmt.Sprintf("%s are in no block ARCEP had allocated by %s: check the numbers", list, frdata.DateText()))
	}
}
