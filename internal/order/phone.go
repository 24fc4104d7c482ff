package order

import (
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// tollFreeNPAs are the NANP toll-free area codes.
var tollFreeNPAs = map[int64]bool{800: true, 833: true, 844: true, 855: true, 866: true, 877: true, 888: true}

// isTollFree reports whether a 10-digit NANP number is toll-free.
func isTollFree(n int64) bool { return tollFreeNPAs[n/10_000_000] }

// frNumber reads one French number and returns it as a 10-digit national
// string ("0261910210"). A 9-digit number without its leading zero (a number
// cell in Excel) is restored and restored reports it.
func frNumber(s string) (national string, restored bool, err error) {
	digits, clean := digitsOnly(s)
	if !clean || digits == "" {
		return "", false, fmt.Errorf("%s is not a phone number", s)
	}
	text := s
	if s[0] != '+' && !hasPrefix00(digits) {
		switch {
		case len(digits) == 9 && digits[0] != '0':
			digits, restored = "0"+digits, true
		case len(digits) != 10:
			return "", false, fmt.Errorf("%s has %d digits; a French number has 10", s, len(digits))
		}
		text = digits
	}
	if text == digits && frFast(digits) {
		if !frValid.valid(digits[1:1+frPrefixDigits], func() bool { return frValidSlow(digits) }) {
			return "", false, fmt.Errorf("%s is not a valid French number", s)
		}
		return digits, restored, nil
	}
	num, perr := phonenumbers.Parse(text, "FR")
	if perr != nil || !phonenumbers.IsValidNumberForRegion(num, "FR") {
		return "", false, fmt.Errorf("%s is not a valid French number", s)
	}
	return "0" + strconv.FormatUint(num.GetNationalNumber(), 10), restored, nil
}

// The fast paths below skip phonenumbers.Parse (whose extension regexp
// backtracks, 40 % of validate's CPU) for the common national forms. The
// library stays the authority: the validity of a prefix is asked of it once,
// with the first number seen under that prefix, and remembered. That is exact
// because the library's French patterns decide on at most the first 5
// digits of the 9-digit national number, and its North American ones on at
// most the first 7 of 10; TestPhoneFastPathsMatchLibrary and
// FuzzPhoneFastPaths check it against the library.
const (
	frPrefixDigits   = 5
	nanpPrefixDigits = 7
	// prefixCacheMax bounds each cache; past it the library is asked every time.
	prefixCacheMax = 1 << 16
)

var (
	frValid   = &prefixCache{m: make(map[string]bool)}
	nanpValid = &prefixCache{m: make(map[string]bool)}
)

// prefixCache remembers the library's verdict per number prefix. Safe for
// concurrent use.
type prefixCache struct {
	mu sync.Mutex
	m  map[string]bool
}

// valid returns the verdict for prefix, computing it with slow once.
func (c *prefixCache) valid(prefix string, slow func() bool) bool {
	c.mu.Lock()
	v, ok := c.m[prefix]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = slow()
	c.mu.Lock()
	if len(c.m) < prefixCacheMax {
		c.m[prefix] = v
	}
	c.mu.Unlock()
	return v
}

// frFast reports whether digits is a plain national French number
// ("0" + 9 digits not starting with 0) the fast path handles.
func frFast(digits string) bool {
	return len(digits) == 10 && digits[0] == '0' && digits[1] != '0'
}

// frValidSlow asks the library about a national French number.
func frValidSlow(national string) bool {
	num, err := phonenumbers.Parse(national, "FR")
	return err == nil && phonenumbers.IsValidNumberForRegion(num, "FR")
}

// nanpValidSlow asks the library about a 10-digit North American number.
func nanpValidSlow(digits string) bool {
	num, err := phonenumbers.Parse(digits, "US")
	return err == nil && num.GetCountryCode() == 1 && phonenumbers.IsValidNumber(num)
}

func hasPrefix00(d string) bool { return len(d) > 2 && d[:2] == "00" && d[2] != '0' }

// e164 reads a contact phone (French by default, or any +country number) and
// formats it as E.164. A French number missing its leading zero is restored.
func e164(s string) (string, bool, error) {
	digits, clean := digitsOnly(s)
	if !clean || digits == "" {
		return "", false, fmt.Errorf("%s is not a phone number", s)
	}
	if s[0] == '+' || hasPrefix00(digits) {
		num, err := phonenumbers.Parse(s, "FR")
		if err != nil || !phonenumbers.IsValidNumber(num) {
			return "", false, fmt.Errorf("%s is not a valid phone number", s)
		}
		return phonenumbers.Format(num, phonenumbers.E164), false, nil
	}
	nat, restored, err := frNumber(s)
	if err != nil {
		return "", false, err
	}
	// nat is "0" + the 9-digit national number: E.164 is +33 and those digits.
	return "+33" + nat[1:], restored, nil
}

// nanpNumber reads one North American number ("(206) 555-0160",
// "866-555-0170", "+1 416 555 0120", 4165550120) as a 10-digit integer.
func nanpNumber(s string) (int64, error) {
	digits, clean := digitsOnly(s)
	if !clean || digits == "" {
		return 0, fmt.Errorf("%s is not a phone number", s)
	}
	if len(digits) == 11 && digits[0] == '1' {
		digits = digits[1:]
	}
	if len(digits) != 10 {
		return 0, fmt.Errorf("%s has %d digits; a North American number has 10", s, len(digits))
	}
	if digits[0] >= '2' {
		// NXX-NXX-XXXX: the library reads the 10 digits as they are.
		if !nanpValid.valid(digits[:nanpPrefixDigits], func() bool { return nanpValidSlow(digits) }) {
			return 0, fmt.Errorf("%s is not a valid North American number", s)
		}
		n, _ := strconv.ParseInt(digits, 10, 64)
		return n, nil
	}
	num, err := phonenumbers.Parse(digits, "US")
	if err != nil || num.GetCountryCode() != 1 || !phonenumbers.IsValidNumber(num) {
		return 0, fmt.Errorf("%s is not a valid North American number", s)
	}
	return int64(num.GetNationalNumber()), nil
}

// expandNumbers reads a numbers cell with one, a list or ranges of numbers,
// each checked by parse, and returns them sorted and unique. Items that fail
// are returned as problems; fixed describes the items repaired by parse.
func expandNumbers[T int64 | string](cell string, parse func(string) (T, bool, error)) (out []T, fixed []string, problems []string) {
	seen := make(map[T]bool)
	add := func(v T) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, tk := range splitNumbers(cell) {
		if tk.to == "" {
			v, rep, err := parse(tk.text)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			if rep {
				fixed = append(fixed, fmt.Sprintf("%s lost its leading zero, read as %v", tk.text, v))
			}
			add(v)
			continue
		}
		from, repFrom, err1 := parse(tk.from)
		to, repTo, err2 := parse(tk.to)
		if err1 != nil || err2 != nil {
			for _, err := range []error{err1, err2} {
				if err != nil {
					problems = append(problems, "range "+tk.text+": "+err.Error())
				}
			}
			continue
		}
		if repFrom || repTo {
			fixed = append(fixed, fmt.Sprintf("%s lost its leading zeros, read as %v-%v", tk.text, from, to))
		}
		list, err := expandRange(fmt.Sprint(from), fmt.Sprint(to))
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		for _, item := range list {
			v, _, err := parse(item)
			if err != nil {
				problems = append(problems, "range "+tk.text+": "+err.Error())
				break
			}
			add(v)
		}
	}
	slices.Sort(out)
	return out, fixed, problems
}

// frParse and nanpParse adapt the number readers to expandNumbers.
func frParse(s string) (string, bool, error) { return frNumber(s) }

func nanpParse(s string) (int64, bool, error) {
	n, err := nanpNumber(s)
	return n, false, err
}
