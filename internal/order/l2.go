package order

import (
	"fmt"
	"slices"
	"strings"
)

// closedLists maps folded spellings to the exact carrier strings.
var (
	vlanModeByFold  = foldIndex(vlanModes)
	interfaceByFold = foldIndex(deliveryInterfaces)
)

func foldIndex(values []string) map[string]string {
	m := make(map[string]string, len(values))
	for _, v := range values {
		m[fold(v)] = v
	}
	return m
}

// l2 validates one l2 row.
func (v *validator) l2(r *l2Row, c *checker) *Order {
	o := &L2Order{
		ClientName:   text(c, "client_name", r.ClientName, true),
		StreetNumber: trim(r.StreetNumber), StreetExtension: trim(r.StreetExtension), StreetType: trim(r.StreetType),
		StreetName: text(c, "street_name", r.StreetName, true), City: text(c, "city", r.City, true),
		Staircase: trim(r.Staircase), Floor: trim(r.Floor), Apartment: trim(r.Apartment),
		SiteContactName: text(c, "site_contact_name", r.SiteContactName, true), SiteContactHours: trim(r.SiteContactHours),
		PortRef: text(c, "port_ref", r.PortRef, true), Comment: trim(r.Comment), OptionIDs: []int{},
	}
	o.OfferID = requiredID(c, "offer_id", r.OfferID)
	o.GTRContactHO = requiredID(c, "gtr_contact_ho", r.GTRContactHO)
	o.GTRContactHNO = requiredID(c, "gtr_contact_hno", r.GTRContactHNO)
	if s := trim(r.OrderContactID); s != "" {
		o.OrderContactID = requiredID(c, "order_contact_id", s)
	}
	o.OptionIDs = idList(c, "option_ids", r.OptionIDs)
	// The carrier refuses an order without idContacts (at least one): required.
	if required(c, "follow_contact_ids", r.FollowContactIDs) {
		before := len(c.problems)
		o.FollowContactIDs = idList(c, "follow_contact_ids", r.FollowContactIDs)
		if len(o.FollowContactIDs) == 0 && len(c.problems) == before {
			c.fail("follow_contact_ids", "required: at least one Prizz contact id, e.g. 7101;7103")
		}
	} else {
		o.FollowContactIDs = []int{}
	}
	if required(c, "zip_code", r.ZipCode) {
		zip, restored, err := frZip(r.ZipCode)
		if err != nil {
			c.fail("zip_code", err.Error())
		} else if restored {
			c.note("zip_code", fmt.Sprintf("%s lost its leading zero, read as %s", trim(r.ZipCode), zip))
		}
		o.ZipCode = zip
	}
	if o.City != "" {
		v.frAddress(o.ZipCode, o.City, c)
	}
	if s := trim(r.SiteContactPhone); required(c, "site_contact_phone", s) {
		if _, restored, err := e164(s); err != nil {
			c.fail("site_contact_phone", err.Error())
		} else if restored {
			o.SiteContactPhone = "0" + s
			c.note("site_contact_phone", fmt.Sprintf("%s lost its leading zero, read as %s", s, o.SiteContactPhone))
		} else {
			o.SiteContactPhone = s
		}
	}
	if s := trim(r.SiteContactEmail); s != "" {
		e, err := checkEmail(s)
		if err != nil {
			c.fail("site_contact_email", err.Error())
		}
		o.SiteContactEmail = e
	}
	o.SiteVLANMode = closed(c, "site_vlan_mode", r.SiteVLANMode)
	o.PortVLANMode = closed(c, "port_vlan_mode", r.PortVLANMode)
	if s := trim(r.DeliveryInterface); required(c, "delivery_interface", s) {
		if known, ok := interfaceByFold[fold(s)]; ok {
			o.DeliveryInterface = known
		} else {
			o.DeliveryInterface = s
		}
	}
	o.SiteVLAN = vlan(c, "site_vlan", r.SiteVLAN, "site_vlan_mode", o.SiteVLANMode)
	o.PortVLAN = vlan(c, "port_vlan", r.PortVLAN, "port_vlan_mode", o.PortVLANMode)
	v.l2Online(o, c)
	return &Order{L2: o}
}

