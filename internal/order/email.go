package order

import (
	"fmt"
	"net/mail"
	"strings"
)

// checkEmail validates a single plain e-mail address.
func checkEmail(s string) (string, error) {
	t := strings.TrimSpace(s)
	if n := strings.Count(t, "@"); n != 1 {
		if n == 0 {
			return "", fmt.Errorf("%s is not a valid e-mail address (no @)", t)
		}
		return "", fmt.Errorf("%s is not a valid e-mail address (it has %d @ signs)", t, n)
	}
	a, err := mail.ParseAddress(t)
	if err != nil || a.Address != t || a.Name != "" {
		return "", fmt.Errorf("%s is not a valid e-mail address", t)
	}
	_, domain, _ := strings.Cut(t, "@")
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", fmt.Errorf("%s is not a valid e-mail address (the domain needs a dot)", t)
	}
	return t, nil
}
