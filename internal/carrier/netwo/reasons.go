package netwo

import (
	"regexp"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// re is a case-insensitive pattern of the catalogue.
func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

// reasons is Netwo's catalogue: the attributes of its portability line
// named by the fr-port columns, and the errors whose pattern is known, each
// with what to change.
var reasons = carrier.NewCatalogue(map[string]string{
	"company_number": "siret", "rio_or_did.did": "numbers", "rio_or_did.rio": "rio", "rio_or_did": "rio/numbers",
	"prefix_service_id": "prefix", "routing": "routing",
},
	carrier.Reason{Match: re(`\bRIO\b.*(invalid|incorrect|does not match|ne correspond|erron)|(invalid|incorrect) RIO`),
		Hint: "the RIO does not match the number at the losing operator: the customer gets the right one by calling 3179 from the line; correct rio and drop the row again (the to-fix file holds it)"},
	carrier.Reason{Match: re(`not portable|non portable|portabilit[ée] impossible`),
		Hint: "the number can't be ported (not allocated to the customer, or under a pending change): check it with the customer's operator before sending it again"},
	carrier.Reason{Match: re(`company_number|siret`),
		Hint: "siret must be the 14-digit SIRET of the customer's establishment: correct it and drop the row again (the to-fix file holds it)"},
	carrier.Reason{Match: re(`wanted_date|date`),
		Hint: "the wanted date can't be met: choose a later working day in wanted_date and send the row again"},
	carrier.Reason{Match: re(`prefix_service|prefix`),
		Hint: "the portability prefix is not hosted on this Netwo account: give a prefix of the account (orderdrop validate --online lists them)"},
	carrier.Reason{Match: re(`already been ordered|already ordered|duplicate`),
		Hint: "Netwo already has this order: check it in the Netwo back office before sending anything again"},
)
