package order

import "fmt"

// laPosteSIREN is the SIREN of La Poste, whose SIRETs use a different check.
const laPosteSIREN = "356000000"

// checkSIRET validates a SIRET: 14 digits (spaces allowed) passing the Luhn
// check (La Poste's establishments: digit sum divisible by 5). It returns the
// 14 digits.
func checkSIRET(s string) (string, error) {
	digits, clean := digitsOnly(s)
	if !clean || s[0] == '+' {
		return "", fmt.Errorf("%s is not a SIRET (14 digits)", s)
	}
	if len(digits) != 14 {
		return "", fmt.Errorf("%s has %d digits; a SIRET has 14", s, len(digits))
	}
	if digits[:9] == laPosteSIREN && digits != "35600000000048" {
		sum := 0
		for _, r := range digits {
			sum += int(r - '0')
		}
		if sum%5 != 0 {
			return "", fmt.Errorf("%s fails its check digit", digits)
		}
		return digits, nil
	}
	if !luhn(digits) {
		return "", fmt.Errorf("%s fails its check digit", digits)
	}
	return digits, nil
}

// luhn reports whether a digit string passes the Luhn (mod 10) check.
func luhn(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
