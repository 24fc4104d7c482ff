package order

import (
	"fmt"
	"testing"
	"time"
)

// Micro-benchmarks of the validation hot paths (REVIEW ranks 2 and 4).

func BenchmarkFrNumber(b *testing.B) {
	i := 0
	for b.Loop() {
		if _, _, err := frNumber(fmt.Sprintf("0353%06d", i%1_000_000)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkE164French(b *testing.B) {
	i := 0
	for b.Loop() {
		if _, _, err := e164(fmt.Sprintf("06 73 %02d %02d %02d", i%100, i/100%100, i/10_000%100)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkNanpNumber(b *testing.B) {
	i := 0
	for b.Loop() {
		if _, err := nanpNumber(fmt.Sprintf("206-%03d-%04d", 200+i/10_000%800, i%10_000)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func benchWindow(b *testing.B, wanted time.Time) {
	w, err := FrWindow{}.compile()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		w.check(wanted, testNow)
	}
}

// BenchmarkWindowCheck checks a wanted date 30 days ahead.
func BenchmarkWindowCheck(b *testing.B) {
	benchWindow(b, time.Date(2026, 12, 22, 10, 0, 0, 0, paris))
}

// BenchmarkWindowCheckFarFuture checks a wanted date in year 9999 (a typo):
// the cost must not grow with the distance.
func BenchmarkWindowCheckFarFuture(b *testing.B) {
	benchWindow(b, time.Date(9999, 12, 22, 10, 0, 0, 0, paris))
}