// requiredID reads a required positive integer id.
func requiredID(c *checker, col, s string) int {
	if !required(c, col, s) {
		return 0
	}
	n, err := parseIntCell(s)
	if err != nil || n <= 0 || n > 1<<31-1 {
		c.fail(col, fmt.Sprintf("%s is not an id (a whole number)", trim(s)))
		return 0
	}
	return int(n)
}

// idList reads a list of integer ids ("41,42", "7101;7103"); never nil.
func idList(c *checker, col, s string) []int {
	ids, bad := parseIntList(s)
	for _, b := range bad {
		c.fail(col, fmt.Sprintf("%s is not an id (a whole number); separate ids with commas", b))
	}
	if ids == nil {
		ids = []int{}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// closed matches a VLAN mode tolerantly and returns the carrier's exact string.
func closed(c *checker, col, s string) string {
	if !required(c, col, s) {
		return ""
	}
	if m, ok := vlanModeByFold[fold(s)]; ok {
		return m
	}
	c.fail(col, fmt.Sprintf("%s is not one of %q, %q, %q", trim(s), VLANModeQinQ, VLANModeTagged, VLANModeUntagged))
	return ""
}

// vlan reads a VLAN id, allowed (and then required) only when that side's
// mode is Flux tagué C-VLAN.
func vlan(c *checker, col, s, modeCol, mode string) int {
	s = trim(s)
	if s == "" {
		if mode == VLANModeTagged {
			c.fail(col, fmt.Sprintf("required when %s is %q (1–4094)", modeCol, VLANModeTagged))
		}
		return 0
	}
	n, err := parseIntCell(s)
	if err != nil {
		c.fail(col, fmt.Sprintf("%s is not a VLAN number (1–4094)", s))
		return 0
	}
	if n < 1 || n > 4094 {
		c.fail(col, fmt.Sprintf("%d is outside 1–4094", n))
		return 0
	}
	if mode != VLANModeTagged && mode != "" {
		c.fail(col, fmt.Sprintf("allowed only when %s is %q", modeCol, VLANModeTagged))
		return 0
	}
	return int(n)
}

// l2Online checks offer, options, contacts and port against the carrier's
// reference data. The options of an offer (CheckL2Options) are checked only
// when the reference data lists them: the carrier's API publishes no such
// list.
func (v *validator) l2Online(o *L2Order, c *checker) {
	ref := v.opts.Reference
	if ref == nil {
		return
	}
	if ref.L2Offers != nil && o.OfferID != 0 {
		allowed, ok := ref.L2Offers[o.OfferID]
		if !ok {
			c.fail("offer_id", fmt.Sprintf("%d is not one of your %s offers", o.OfferID, ref.Carrier[L2]))
		} else if v.enabled(CheckL2Options) {
			for _, opt := range o.OptionIDs {
				if !slices.Contains(allowed, opt) {
					v.flag(c, CheckL2Options, "option_ids", fmt.Sprintf("%d is not an option of offer %d (allowed: %s): choose options of offer_id", opt, o.OfferID, joinInts(allowed)))
				}
			}
		}
	}
	if ref.L2Contacts != nil {
		check := func(col string, ids ...int) {
			for _, id := range ids {
				if id != 0 && !ref.L2Contacts[id] {
					c.fail(col, fmt.Sprintf("%d is not one of your %s operator contacts", id, ref.Carrier[L2]))
				}
			}
		}
		check("gtr_contact_ho", o.GTRContactHO)
		check("gtr_contact_hno", o.GTRContactHNO)
		check("order_contact_id", o.OrderContactID)
		check("follow_contact_ids", o.FollowContactIDs...)
	}
	if ref.L2Ports != nil && o.PortRef != "" && !ref.L2Ports[o.PortRef] {
		known := make([]string, 0, len(ref.L2Ports))
		for p := range ref.L2Ports {
			known = append(known, p)
		}
		slices.Sort(known)
		c.fail("port_ref", fmt.Sprintf("%s is not one of your %s delivery ports (%s)", o.PortRef, ref.Carrier[L2], strings.Join(known, ", ")))
	}
}
