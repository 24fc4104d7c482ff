package inbox

import "testing"

// TestSkipped: nil patterns are the defaults (lock, temporary, dot-files);
// given patterns replace them.
func TestSkipped(t *testing.T) {
	tests := []struct {
		patterns []string
		name     string
		want     bool
	}{
		{nil, "~$orders.xlsx", true},
		{nil, ".~lock.orders.xlsx#", true},
		{nil, ".hidden.csv", true},
		{nil, "orders.xlsx", false},
		{[]string{"*.bak"}, "orders.bak", true},
		{[]string{"*.bak"}, "~$orders.xlsx", false},
	}
	for _, tt := range tests {
		if got := Skipped(tt.patterns, tt.name); got != tt.want {
			t.Errorf("Skipped(%q, %q): got %v, want %v", tt.patterns, tt.name, got, tt.want)
		}
	}
}
