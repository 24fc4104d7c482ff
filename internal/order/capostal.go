package order

import (
	"fmt"
	"slices"
	"strings"
)

// caPostalProvinces are the provinces a Canadian postal code's first letter
// (its postal district) may go with: X serves two territories.
var caPostalProvinces = map[byte][]string{
	'A': {"NL"}, 'B': {"NS"}, 'C': {"PE"}, 'E': {"NB"}, 'G': {"QC"}, 'H': {"QC"}, 'J': {"QC"},
	'K': {"ON"}, 'L': {"ON"}, 'M': {"ON"}, 'N': {"ON"}, 'P': {"ON"}, 'R': {"MB"}, 'S': {"SK"},
	'T': {"AB"}, 'V': {"BC"}, 'X': {"NT", "NU"}, 'Y': {"YT"},
}

// caProvinceNames are the English names used in messages.
var caProvinceNames = map[string]string{
	"AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick", "NL": "Newfoundland and Labrador",
	"NS": "Nova Scotia", "NT": "the Northwest Territories", "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island",
	"QC": "Quebec", "SK": "Saskatchewan", "YT": "Yukon",
}

// caPostalProvinceProblem says why a normalised Canadian postal code ("M5V
// 3A6") can't be in province; "" when it can.
func caPostalProvinceProblem(code, province string) string {
	if code == "" || province == "" {
		return ""
	}
	provs := caPostalProvinces[code[0]]
	if len(provs) == 0 || slices.Contains(provs, province) {
		return ""
	}
	names := make([]string, len(provs))
	for i, p := range provs {
		names[i] = caProvinceNames[p]
	}
	return fmt.Sprintf("%s is in %s (%c), not %s", code, strings.Join(names, " or "), code[0], province)
}
