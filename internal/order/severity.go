package order

import (
	"fmt"
	"slices"
)

// Severity is what a failed domain check does to its row.
type Severity string

// The severities of a domain check (validation.checks.NAME).
const (
	// SeverityError makes the row invalid: nothing is sent.
	SeverityError Severity = "error"
	// SeverityWarning keeps the row valid and sent, with the warning in
	// its message (RowResult.Warnings).
	SeverityWarning Severity = "warning"
	// SeverityOff skips the check.
	SeverityOff Severity = "off"
)

// Check names a domain check whose severity can be set with
// validation.checks.NAME. Checks of form (a missing column, a date that is
// not a date) are always errors and have no name.
type Check string

// The domain checks, each with its default severity in checkDefaults.
const (
	CheckRIO           Check = "rio"             // fr-port: the RIO's format and check key (ARCEP)
	CheckFrAddress     Check = "fr_address"      // fr-port, l2: the postcode exists and the city is one of its communes
	CheckFrNumberBlock Check = "fr_number_block" // fr-port: every number is in a block ARCEP allocated
	CheckCaPostal      Check = "ca_postal"       // ca-port: a Canadian postal code fits its province, a ZIP code goes with US
	CheckNANPA         Check = "nanp_area_code"  // ca-port: each number's area code (NPA) is a valid one
	CheckNumberRegion  Check = "number_region"   // ca-port: each number belongs to the row's country
	CheckPortDate      Check = "port_date"       // ca-port: requested_port_date is a working day (weekends, statutory holidays)
	CheckL2Options     Check = "l2_options"      // l2: option_ids belong to offer_id, when the carrier says which
)

// checkDefaults is each check's severity when the configuration names none.
var checkDefaults = map[Check]Severity{
	CheckRIO:           SeverityError,
	CheckFrAddress:     SeverityError,
	CheckFrNumberBlock: SeverityWarning,
	CheckCaPostal:      SeverityError,
	CheckNANPA:         SeverityError,
	CheckNumberRegion:  SeverityWarning,
	CheckPortDate:      SeverityError,
	CheckL2Options:     SeverityError,
}

// Checks returns every named domain check with its default severity,
// sorted by name (for configuration checks and documentation).
func Checks() []Check {
	out := make([]Check, 0, len(checkDefaults))
	for c := range checkDefaults {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// DefaultSeverity is c's severity when the configuration names none.
func DefaultSeverity(c Check) Severity { return checkDefaults[c] }

// ParseSeverity reads a configured severity.
func ParseSeverity(s string) (Severity, error) {
	switch v := Severity(s); v {
	case SeverityError, SeverityWarning, SeverityOff:
		return v, nil
	}
	return "", fmt.Errorf("%q is not a severity: use error, warning or off", s)
}

// severity is c's severity under opts: Options.Checks when it names c,
// else the default.
func (o Options) severity(c Check) Severity {
	if s, ok := o.Checks[c]; ok && s != "" {
		return s
	}
	return checkDefaults[c]
}

// flag records that check c found why on col, as c's severity says: a
// problem (the row is invalid), a warning (the row is still sent) or
// nothing.
func (v *validator) flag(chk *checker, c Check, col, why string) {
	switch v.opts.severity(c) {
	case SeverityError:
		chk.fail(col, why)
	case SeverityWarning:
		chk.warn(col, why)
	}
}

// enabled reports whether check c is to be made at all (its data may be
// costly to consult).
func (v *validator) enabled(c Check) bool { return v.opts.severity(c) != SeverityOff }
