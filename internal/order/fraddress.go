package order

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/frdata"
)

// frAddress checks a French address (fr-port customer, l2 site): the
// postcode exists and the city is one of its communes or delivery labels,
// compared leniently (frdata.Key: case, accents, hyphens, apostrophes, St
// for Saint, arrondissements), former names of merged communes included.
// A CEDEX address is in no open list: only its department is checked.
// zip is a valid 5-digit postcode or "".
func (v *validator) frAddress(zip, city string, c *checker) {
	city = trim(city)
	if zip == "" || city == "" || !v.enabled(CheckFrAddress) {
		return
	}
	key, cedex := frdata.Key(city)
	p := frdata.LoadPostcodes()
	if cedex {
		if !p.HasDepartment(frdata.Department(zip)) {
			v.flag(c, CheckFrAddress, "zip_code", fmt.Sprintf("%s is in no French department: check the postcode", zip))
		}
		return
	}
	names := p.Names(zip)
	if len(names) == 0 {
		v.flag(c, CheckFrAddress, "zip_code", fmt.Sprintf("%s is not a French postcode: check it (a CEDEX address writes CEDEX after the city)", zip))
		return
	}
	if cityFits(names, key) {
		return
	}
	why := fmt.Sprintf("%s is %s, not %s", zip, communes(names), display.Line(city))
	if codes := currentCodes(p, key); len(codes) > 0 {
		why += fmt.Sprintf(" (%s's %s)", display.Line(city), postcodeList(codes))
	}
	v.flag(c, CheckFrAddress, "zip_code/city", why)
}

// currentCodes returns the postcodes with a current name (commune or
// delivery label) of key, else those with a former one.
func currentCodes(p *frdata.Postcodes, key string) []string {
	if key == "" {
		return nil
	}
	all := p.Codes(key)
	var cur []string
	for _, code := range all {
		for _, n := range p.Names(code) {
			if n.Key == key && n.Kind != frdata.Former {
				cur = append(cur, code)
				break
			}
		}
	}
	if len(cur) == 0 {
		return all
	}
	return cur
}

// cityFits reports whether key is one of names: equal, an arrondissement's
// city written without its number (PARIS for PARIS16), or the start of a
// longer name the older list cut short.
func cityFits(names []frdata.Name, key string) bool {
	for _, n := range names {
		switch {
		case n.Key == key:
			return true
		case strings.HasPrefix(n.Key, key) && key != "" && isDigits(n.Key[len(key):]):
			return true
		case n.Kind == frdata.Former && len(n.Name) >= 24 && len(key) > len(n.Key) && strings.HasPrefix(key, n.Key):
			return true
		}
	}
	return false
}

var arrondissementRE = regexp.MustCompile(`(?i)\s+[0-9]+(er|e)\s+arrondissement$`)

// communes names a postcode's current communes for a message: "Paris",
// "Ajaccio or Lecci", "A, B, C or 4 others".
func communes(names []frdata.Name) string {
	var out []string
	for _, n := range names {
		if n.Kind != frdata.Commune {
			continue
		}
		if s := arrondissementRE.ReplaceAllString(n.Name, ""); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		out = []string{names[0].Name}
	}
	switch {
	case len(out) == 1:
		return out[0]
	case len(out) <= 3:
		return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
	}
	return strings.Join(out[:3], ", ") + " or " + strconv.Itoa(len(out)-3) + " others"
}

// postcodeList writes sorted postcodes with runs as ranges: "postcodes are
// 69001–69009", "postcode is 74000".
func postcodeList(codes []string) string {
	if len(codes) == 1 {
		return "postcode is " + codes[0]
	}
	var parts []string
	for i := 0; i < len(codes); {
		j := i
		for j+1 < len(codes) && next(codes[j], codes[j+1]) {
			j++
		}
		if j > i {
			parts = append(parts, codes[i]+"–"+codes[j])
		} else {
			parts = append(parts, codes[i])
		}
		i = j + 1
	}
	if len(parts) > 4 {
		parts = append(parts[:4], "…")
	}
	return "postcodes are " + strings.Join(parts, ", ")
}

// next reports whether b is the postcode after a.
func next(a, b string) bool {
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	return err1 == nil && err2 == nil && y == x+1
}
