package order

import (
	"slices"
	"strings"
	"testing"
)

// TestNormalisedAndFingerprintUseSortedNames: the cached, sorted field
// names give the fingerprint Fingerprint gives from the fields, and a
// normalised list of every non-empty field in name order, for each kind.
func TestNormalisedAndFingerprintUseSortedNames(t *testing.T) {
	for _, c := range []struct {
		kind   Kind
		header []string
		row    map[string]string
	}{{FrPort, frHeader, frGood()}, {CaPort, caHeader, caGood()}, {L2, l2Header, l2Good()}} {
		res := Parse(table(c.header, c.row, c.row), c.kind, opts()) // twice: the second uses the cache
		if len(res.Orders) == 0 {
			t.Fatalf("%s: got no order: %+v", c.kind, res.Rows)
		}
		for _, o := range res.Orders {
			fields := o.Fields()
			if got, want := o.Fingerprint, Fingerprint(fields); got != want {
				t.Errorf("%s: got fingerprint %s, want %s", c.kind, got, want)
			}
			var want []string
			for k, v := range fields {
				if v != "" {
					want = append(want, k+"="+v)
				}
			}
			slices.Sort(want)
			if got := o.Normalised(); got != strings.Join(want, ", ") {
				t.Errorf("%s: got normalised %q, want %q", c.kind, got, strings.Join(want, ", "))
			}
		}
	}
}
