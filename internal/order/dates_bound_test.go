package order

import (
	"strings"
	"testing"
	"time"
)

// TestWorkingDaysBetween compares the bounded, cached count with the
// calendar asked day by day.
func TestWorkingDaysBetween(t *testing.T) {
	naive := func(from, to time.Time) int {
		n := 0
		for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
			if frCalendar.IsWorkday(d) {
				n++
			}
		}
		return n
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, paris) }
	tests := []struct {
		from, to time.Time
		limit    int
	}{
		{day(2026, 11, 23), day(2026, 12, 1), 100},  // a plain week
		{day(2026, 12, 18), day(2027, 1, 5), 100},   // Christmas and New Year
		{day(2027, 4, 30), day(2027, 5, 31), 100},   // May's holidays, Ascension, Whit Monday
		{day(2026, 11, 23), day(2026, 11, 23), 100}, // same day
		{day(2026, 11, 23), day(2027, 3, 1), 6},     // stops at the limit
	}
	for _, tt := range tests {
		want := min(naive(tt.from, tt.to), tt.limit)
		if got := workingDaysBetween(tt.from, tt.to, tt.limit); got != want {
			t.Errorf("workingDaysBetween(%s, %s, %d): got %d, want %d", tt.from.Format("2006-01-02"), tt.to.Format("2006-01-02"), tt.limit, got, want)
		}
	}
}

// TestWindowFarFutureIsBounded: a wanted date typed as year 9999 is
// refused for being too far ahead, and only the days up to the minimum
// working days are looked at (it used to walk ~2.9 million days).
func TestWindowFarFutureIsBounded(t *testing.T) {
	workdays.Clear()
	w, err := FrWindow{}.compile()
	if err != nil {
		t.Fatal(err)
	}
	problems := w.check(time.Date(9999, 12, 22, 10, 0, 0, 0, paris), testNow)
	if got := strings.Join(problems, "; "); !strings.Contains(got, "more than 89 days ahead") {
		t.Errorf("got %q, want a too-far-ahead problem", got)
	}
	looked := 0
	workdays.Range(func(any, any) bool { looked++; return true })
	if looked > 3*w.minWork {
		t.Errorf("got %d days looked at, want at most %d", looked, 3*w.minWork)
	}
}

// TestFingerprintIsStable pins fingerprints: they are stored in ledgers, so
// a faster way of computing them must give the very same hex.
func TestFingerprintIsStable(t *testing.T) {
	tests := []struct {
		fields map[string]string
		want   string
	}{
		{map[string]string{"idn": "0261910210", "customer_name": "Verrerie d'Arques", "zip_code": "29200", "empty": ""},
			"3abac655c223798de6ab68451985f5d4a2276aa3907b73eb44ad10a7a389750e"},
		{nil, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	}
	for _, tt := range tests {
		if got := Fingerprint(tt.fields); got != tt.want {
			t.Errorf("Fingerprint(%v): got %s, want %s", tt.fields, got, tt.want)
		}
	}
}

// TestFieldsAreBuiltOnDemand: an order's fields are built at each call (not
// kept on the Order), always the same, and they give its fingerprint.
func TestFieldsAreBuiltOnDemand(t *testing.T) {
	o := Parse(table(frHeader, frGood()), FrPort, opts()).Orders[0]
	first := o.Fields()
	if got, want := first["idn"], "0261910210"; got != want {
		t.Fatalf("idn: got %q, want %q", got, want)
	}
	first["idn"] = "changed"
	if got := o.Fields()["idn"]; got != "0261910210" {
		t.Errorf("after changing a returned map: got idn %q, want 0261910210", got)
	}
	if got := Fingerprint(o.Fields()); got != o.Fingerprint {
		t.Errorf("Fingerprint(Fields()): got %s, want %s", got, o.Fingerprint)
	}
}
