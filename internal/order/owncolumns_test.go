package order

import "testing"

// TestOwnColumnsAreNeverInput: the columns orderdrop writes into a report
// or a to-fix file (status, carrier_reference, message, submitted_at,
// problem) are no kind's input column nor alias, so that a report dropped
// back is read for its input columns only.
func TestOwnColumnsAreNeverInput(t *testing.T) {
	own := []string{"status", "carrier_reference", "message", "submitted_at", "problem"}
	for _, k := range Kinds {
		for i, got := range CanonicalHeader(k, own) {
			if got != "" {
				t.Errorf("%s: header %q is read as input column %q, want it ignored", k, own[i], got)
			}
		}
	}
}
