package config

import (
	"fmt"
	"strings"

	"github.com/robfig/cron/v3"

	"github.com/orderdrop/orderdrop/internal/order"
)

// ParseSchedule checks a 5-field cron spec (minute hour day month weekday,
// or a descriptor such as @hourly) the way the daemon will run it.
func ParseSchedule(spec string) (cron.Schedule, error) {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("%q is not a cron schedule such as \"*/5 * * * *\": %w", spec, err)
	}
	return s, nil
}

func parseHours(hours []string) ([]order.HourRange, error) {
	out := make([]order.HourRange, 0, len(hours))
	for _, h := range hours {
		from, to, ok := strings.Cut(strings.TrimSpace(h), "-")
		if !ok || !isClock(from) || !isClock(to) || from >= to {
			return nil, fmt.Errorf("%q must look like 08:00-12:00", h)
		}
		out = append(out, order.HourRange{From: from, To: to})
	}
	return out, nil
}

func isClock(s string) bool {
	if len(s) != 5 || s[2] != ':' {
		return false
	}
	h, m := s[:2], s[3:]
	return h >= "00" && h <= "23" && m >= "00" && m <= "59" && isDigits(h) && isDigits(m)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
