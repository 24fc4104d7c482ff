package main

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/fr"
)

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func frenchCalendar() *cal.BusinessCalendar {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(fr.Holidays...)
	return c
}

// workingDay returns the n-th French working day after now, at hh:00 Paris.
func workingDay(now time.Time, n, hh int) time.Time {
	c := frenchCalendar()
	d := time.Date(now.In(paris).Year(), now.In(paris).Month(), now.In(paris).Day(), hh, 0, 0, 0, paris)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// nextSaturday returns the first Saturday at least two weeks after now, 10:00 Paris.
func nextSaturday(now time.Time) time.Time {
	d := workingDay(now, 12, 10)
	for d.Weekday() != time.Saturday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func frDate(t time.Time) string { return t.In(paris).Format("02/01/2006 15:04") }
