package order

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve on hosts without zoneinfo

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/fr"
)

// paris is the time zone of French ports and of spreadsheet date cells.
var paris = mustLoad("Europe/Paris")

// frCalendar knows French working days (Monday–Friday, public holidays
// excluded). Not Cacheable, so it is safe for concurrent reads.
var frCalendar = func() *cal.BusinessCalendar {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(fr.Holidays...)
	return c
}()

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("order: time zone %s: %v", name, err))
	}
	return loc
}

// excelEpoch is day 0 of Excel's 1900 date system (with its 1900 leap-year bug folded in).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

var (
	serialRE = regexp.MustCompile(`^\d{1,6}(\.\d+)?$`)
	// dd/mm/yyyy [hh:mm[:ss]] (also with '-' or '.')
	dmyRE = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?$`)
)

// isoLayouts are the ISO 8601 forms accepted, with and without a zone.
var isoLayouts = []struct {
	layout string
	zoned  bool
	timed  bool
}{
	{time.RFC3339Nano, true, true},
	{"2006-01-02T15:04Z07:00", true, true},
	{"2006-01-02 15:04:05Z07:00", true, true},
	{"2006-01-02T15:04:05", false, true},
	{"2006-01-02 15:04:05", false, true},
	{"2006-01-02T15:04", false, true},
	{"2006-01-02 15:04", false, true},
	{"2006-01-02", false, false},
}

// parseDateTime reads a date cell: an Excel serial number (no zone: local
// time in loc), an ISO 8601 text (loc when it has no zone) or dd/mm/yyyy
// [hh:mm]. hasTime is false when only a date was given.
func parseDateTime(s string, loc *time.Location) (t time.Time, hasTime bool, err error) {
	s = strings.TrimSpace(s)
	if serialRE.MatchString(s) {
		f, _ := strconv.ParseFloat(s, 64)
		return fromSerial(f, loc), strings.Contains(s, ".") && f != math.Trunc(f), nil
	}
	if m := dmyRE.FindStringSubmatch(s); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		h, mi, sec := 0, 0, 0
		if m[4] != "" {
			h, _ = strconv.Atoi(m[4])
			mi, _ = strconv.Atoi(m[5])
			if m[6] != "" {
				sec, _ = strconv.Atoi(m[6])
			}
		}
		if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, time.Month(mo)) || h > 23 || mi > 59 || sec > 59 {
			return time.Time{}, false, fmt.Errorf("%s is not a real date", s)
		}
		return time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc), m[4] != "", nil
	}
	for _, l := range isoLayouts {
		var tt time.Time
		var perr error
		if l.zoned {
			tt, perr = time.Parse(l.layout, s)
		} else {
			tt, perr = time.ParseInLocation(l.layout, s, loc)
		}
		if perr == nil {
			return tt, l.timed, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("%s is not a date (use YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM)", s)
}

// fromSerial converts an Excel serial (days since 1899-12-30, fraction =
// time of day) to wall-clock time in loc, rounded to the second.
func fromSerial(f float64, loc *time.Location) time.Time {
	days := math.Floor(f)
	secs := int(math.Round((f - days) * 86400))
	d := excelEpoch.AddDate(0, 0, int(days))
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, secs, 0, loc)
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// frenchDayProblem says why a day is not a French working day, or "".
func frenchDayProblem(t time.Time) string {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return fmt.Sprintf("%s is a %s, not a French working day", t.Format("2006-01-02"), wd)
	}
	if _, obs, h := frCalendar.IsHoliday(t); obs && h != nil {
		return fmt.Sprintf("%s is a French public holiday (%s), not a working day", t.Format("2006-01-02"), h.Name)
	}
	return ""
}

// workingDaysBetween counts French working days d with from < d ≤ to (by
// date), stopping at limit: the caller only needs to know whether there are
// enough, so a date typed as year 9999 costs as little as next week.
func workingDaysBetween(from, to time.Time, limit int) int {
	a := time.Date(from.Year(), from.Month(), from.Day(), 12, 0, 0, 0, paris)
	b := time.Date(to.Year(), to.Month(), to.Day(), 12, 0, 0, 0, paris)
	n := 0
	for d := a.AddDate(0, 0, 1); n < limit && !d.After(b); d = d.AddDate(0, 0, 1) {
		if isFrenchWorkday(d) {
			n++
		}
	}
	return n
}

// workdays remembers frCalendar.IsWorkday by Paris date (year*1000 + day of
// year): the calendar recomputes every holiday of the year at each call.
// Only the days just after today are asked, so it stays small.
var workdays sync.Map

func isFrenchWorkday(d time.Time) bool {
	key := d.Year()*1000 + d.YearDay()
	if v, ok := workdays.Load(key); ok {
		return v.(bool)
	}
	v := frCalendar.IsWorkday(d)
	workdays.Store(key, v)
	return v
}

// checkWindow lists why wanted (a Paris instant) falls outside the window, seen from now.
func (w window) check(wanted, now time.Time) []string {
	if w.disabled {
		return nil
	}
	var out []string
	wanted, now = wanted.In(paris), now.In(paris)
	if !wanted.After(now) {
		return []string{fmt.Sprintf("%s is in the past", wanted.Format("2006-01-02 15:04"))}
	}
	if p := frenchDayProblem(wanted); p != "" {
		out = append(out, p)
	}
	minute := wanted.Hour()*60 + wanted.Minute()
	inHours := false
	for _, h := range w.hours {
		if minute >= h[0] && (minute < h[1] || minute == h[1] && wanted.Second() == 0) {
			inHours = true
		}
	}
	if !inHours {
		out = append(out, fmt.Sprintf("%s is outside Paris working hours %s", wanted.Format("15:04"), w.label))
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, paris)
	day := time.Date(wanted.Year(), wanted.Month(), wanted.Day(), 0, 0, 0, 0, paris)
	if n := workingDaysBetween(now, wanted, w.minWork); n < w.minWork {
		out = append(out, fmt.Sprintf("%s is only %d French working days ahead; at least %d are needed", day.Format("2006-01-02"), n, w.minWork))
	}
	if last := today.AddDate(0, 0, w.maxDays); day.After(last) {
		out = append(out, fmt.Sprintf("%s is more than %d days ahead (latest %s)", day.Format("2006-01-02"), w.maxDays, last.Format("2006-01-02")))
	}
	return out
}
