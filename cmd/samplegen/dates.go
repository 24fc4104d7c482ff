package main

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/us"
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

// Canadian holidays rickar/cal/v2/ca lacks (provincial ones the samples'
// provinces keep).
var (
	caFamilyDay = &cal.Holiday{Name: "Family Day", Month: time.February, Weekday: time.Monday, Offset: 3, Func: cal.CalcWeekdayOffset}
	caSaintJean = &cal.Holiday{Name: "Saint-Jean-Baptiste Day", Month: time.June, Day: 24, Func: cal.CalcDayOfMonth}
)

// northAmericanCalendar knows the days no ca-port sample may be dated:
// weekends, Canada's national holidays and the ones of Ontario and Quebec,
// and US federal holidays (the samples port in ON, QC and WA).
func northAmericanCalendar() *cal.BusinessCalendar {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(ca.Holidays...)
	c.AddHoliday(caFamilyDay, caSaintJean)
	c.AddHoliday(us.Holidays...)
	return c
}

// caWorkingDay returns the n-th day after now that is a working day in
// Canada (ON, QC) and the US, as a date.
func caWorkingDay(now time.Time, n int) string {
	c := northAmericanCalendar()
	d := time.Date(now.In(paris).Year(), now.In(paris).Month(), now.In(paris).Day(), 12, 0, 0, 0, time.UTC)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d.Format("2006-01-02")
}

// caHoliday returns the first Ontario statutory holiday falling on a
// weekday at least two weeks after now: a port date Thinktel would refuse.
func caHoliday(now time.Time) string {
	d := time.Date(now.In(paris).Year(), now.In(paris).Month(), now.In(paris).Day(), 12, 0, 0, 0, time.UTC).AddDate(0, 0, 14)
	on := []*cal.Holiday{ca.NewYear, ca.GoodFriday, ca.VictoriaDay, ca.CanadaDay, ca.LabourDay, ca.ThanksgivingDay, ca.ChristmasDay, ca.BoxingDay, caFamilyDay}
	for ; ; d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		for _, h := range on {
			if actual, _ := h.Calc(d.Year()); actual.Year() == d.Year() && actual.YearDay() == d.YearDay() {
				return d.Format("2006-01-02")
			}
		}
	}
}
