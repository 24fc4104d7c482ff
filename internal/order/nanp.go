package order

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// npaReserved says why an area code (NPA) is not one in service, by the
// North American Numbering Plan's rules; "" when the rules allow it. The
// library (libphonenumber) refuses these numbers too; this names the reason.
func npaReserved(npa int64) string {
	switch {
	case npa < 200 || npa > 999:
		return fmt.Sprintf("area code %03d can't start with 0 or 1", npa)
	case npa%100 == 11:
		return fmt.Sprintf("area code %d is a service code (N11), not an area code", npa)
	case npa/10 == 37:
		return fmt.Sprintf("area code %d is reserved (37X), not in service", npa)
	case npa/10 == 96:
		return fmt.Sprintf("area code %d is reserved (96X), not in service", npa)
	case npa/10%10 == 9:
		return fmt.Sprintf("area code %d is reserved for the expansion of the plan (N9X), not in service", npa)
	}
	return ""
}

// npaNotPortable says why an area code the library knows is not one a
// customer's line can be ported from (CheckNANPA); "" when it can.
func npaNotPortable(npa int64) string {
	switch {
	case npa == 900 || npa == 976:
		return fmt.Sprintf("area code %d is for premium-rate services, not a line that can be ported", npa)
	case npa == 600 || npa == 622 || npa == 633:
		return fmt.Sprintf("area code %d is non-geographic (Canadian special services), not a line that can be ported", npa)
	case npa == 500 || npa == 533 || npa == 544 || npa == 566 || npa == 577 || npa == 588 || (npa >= 521 && npa <= 529):
		return fmt.Sprintf("area code %d is for personal communications services (5XX), not a line that can be ported", npa)
	case npa == 700 || npa == 710:
		return fmt.Sprintf("area code %d is a carrier or government service code, not a line that can be ported", npa)
	}
	return ""
}

// usTerritories are the NANP regions that go with country US.
var usTerritories = map[string]bool{"US": true, "PR": true, "VI": true, "GU": true, "AS": true, "MP": true}

// npaRegions remembers the library's region per area code (libphonenumber
// decides a North American number's region on its area code).
var npaRegions sync.Map // int64 → string

// numberRegion is the region libphonenumber gives a 10-digit NANP number:
// "CA", "US", "PR", "JM"…
func numberRegion(n int64) string {
	npa := n / 10_000_000
	if r, ok := npaRegions.Load(npa); ok {
		return r.(string)
	}
	num, err := phonenumbers.Parse(strconv.FormatInt(n, 10), "US")
	r := ""
	if err == nil {
		r = phonenumbers.GetRegionCodeForNumber(num)
	}
	npaRegions.Store(npa, r)
	return r
}

// regionProblem says why number n does not belong to country (CA or US);
// "" when it does or when it is toll-free (no region).
func regionProblem(n int64, country string) string {
	if isTollFree(n) || country == "" {
		return ""
	}
	r := numberRegion(n)
	switch {
	case r == "" || r == country || (country == "US" && usTerritories[r]):
		return ""
	case r == "CA" || r == "US":
		return fmt.Sprintf("%d is a %s number, and country is %s", n, r, country)
	}
	return fmt.Sprintf("%d is a number of %s, not %s", n, r, country)
}

// caNumberChecks makes CheckNANPA and CheckNumberRegion on the numbers of
// col.
func (v *validator) caNumberChecks(c *checker, col string, nums []int64, country string) {
	for _, n := range nums {
		if why := npaNotPortable(n / 10_000_000); why != "" {
			v.flag(c, CheckNANPA, col, fmt.Sprintf("%d: %s", n, why))
		}
		if v.enabled(CheckNumberRegion) {
			if why := regionProblem(n, country); why != "" {
				v.flag(c, CheckNumberRegion, col, why)
			}
		}
	}
}

// caNumber reads a North American number like nanpNumber, and when the
// library refuses it for an area code the numbering plan reserves, says
// which rule.
func caNumber(s string) (int64, error) {
	n, err := nanpNumber(s)
	if err == nil {
		return n, nil
	}
	digits, _ := digitsOnly(s)
	if len(digits) == 11 && digits[0] == '1' {
		digits = digits[1:]
	}
	if len(digits) == 10 {
		if npa, perr := strconv.ParseInt(digits[:3], 10, 64); perr == nil {
			if why := npaReserved(npa); why != "" {
				return 0, fmt.Errorf("%s: %s", s, why)
			}
		}
	}
	return 0, err
}

// caParse adapts caNumber to expandNumbers.
func caParse(s string) (int64, bool, error) {
	n, err := caNumber(s)
	return n, false, err
}
