package main

import "fmt"

// siret completes a 13-digit prefix with its Luhn check digit.
func siret(prefix13 string) string {
	for d := 0; d <= 9; d++ {
		s := fmt.Sprintf("%s%d", prefix13, d)
		if luhn(s) {
			return s
		}
	}
	panic("unreachable")
}

func luhn(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
