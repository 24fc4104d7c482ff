package frdata

import "testing"

// BenchmarkLoad is what the first validation of a process pays: reading
// both embedded lists.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		each(postcodesGz, func([]string) {})
		each(numbersGz, func([]string) {})
	}
}

// BenchmarkLoadPostcodes builds the postcode index as LoadPostcodes does.
func BenchmarkLoadPostcodes(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		loadPostcodes()
	}
}
