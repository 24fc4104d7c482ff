package order

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var portTimeRE = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[:hH]([0-5][0-9])$`)

// locales maps folded locale spellings to the carrier's locale codes.
var locales = map[string]int64{
	"englishus": 0, "enus": 0, "0": 0,
	"englishca": 2, "enca": 2, "english": 2, "en": 2, "2": 2,
	"frenchca": 5, "frca": 5, "french": 5, "fr": 5, "francais": 5, "5": 5,
}

// caPort validates one ca-port row.
func (v *validator) caPort(r *caRow, c *checker) *Order {
	o := &CaPortOrder{Labels: map[int64]string{}, OfferingID: trim(r.OfferingID)}
	p := &o.Form
	pilot := trim(r.PilotNumber)
	switch {
	case pilot == "" && o.OfferingID == "":
		c.fail("pilot_number", "give pilot_number (existing SIP trunk) or offering_id (new service)")
	case pilot != "" && o.OfferingID != "":
		c.fail("pilot_number", "give pilot_number or offering_id, not both")
	case pilot != "":
		n, err := caNumber(pilot)
		if err != nil {
			c.fail("pilot_number", err.Error())
		}
		o.PilotNumber = n
	}
	defer func() { // once country and province are read
		if o.PilotNumber != 0 {
			v.caNumberChecks(c, "pilot_number", []int64{o.PilotNumber}, "")
		}
		v.caNumberChecks(c, colNumbers, o.Numbers, p.CustomerCountry)
		if p.CustomerCountry == "CA" && v.enabled(CheckCaPostal) {
			if why := caPostalProvinceProblem(p.CustomerPostalCode, p.CustomerProvince); why != "" {
				v.flag(c, CheckCaPostal, "postal_code/province", why)
			}
		}
	}()
	if required(c, colNumbers, r.Numbers) {
		nums, _, problems := expandNumbers(r.Numbers, caParse)
		for _, pr := range problems {
			c.fail(colNumbers, pr)
		}
		o.Numbers = nums
		if label := trim(r.Label); label != "" {
			for _, n := range nums {
				o.Labels[n] = label
			}
		}
		o.TollFree = len(nums) > 0 && isTollFree(nums[0])
	}
	p.CustomerName = text(c, "customer_name", r.CustomerName, true)
	p.CustomerAccountNumber = text(c, "account_number", r.AccountNumber, true)
	p.CustomerStreetNumber = text(c, "street_number", r.StreetNumber, true)
	p.CustomerStreetName = text(c, "street_name", r.StreetName, true)
	p.CustomerUnit = trim(r.Unit)
	p.CustomerCity = text(c, "city", r.City, true)
	if required(c, "country", r.Country) {
		p.CustomerCountry = countries[fold(r.Country)]
		if p.CustomerCountry == "" {
			c.fail("country", fmt.Sprintf("%s is not CA or US", trim(r.Country)))
		}
	}
	if required(c, "province", r.Province) && p.CustomerCountry != "" {
		prov, err := province(r.Province, p.CustomerCountry)
		if err != nil {
			c.fail("province", err.Error())
		}
		p.CustomerProvince = prov
	}
	if required(c, "postal_code", r.PostalCode) && p.CustomerCountry != "" {
		code, restored, err := northAmericanPostal(r.PostalCode, p.CustomerCountry)
		if err != nil {
			c.fail("postal_code", err.Error())
		} else if restored {
			c.note("postal_code", fmt.Sprintf("%s lost its leading zero, read as %s", trim(r.PostalCode), code))
		}
		p.CustomerPostalCode = code
	}
	if required(c, "email", r.Email) {
		e, err := checkEmail(r.Email)
		if err != nil {
			c.fail("email", err.Error())
		}
		p.EmailAddress = e
	}
	v.caProvider(r, p, c)
	if s := trim(r.NumbersToRemain); s != "" {
		nums, _, problems := expandNumbers(s, caParse)
		for _, pr := range problems {
			c.fail("numbers_to_remain", pr)
		}
		p.NumbersToRemain = nums
	}
	if s := trim(r.RequestedPortDate); s != "" {
		t, _, err := parseDateTime(s, paris)
		if err != nil {
			c.fail("requested_port_date", err.Error())
		} else if day := t.Format("2006-01-02"); day <= v.now.Format("2006-01-02") {
			c.fail("requested_port_date", day+" is not in the future")
		} else {
			p.RequestedPortDate = day
			if v.enabled(CheckPortDate) && p.CustomerCountry != "" && (p.CustomerCountry == "US" || p.CustomerProvince != "") {
				if why := portDateProblem(t, p.CustomerCountry, p.CustomerProvince); why != "" {
					v.flag(c, CheckPortDate, "requested_port_date", why)
				}
			}
		}
	}
	if s := trim(r.RequestedPortTime); s != "" {
		p.RequestedPortTime = portTime(c, s)
		if trim(r.RequestedPortDate) == "" {
			c.fail("requested_port_time", "allowed only with requested_port_date")
		}
	}
	p.SubmitterFirstName = trim(r.SubmitterFirstName)
	p.SubmitterLastName = trim(r.SubmitterLastName)
	if s := trim(r.SubmitterPhone); s != "" {
		n, err := nanpNumber(s)
		if err != nil {
			c.fail("submitter_phone", err.Error())
		}
		p.SubmitterPhoneNumber = n
	}
	p.Comments = trim(r.Comments)
	if name := trim(r.LOAFile); name != "" {
		att, err := v.attachment(name)
		if err != nil {
			c.fail("loa_file", err.Error())
		}
		o.LOA = att
	}
	v.caProduct(r, o, c)
	v.caOnline(o, c)
	return &Order{CaPort: o}
}

// text trims a free-text value, failing col when it is required and empty.
func text(c *checker, col, val string, req bool) string {
	if req {
		required(c, col, val)
	}
	return trim(val)
}

// portTime reads requested_port_time: "09:30", "9h30" or an Excel time fraction.
func portTime(c *checker, s string) string {
	if m := portTimeRE.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		return fmt.Sprintf("%02d:%s", h, m[2])
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f < 1 {
		t := fromSerial(f, paris)
		return t.Format("15:04")
	}
	c.fail("requested_port_time", fmt.Sprintf("%s is not a time HH:MM (24 h, Eastern)", s))
	return ""
}

// caProvider reads the losing carrier: current_provider_id or current_reseller, exactly one.
func (v *validator) caProvider(r *caRow, p *PortForm, c *checker) {
	id, reseller := trim(r.CurrentProviderID), trim(r.CurrentReseller)
	switch {
	case id == "" && reseller == "":
		c.fail("current_provider_id", "give current_provider_id or current_reseller (the losing carrier)")
	case id != "" && reseller != "":
		c.fail("current_provider_id", "give current_provider_id or current_reseller, not both")
	case id != "":
		n, err := parseIntCell(id)
		if err != nil || n <= 0 || n > 1<<31-1 {
			c.fail("current_provider_id", fmt.Sprintf("%s is not a provider ID (a whole number)", id))
			return
		}
		p.CurrentProvider = int32(n)
	default:
		p.CurrentReseller = reseller
	}
}

// caProduct reads the product columns of a new service.
func (v *validator) caProduct(r *caRow, o *CaPortOrder, c *checker) {
	o.ParentSubscriptionID = trim(r.ParentSubscriptionID)
	o.BusinessGroupID = trim(r.BusinessGroupID)
	o.BusinessGroupSubscriptionID = trim(r.BusinessGroupSubscriptionID)
	o.PlanID = trim(r.PlanID)
	o.PCFInstructions = trim(r.PCFInstructions)
	if s := trim(r.Account); s != "" {
		n, err := parseIntCell(s)
		if err != nil || n <= 0 {
			c.fail("account", fmt.Sprintf("%s is not a Thinktel account number", s))
		}
		o.Account = n
	}
	if s := trim(r.ForwardingNumber); s != "" {
		n, err := nanpNumber(s)
		if err != nil {
			c.fail("forwarding_number", err.Error())
		}
		o.ForwardingNumber = n
	}
	if s := trim(r.FaxEmail); s != "" {
		e, err := checkEmail(s)
		if err != nil {
			c.fail("fax_email", err.Error())
		}
		o.FaxEmail = e
	}
	if o.OfferingID != "" {
		o.Locale = 2
	}
	if s := trim(r.Locale); s != "" {
		l, ok := locales[fold(s)]
		if !ok {
			c.fail("locale", fmt.Sprintf("%s is not a locale; use EnglishCA, EnglishUS or FrenchCA", s))
		}
		o.Locale = l
	}
	if o.OfferingID == "" {
		for col, val := range map[string]string{"parent_subscription_id": o.ParentSubscriptionID, "business_group_id": o.BusinessGroupID,
			"business_group_subscription_id": o.BusinessGroupSubscriptionID, "plan_id": o.PlanID, "account": trim(r.Account),
			"forwarding_number": trim(r.ForwardingNumber), "pcf_instructions": o.PCFInstructions, "fax_email": o.FaxEmail} {
			if val != "" {
				c.fail(col, "applies only to a new service (offering_id); this row ports onto pilot_number")
			}
		}
	}
}

// offeringNeeds lists the product columns each offering type requires.
var offeringNeeds = map[int][]string{
	2: {"parent_subscription_id"},
	3: {"plan_id", "account"},
	4: {"business_group_id", "plan_id", "account"},
	5: {"plan_id", "account", "forwarding_number", "pcf_instructions"}, // PCFProvisioningInstructions is required by the swagger
	6: {"business_group_subscription_id", "forwarding_number"},
	7: {"fax_email"},
}

// caOnline checks pilot, offering and provider against the carrier's reference data.
func (v *validator) caOnline(o *CaPortOrder, c *checker) {
	ref := v.opts.Reference
	if ref == nil {
		return
	}
	if o.PilotNumber != 0 && ref.CaTrunks != nil && !ref.CaTrunks[o.PilotNumber] {
		c.fail("pilot_number", fmt.Sprintf("%d is not one of your %s SIP trunks", o.PilotNumber, ref.Carrier[CaPort]))
	}
	if o.Form.CurrentProvider != 0 && ref.CaProviders != nil {
		if _, ok := ref.CaProviders[o.Form.CurrentProvider]; !ok {
			c.fail("current_provider_id", fmt.Sprintf("%d is not a %s provider ID", o.Form.CurrentProvider, ref.Carrier[CaPort]))
		}
	}
	if o.OfferingID == "" || ref.CaOfferings == nil {
		return
	}
	typ, ok := ref.CaOfferings[o.OfferingID]
	if !ok {
		c.fail("offering_id", fmt.Sprintf("%s is not one of the %s telephone offerings", o.OfferingID, ref.Carrier[CaPort]))
		return
	}
	o.OfferingType = typ
	have := map[string]bool{
		"parent_subscription_id": o.ParentSubscriptionID != "", "plan_id": o.PlanID != "", "account": o.Account != 0,
		"business_group_id": o.BusinessGroupID != "", "forwarding_number": o.ForwardingNumber != 0,
		"business_group_subscription_id": o.BusinessGroupSubscriptionID != "", "fax_email": o.FaxEmail != "",
	}
	for _, col := range offeringNeeds[typ] {
		if !have[col] {
			c.fail(col, fmt.Sprintf("required for offering %s (type %d)", o.OfferingID, typ))
		}
	}
	if o.TollFree && typ != 5 {
		c.fail(colNumbers, fmt.Sprintf("toll-free numbers can only be ported onto a permanent call forward (type 5), not offering %s (type %d)", o.OfferingID, typ))
	}
}

// mergeCa joins the numbers and labels of a group's rows and refuses a
// request mixing toll-free and regular numbers.
func (v *validator) mergeCa(o *Order, parts []*Order) []Problem {
	c := o.CaPort
	seen := make(map[int64]bool)
	var all []int64
	for _, p := range parts {
		for _, n := range p.CaPort.Numbers {
			if !seen[n] {
				seen[n] = true
				all = append(all, n)
			}
		}
		for n, l := range p.CaPort.Labels {
			c.Labels[n] = l
		}
	}
	slices.Sort(all)
	c.Numbers = all
	var free, regular []string
	for _, n := range all {
		if isTollFree(n) {
			free = append(free, strconv.FormatInt(n, 10))
		} else {
			regular = append(regular, strconv.FormatInt(n, 10))
		}
	}
	if len(free) > 0 && len(regular) > 0 {
		where := "this row"
		if o.Ref != "" {
			where = "order_ref " + o.Ref
		}
		return []Problem{{Column: colNumbers, Why: fmt.Sprintf("toll-free (%s) and regular (%s) numbers can't share one request (%s); put them in separate orders",
			strings.Join(free, ", "), strings.Join(regular, ", "), where)}}
	}
	c.TollFree = len(free) > 0
	return nil
}
