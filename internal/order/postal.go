package order

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	caPostalRE = regexp.MustCompile(`^[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z][0-9][ABCEGHJ-NPRSTV-Z][0-9]$`)
	usZipRE    = regexp.MustCompile(`^([0-9]{5})(?:-?([0-9]{4}))?$`)
)

// frZip checks a French postal code: 5 digits. A 4-digit number cell lost its
// leading zero ("3200" → "03200"); restored reports that repair.
func frZip(s string) (zip string, restored bool, err error) {
	t := strings.TrimSpace(s)
	if len(t) == 4 && isDigits(t) {
		return "0" + t, true, nil
	}
	if len(t) == 5 && isDigits(t) {
		return t, false, nil
	}
	if len(t) == 5 && strings.ContainsAny(t, "oO") && isDigits(strings.NewReplacer("o", "0", "O", "0").Replace(t)) {
		return "", false, fmt.Errorf("%s is not a 5-digit postal code (letter O instead of zero?)", t)
	}
	return "", false, fmt.Errorf("%s is not a 5-digit postal code", t)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// northAmericanPostal normalises a postal code of country "CA" ("m5v3a6" →
// "M5V 3A6") or "US" (5 or 9-digit ZIP, "98101" or "98101-1234").
func northAmericanPostal(s, country string) (code string, restored bool, err error) {
	t := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(s)))
	switch country {
	case "CA":
		if caPostalRE.MatchString(t) {
			return t[:3] + " " + t[3:], false, nil
		}
		if usZipRE.MatchString(strings.TrimSpace(s)) {
			return "", false, fmt.Errorf("%s is a US ZIP code: with country CA give a Canadian postal code (A1A 1A1), or set country US and a US state", strings.TrimSpace(s))
		}
		return "", false, fmt.Errorf("%s is not a Canadian postal code (A1A 1A1): such a code has no D, F, I, O, Q or U and does not start with W or Z; check it on the customer's bill", s)
	case "US":
		raw := strings.TrimSpace(s)
		if len(raw) == 4 && isDigits(raw) { // a ZIP in a number cell lost its leading zero
			return "0" + raw, true, nil
		}
		if m := usZipRE.FindStringSubmatch(raw); m != nil {
			if m[2] != "" {
				return m[1] + "-" + m[2], false, nil
			}
			return m[1], false, nil
		}
		if caPostalRE.MatchString(t) {
			return "", false, fmt.Errorf("%s is a Canadian postal code: with country US give a ZIP code, or set country CA and a province", strings.TrimSpace(s))
		}
		return "", false, fmt.Errorf("%s is not a US ZIP code (12345 or 12345-6789)", s)
	}
	return "", false, fmt.Errorf("%s can't be checked without a valid country", s)
}

// caProvinces and usStates map folded names (English and French) and codes
// to 2-letter codes.
var caProvinces, usStates = func() (map[string]string, map[string]string) {
	ca := map[string][]string{
		"AB": {"Alberta"}, "BC": {"British Columbia", "Colombie-Britannique"}, "MB": {"Manitoba"},
		"NB": {"New Brunswick", "Nouveau-Brunswick"}, "NL": {"Newfoundland and Labrador", "Newfoundland", "Terre-Neuve-et-Labrador", "Terre-Neuve"},
		"NS": {"Nova Scotia", "Nouvelle-Écosse"}, "NT": {"Northwest Territories", "Territoires du Nord-Ouest"}, "NU": {"Nunavut"},
		"ON": {"Ontario"}, "PE": {"Prince Edward Island", "Île-du-Prince-Édouard"}, "QC": {"Quebec", "Québec", "PQ"},
		"SK": {"Saskatchewan"}, "YT": {"Yukon"},
	}
	us := map[string][]string{
		"AL": {"Alabama"}, "AK": {"Alaska"}, "AZ": {"Arizona"}, "AR": {"Arkansas"}, "CA": {"California", "Californie"},
		"CO": {"Colorado"}, "CT": {"Connecticut"}, "DE": {"Delaware"}, "DC": {"District of Columbia", "Washington DC"},
		"FL": {"Florida", "Floride"}, "GA": {"Georgia", "Géorgie"}, "HI": {"Hawaii", "Hawaï"}, "ID": {"Idaho"}, "IL": {"Illinois"},
		"IN": {"Indiana"}, "IA": {"Iowa"}, "KS": {"Kansas"}, "KY": {"Kentucky"}, "LA": {"Louisiana", "Louisiane"}, "ME": {"Maine"},
		"MD": {"Maryland"}, "MA": {"Massachusetts"}, "MI": {"Michigan"}, "MN": {"Minnesota"}, "MS": {"Mississippi"},
		"MO": {"Missouri"}, "MT": {"Montana"}, "NE": {"Nebraska"}, "NV": {"Nevada"}, "NH": {"New Hampshire"},
		"NJ": {"New Jersey"}, "NM": {"New Mexico", "Nouveau-Mexique"}, "NY": {"New York"}, "NC": {"North Carolina", "Caroline du Nord"},
		"ND": {"North Dakota", "Dakota du Nord"}, "OH": {"Ohio"}, "OK": {"Oklahoma"}, "OR": {"Oregon"}, "PA": {"Pennsylvania", "Pennsylvanie"},
		"RI": {"Rhode Island"}, "SC": {"South Carolina", "Caroline du Sud"}, "SD": {"South Dakota", "Dakota du Sud"},
		"TN": {"Tennessee"}, "TX": {"Texas"}, "UT": {"Utah"}, "VT": {"Vermont"}, "VA": {"Virginia", "Virginie"},
		"WA": {"Washington"}, "WV": {"West Virginia", "Virginie-Occidentale"}, "WI": {"Wisconsin"}, "WY": {"Wyoming"},
		"PR": {"Puerto Rico", "Porto Rico"},
	}
	build := func(src map[string][]string) map[string]string {
		m := make(map[string]string)
		for code, names := range src {
			m[fold(code)] = code
			for _, n := range names {
				m[fold(n)] = code
			}
		}
		return m
	}
	return build(ca), build(us)
}()

// province maps a province/state name or code of country to its 2-letter code.
func province(s, country string) (string, error) {
	f := fold(s)
	switch country {
	case "CA":
		if c, ok := caProvinces[f]; ok {
			return c, nil
		}
		return "", fmt.Errorf("%s is not a Canadian province or territory", s)
	case "US":
		if c, ok := usStates[f]; ok {
			return c, nil
		}
		return "", fmt.Errorf("%s is not a US state", s)
	}
	return "", fmt.Errorf("%s can't be checked without a valid country", s)
}

// countries maps folded country spellings to CA or US.
var countries = map[string]string{
	"ca": "CA", "can": "CA", "canada": "CA",
	"us": "US", "usa": "US", "unitedstates": "US", "unitedstatesofamerica": "US", "etatsunis": "US", "etatsunisdamerique": "US",
}
