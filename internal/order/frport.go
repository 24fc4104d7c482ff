package order

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// required fails col when val is empty and reports whether it is set.
func required(c *checker, col, val string) bool {
	if strings.TrimSpace(val) == "" {
		c.fail(col, "required")
		return false
	}
	return true
}

// frPort validates one fr-port row.
func (v *validator) frPort(r *frRow, c *checker) *Order {
	o := &FrPortOrder{
		CustomerName: trim(r.CustomerName), Street: trim(r.Street), City: trim(r.City),
		ContactName: trim(r.ContactName), PrefixServiceID: trim(r.PrefixServiceID),
	}
	if required(c, "idn", r.IDN) {
		idn, restored, err := frNumber(trim(r.IDN))
		switch {
		case err != nil:
			c.fail("idn", err.Error())
		default:
			o.IDN = idn
			if restored {
				c.note("idn", fmt.Sprintf("%s lost its leading zero, read as %s", trim(r.IDN), idn))
			}
		}
	}
	if required(c, colNumbers, r.Numbers) {
		dids, fixed, problems := expandNumbers(r.Numbers, frParse)
		for _, p := range problems {
			c.fail(colNumbers, p)
		}
		for _, f := range fixed {
			c.note(colNumbers, f)
		}
		o.DIDs = dids
	}
	v.frNumberBlocks(o.IDN, o.DIDs, c)
	o.RIO = v.frRIO(r.RIO, o.IDN, o.DIDs, c)
	v.frWantedDate(r.WantedDate, o, c)
	if required(c, "routing", r.Routing) {
		switch fold(r.Routing) {
		case "prefix", "prefixe":
			o.Routing = "prefix"
		case "siptrunk", "trunksip", "trunk":
			o.Routing = "sip_trunk"
		default:
			c.fail("routing", fmt.Sprintf("%s is not a routing; use prefix or sip_trunk", trim(r.Routing)))
		}
	}
	v.frPrefix(r, o, c)
	required(c, "customer_name", r.CustomerName)
	if required(c, "siret", r.SIRET) {
		siret, err := checkSIRET(trim(r.SIRET))
		if err != nil {
			c.fail("siret", err.Error())
		}
		o.CompanyNumber = siret
	}
	required(c, "street", r.Street)
	if required(c, "zip_code", r.ZipCode) {
		zip, restored, err := frZip(r.ZipCode)
		if err != nil {
			c.fail("zip_code", err.Error())
		} else if restored {
			c.note("zip_code", fmt.Sprintf("%s lost its leading zero, read as %s", trim(r.ZipCode), zip))
		}
		o.ZipCode = zip
	}
	if required(c, "city", r.City) {
		v.frAddress(o.ZipCode, r.City, c)
	}
	required(c, "contact_name", r.ContactName)
	if required(c, "contact_email", r.ContactEmail) {
		email, err := checkEmail(r.ContactEmail)
		if err != nil {
			c.fail("contact_email", err.Error())
		}
		o.ContactEmail = email
	}
	if required(c, "contact_phone", r.ContactPhone) {
		phone, restored, err := e164(trim(r.ContactPhone))
		if err != nil {
			c.fail("contact_phone", err.Error())
		} else if restored {
			c.note("contact_phone", fmt.Sprintf("%s lost its leading zero, read as %s", trim(r.ContactPhone), phone))
		}
		o.ContactPhone = phone
	}
	return &Order{FrPort: o}
}

// frWantedDate reads wanted_date as Paris time and checks the window.
func (v *validator) frWantedDate(s string, o *FrPortOrder, c *checker) {
	if !required(c, "wanted_date", s) {
		return
	}
	t, hasTime, err := parseDateTime(s, paris)
	if err != nil {
		c.fail("wanted_date", err.Error())
		return
	}
	if !hasTime {
		c.fail("wanted_date", fmt.Sprintf("%s has no time; give the port time too (Paris, %s)", t.Format("2006-01-02"), v.win.label))
		return
	}
	if v.winErr != nil {
		c.fail("wanted_date", "the configured porting window is invalid: "+v.winErr.Error())
		return
	}
	for _, p := range v.win.check(t, v.now) {
		c.fail("wanted_date", p)
	}
	o.WantedDate = t
}

// frPrefix reads prefix / prefix_service_id (the carrier needs one of them for
// every port) and checks them against the reference data when online.
func (v *validator) frPrefix(r *frRow, o *FrPortOrder, c *checker) {
	raw := trim(r.Prefix)
	if raw != "" {
		switch {
		case isDigits(raw) && len(raw) == 6:
			o.Prefix = raw
		case isDigits(raw) && len(raw) < 6:
			o.Prefix = strings.Repeat("0", 6-len(raw)) + raw
			c.note("prefix", fmt.Sprintf("%s lost its leading zero, read as %s", raw, o.Prefix))
		default:
			c.fail("prefix", fmt.Sprintf("%s is not a 6-digit prefix code", raw))
		}
	}
	if o.Prefix == "" && o.PrefixServiceID == "" && raw == "" {
		why := "required: give prefix (6 digits) or prefix_service_id"
		if o.Routing == "prefix" {
			why = "required when routing is prefix: give prefix (6 digits) or prefix_service_id"
		}
		c.fail("prefix", why)
		return
	}
	ref := v.opts.Reference
	if ref == nil || ref.FrPrefixes == nil {
		return
	}
	if o.Prefix != "" {
		id, ok := ref.FrPrefixes[o.Prefix]
		if !ok {
			known := slices.Sorted(maps.Keys(ref.FrPrefixes))
			c.fail("prefix", fmt.Sprintf("%s is not one of your %s portability prefixes (%s)", o.Prefix, ref.Carrier[FrPort], strings.Join(known, ", ")))
			return
		}
		if o.PrefixServiceID != "" && o.PrefixServiceID != id {
			c.fail("prefix_service_id", fmt.Sprintf("%s is not the service of prefix %s (%s)", o.PrefixServiceID, o.Prefix, id))
			return
		}
		o.PrefixServiceID = id
		return
	}
	for _, id := range ref.FrPrefixes {
		if id == o.PrefixServiceID {
			return
		}
	}
	c.fail("prefix_service_id", fmt.Sprintf("%s is not one of your %s prefix services", o.PrefixServiceID, ref.Carrier[FrPort]))
}
