package carrier

import (
	"net/http"
	"strings"
	"testing"
)

// TestHotPathsStayCheap pins the per-request costs REVIEW rank 1 found: a
// key normalisation that built a strings.Replacer per call, and a message
// extraction (a JSON decode) on every accepted answer.
func TestHotPathsStayCheap(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	resp := &http.Response{StatusCode: http.StatusCreated, Header: http.Header{}}
	tests := []struct {
		name string
		f    func()
		want float64
	}{
		{"normKey of a normal key", func() { _ = normKey("password") }, 0},
		{"classify an accepted answer", func() { _, _ = classifyStatus(Request{Op: "create order"}, resp, benchBody) }, 1},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(100, tt.f); got > tt.want {
			t.Errorf("%s: got %.0f allocations, want at most %.0f", tt.name, got, tt.want)
		}
	}
}

// TestClassifyKeepsFailureMessages checks that failures still carry the
// carrier's message now that accepted answers skip the extraction.
func TestClassifyKeepsFailureMessages(t *testing.T) {
	resp := &http.Response{StatusCode: http.StatusUnprocessableEntity, Header: http.Header{}}
	_, err := classifyStatus(Request{Op: "create order"}, resp, []byte(`{"message":"siret is invalid"}`))
	if got, want := err.Error(), "siret is invalid"; err == nil || !strings.Contains(got, want) {
		t.Errorf("got %q, want it to contain %q", got, want)
	}
}
