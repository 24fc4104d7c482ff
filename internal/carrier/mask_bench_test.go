package carrier

import (
	"net/http"
	"testing"
)

var benchBody = []byte(`{"data":{"id":"NW-000123","status":"pending","cart":{"id":42,"lines":[{"did":"0353012700","idn":"0353012700"}]},"contact":{"email":"marion@example.test","phone":"+33465710499","first_name":"Marion"},"api_key":"k-123"}}`)

// BenchmarkMaskBody masks a typical carrier answer for a debug log.
func BenchmarkMaskBody(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = MaskBody(benchBody, logBodyLimit)
	}
}

// BenchmarkClassifyAccepted classifies a 2xx answer, the common case.
func BenchmarkClassifyAccepted(b *testing.B) {
	resp := &http.Response{StatusCode: http.StatusCreated, Header: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := classifyStatus(Request{Op: "create order"}, resp, benchBody); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFindString looks a reference up in an answer.
func BenchmarkFindString(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := FindString(benchBody, "ID"); !ok {
			b.Fatal("not found")
		}
	}
}
