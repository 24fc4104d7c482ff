package order

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// The library-only readers the fast paths replaced, kept as the reference.

func frNumberLibrary(s string) (string, bool, error) {
	digits, clean := digitsOnly(s)
	if !clean || digits == "" {
		return "", false, fmt.Errorf("%s is not a phone number", s)
	}
	text, restored := s, false
	if s[0] != '+' && !hasPrefix00(digits) {
		switch {
		case len(digits) == 9 && digits[0] != '0':
			digits, restored = "0"+digits, true
		case len(digits) != 10:
			return "", false, fmt.Errorf("%s has %d digits; a French number has 10", s, len(digits))
		}
		text = digits
	}
	num, perr := phonenumbers.Parse(text, "FR")
	if perr != nil || !phonenumbers.IsValidNumberForRegion(num, "FR") {
		return "", false, fmt.Errorf("%s is not a valid French number", s)
	}
	return "0" + strconv.FormatUint(num.GetNationalNumber(), 10), restored, nil
}

func e164Library(s string) (string, bool, error) {
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
	nat, restored, err := frNumberLibrary(s)
	if err != nil {
		return "", false, err
	}
	num, _ := phonenumbers.Parse(nat, "FR")
	return phonenumbers.Format(num, phonenumbers.E164), restored, nil
}

func nanpNumberLibrary(s string) (int64, error) {
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
	num, err := phonenumbers.Parse(digits, "US")
	if err != nil || num.GetCountryCode() != 1 || !phonenumbers.IsValidNumber(num) {
		return 0, fmt.Errorf("%s is not a valid North American number", s)
	}
	return int64(num.GetNationalNumber()), nil
}

// samePhone compares a fast reader's answer with the library's.
func samePhone(t *testing.T, s string) {
	t.Helper()
	got, gotR, gotErr := frNumber(s)
	want, wantR, wantErr := frNumberLibrary(s)
	if got != want || gotR != wantR || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Errorf("frNumber(%q): got %q %v %v, want %q %v %v", s, got, gotR, gotErr, want, wantR, wantErr)
	}
	gotE, gotR, gotErr := e164(s)
	wantE, wantR, wantErr := e164Library(s)
	if gotE != wantE || gotR != wantR || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Errorf("e164(%q): got %q %v %v, want %q %v %v", s, gotE, gotR, gotErr, wantE, wantR, wantErr)
	}
	gotN, gotErr := nanpNumber(s)
	wantN, wantErr := nanpNumberLibrary(s)
	if gotN != wantN || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Errorf("nanpNumber(%q): got %d %v, want %d %v", s, gotN, gotErr, wantN, wantErr)
	}
}

// TestPhoneFastPathsMatchLibrary checks the fast paths against the library
// on numbers drawn at random, in pairs sharing the cached prefix: the second
// of each pair is answered from the cache, so a verdict that depended on a
// digit past the prefix would show as a difference.
func TestPhoneFastPathsMatchLibrary(t *testing.T) {
	frValid = &prefixCache{m: make(map[string]bool)}
	nanpValid = &prefixCache{m: make(map[string]bool)}
	rng := rand.New(rand.NewPCG(8, 2026))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		return string(b)
	}
	fixed := []string{"0261910210", "261910210", "0673480041", "+33 6 73 48 00 41", "0033673480041", "0012345678",
		"0899123456", "0836012345", "0836412345", "(206) 555-0160", "1-866-555-0170", "+1 416 555 0120", "4165550120",
		"2742123456", "9832123456", "6585551234", "8765551234", "1234567890"}
	for _, s := range fixed {
		samePhone(t, s)
	}
	for range 1500 {
		fr := "0" + strconv.Itoa(1+rng.IntN(9)) + digits(frPrefixDigits-1)
		samePhone(t, fr+digits(10-len(fr)))
		samePhone(t, fr+digits(10-len(fr)))
		na := strconv.Itoa(2+rng.IntN(8)) + digits(nanpPrefixDigits-1)
		samePhone(t, na+digits(10-len(na)))
		second := na + digits(10-len(na))
		samePhone(t, second[:3]+"-"+second[3:6]+"-"+second[6:])
	}
}

// FuzzPhoneFastPaths: every reader answers exactly as the library does.
func FuzzPhoneFastPaths(f *testing.F) {
	for _, s := range []string{"0261910210", "261910210", "+33 6 73 48 00 41", "(206) 555-0160", "0836012345", "6585551234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		samePhone(t, s)
	})
}
