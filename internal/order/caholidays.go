package order

import (
	"fmt"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/us"
)

// Canadian holidays rickar/cal/v2/ca does not define (it has the national
// ones only).
var (
	caFamilyDay = &cal.Holiday{Name: "Family Day", Type: cal.ObservancePublic,
		Month: time.February, Weekday: time.Monday, Offset: 3, Func: cal.CalcWeekdayOffset}
	caSaintJean = &cal.Holiday{Name: "Saint-Jean-Baptiste Day", Type: cal.ObservancePublic,
		Month: time.June, Day: 24, Func: cal.CalcDayOfMonth}
)

// caStatutory lists the statutory holidays of each province and territory
// under its employment standards: the five every province keeps, and the
// province's own. Regional days some employers keep (Easter Monday, St.
// Patrick's Day, Discovery Day) are left out: a carrier may still port then.
var caStatutory = func() map[string][]*cal.Holiday {
	all := []*cal.Holiday{ca.NewYear, ca.GoodFriday, ca.CanadaDay, ca.LabourDay, ca.ChristmasDay}
	own := map[string][]*cal.Holiday{
		"AB": {caFamilyDay, ca.VictoriaDay, ca.ThanksgivingDay, ca.RemembranceDay},
		"BC": {caFamilyDay, ca.VictoriaDay, ca.CivicDay, ca.NationalDayForTruthAndReconciliation, ca.ThanksgivingDay, ca.RemembranceDay},
		"MB": {caFamilyDay, ca.VictoriaDay, ca.NationalDayForTruthAndReconciliation, ca.ThanksgivingDay},
		"NB": {caFamilyDay, ca.CivicDay, ca.RemembranceDay},
		"NL": {ca.RemembranceDay},
		"NS": {caFamilyDay},
		"NT": {ca.VictoriaDay, ca.CivicDay, ca.NationalDayForTruthAndReconciliation, ca.ThanksgivingDay, ca.RemembranceDay},
		"NU": {ca.VictoriaDay, ca.CivicDay, ca.NationalDayForTruthAndReconciliation, ca.ThanksgivingDay, ca.RemembranceDay},
		"ON": {caFamilyDay, ca.VictoriaDay, ca.ThanksgivingDay, ca.BoxingDay},
		"PE": {caFamilyDay, ca.NationalDayForTruthAndReconciliation, ca.RemembranceDay},
		"QC": {ca.VictoriaDay, caSaintJean, ca.ThanksgivingDay},
		"SK": {caFamilyDay, ca.VictoriaDay, ca.CivicDay, ca.ThanksgivingDay, ca.RemembranceDay},
		"YT": {ca.VictoriaDay, ca.NationalDayForTruthAndReconciliation, ca.ThanksgivingDay, ca.RemembranceDay},
	}
	out := make(map[string][]*cal.Holiday, len(own))
	for prov, hs := range own {
		out[prov] = append(append([]*cal.Holiday{}, all...), hs...)
	}
	return out
}()

// portDateProblem says why day (a future requested_port_date) is no working
// day for a port in country and province: a weekend, or a statutory holiday
// (Canada: national and the province's; US: federal), naming it. "" when it
// is a working day.
func portDateProblem(day time.Time, country, province string) string {
	date := day.Format("2006-01-02")
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return fmt.Sprintf("%s is a %s: choose a working day (Monday to Friday)", date, wd)
	}
	var hs []*cal.Holiday
	var where string
	switch country {
	case "CA":
		hs, where = caStatutory[province], "a statutory holiday in "+province
	case "US":
		hs, where = us.Holidays, "a US federal holiday"
	}
	for _, h := range hs {
		actual, observed := h.Calc(day.Year())
		name := h.Name
		switch {
		case sameDay(actual, day):
		case sameDay(observed, day):
			name += " (observed)"
		default:
			continue
		}
		return fmt.Sprintf("%s is %s, %s: choose a working day", date, name, where)
	}
	return ""
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
