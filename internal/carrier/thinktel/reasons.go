package thinktel

import (
	"regexp"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// re is a case-insensitive pattern of the catalogue.
func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

// reasons is Thinktel's catalogue: its PortForm fields named by the ca-port
// columns, and the common causes of a Canadian port-in rejection (the
// losing carrier's RJCT CODE and REMARKS, or Thinktel's reply Message), each
// with what to change. The losing carrier checks the request against its
// own records: the name, billing address and account number on its bill.
var reasons = carrier.NewCatalogue(map[string]string{
	"PortForm.CustomerName": "customer_name", "CustomerName": "customer_name",
	"PortForm.CustomerAccountNumber": "account_number", "CustomerAccountNumber": "account_number",
	"PortForm.CustomerStreetNumber": "street_number", "CustomerStreetNumber": "street_number",
	"PortForm.CustomerStreetName": "street_name", "CustomerStreetName": "street_name",
	"PortForm.CustomerUnit": "unit", "CustomerUnit": "unit",
	"PortForm.CustomerCity": "city", "CustomerCity": "city",
	"PortForm.CustomerProvince": "province", "CustomerProvince": "province",
	"PortForm.CustomerPostalCode": "postal_code", "CustomerPostalCode": "postal_code",
	"PortForm.CustomerCountry": "country", "CustomerCountry": "country",
	"PortForm.EmailAddress": "email", "EmailAddress": "email",
	"PortForm.CurrentProvider": "current_provider_id", "CurrentProvider": "current_provider_id",
	"PortForm.CurrentReseller": "current_reseller", "CurrentReseller": "current_reseller",
	"PortForm.NumbersToPort": "numbers", "NumbersToPort": "numbers",
	"PortForm.NumbersToRemain": "numbers_to_remain", "NumbersToRemain": "numbers_to_remain",
	"PortForm.RequestedPortDate": "requested_port_date", "RequestedPortDate": "requested_port_date",
	"PortForm.RequestedPortTime": "requested_port_time", "RequestedPortTime": "requested_port_time",
	"PortForm.SubmitterPhoneNumber": "submitter_phone", "SubmitterPhoneNumber": "submitter_phone",
	"PortForm.FileLetterOfAuthorization": "loa_file", "FileLetterOfAuthorization": "loa_file",
	"PilotNumber": "pilot_number", "OfferingID": "offering_id", "ParentSubscriptionID": "parent_subscription_id",
	"FaxEmail": "fax_email", "ForwardingInstructions": "forwarding_number",
},
	carrier.Reason{Match: re(`service address|not (the )?billing address`),
		Hint: "the losing carrier wants the billing address on its bill, not the address where the line is installed: correct street_number, street_name, city, postal_code and drop the row again (the to-fix file holds it)"},
	carrier.Reason{Match: re(`name mismatch|name (does not|doesn't) match|FLD ABBR (NAME|EU ?NAME)|end ?user name`),
		Hint: "customer_name must be written exactly as on the losing carrier's bill (legal name, same spelling): correct it and drop the row again (the to-fix file holds it)"},
	carrier.Reason{Match: re(`account (number )?(mismatch|invalid|could not be validated|not found|does not match)|FLD ABBR (AN|ACCT|ACNA)`),
		Hint: "account_number must be the customer's account number at the losing carrier, as on its latest bill: ask the customer for the bill, correct it and drop the row again (the to-fix file holds it)"},
	carrier.Reason{Match: re(`address mismatch|address (does not|doesn't) match|FLD ABBR (SA|ADDR|SASN|SAPR)`),
		Hint: "the address must match the losing carrier's records (the billing address on its bill): correct street_number, street_name, unit, city, postal_code and drop the row again (the to-fix file holds it)"},
	carrier.Reason{Match: re(`\bBTN\b|billing (tele)?(phone )?number|main number|pilot number.*(remain|porting)`),
		Hint: "the account's billing number (BTN) would leave without a new one: port every number of the account, or name in numbers_to_remain the numbers that stay and which becomes the new billing number"},
	carrier.Reason{Match: re(`pending disconnect|disconnect(ion)? pending|pending (order|change)|disconnected`),
		Hint: "the line has a disconnect or another order pending at the losing carrier: ask the customer to cancel it with the losing carrier, then send the row again"},
	carrier.Reason{Match: re(`\bLOA\b|letter of authori[sz]ation|not authori[sz]ed|authori[sz]ed (person|signer|signature)|signature`),
		Hint: "the letter of authorisation is missing, unsigned or not signed by someone the losing carrier knows on the account: put a signed LOA PDF in the inbox, name it in loa_file and send the row again"},
	carrier.Reason{Match: re(`not portable|non.?portable|rate cent(er|re)|not (in|supported in) (the )?(serving|coverage)`),
		Hint: "Thinktel can't take this number (its rate centre is not served): check the number with Thinktel before sending it again"},
	carrier.Reason{Match: re(`due date|port date|requested date|too soon|lead time`),
		Hint: "the requested port date can't be met: choose a later working day in requested_port_date and send the row again"},
)
