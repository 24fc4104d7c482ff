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

// parseHours reads "HH:MM-HH:MM" ranges; package order checks the clocks
// (FrWindow.Validate), so that the rule lives in one place.
func parseHours(hours []string) ([]order.HourRange, error) {
	out := make([]order.HourRange, 0, len(hours))
	for _, h := range hours {
		from, to, ok := strings.Cut(strings.TrimSpace(h), "-")
		if !ok {
			return nil, fmt.Errorf("%q must look like 08:00-12:00", h)
		}
		out = append(out, order.HourRange{From: strings.TrimSpace(from), To: strings.TrimSpace(to)})
	}
	if err := (order.FrWindow{Hours: out}).Validate(); err != nil {
		return nil, fmt.Errorf("%s: each range must look like 08:00-12:00, start before end (%v)", strings.Join(hours, ", "), err)
	}
	return out, nil
}
