package order

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// finalise gives a merged order its Key and Fingerprint.
func (v *validator) finalise(o *Order) {
	fields := orderFields(o)
	o.Fingerprint = fingerprint(fieldNames(o.Kind, fields), fields)
	o.Key = orderKey(o)
}

// orderKey is the idempotency key: kind + order_ref, or kind + the order's
// business identity.
func orderKey(o *Order) string {
	k := string(o.Kind) + "/"
	if o.Ref != "" {
		return k + "ref:" + o.Ref
	}
	switch o.Kind {
	case FrPort:
		return k + "idn:" + o.FrPort.IDN
	case CaPort:
		return k + "numbers:" + joinInts(o.CaPort.Numbers)
	case L2:
		l := o.L2
		addr := foldWords(strings.Join([]string{l.StreetNumber, l.StreetExtension, l.StreetType, l.StreetName, l.ZipCode, l.City}, " "))
		return k + "site:" + addr + "|offer:" + strconv.Itoa(l.OfferID) + "|port:" + l.PortRef
	}
	return k
}

// Fingerprint is the hex sha256 of fields as sorted "name=value\n" lines.
func Fingerprint(fields map[string]string) string {
	return fingerprint(sortedNames(fields), fields)
}

func sortedNames(fields map[string]string) []string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// kindNames caches each kind's field names, sorted: orderFields gives
// every order of a kind the same names, so they are sorted once, not per
// order (the sort was a tenth of validating a row).
var kindNames sync.Map // Kind → []string

// fieldNames returns the sorted names of fields, an order of kind k's.
func fieldNames(k Kind, fields map[string]string) []string {
	if v, ok := kindNames.Load(k); ok {
		if names := v.([]string); len(names) == len(fields) {
			return names
		}
		return sortedNames(fields) // never: the names of a kind are fixed
	}
	names := sortedNames(fields)
	kindNames.Store(k, names)
	return names
}

// Normalised lists the order's non-empty normalised fields as they would
// be sent, "name=value" sorted by name and joined by ", ".
func (o *Order) Normalised() string {
	fields := orderFields(o)
	var b strings.Builder
	for _, k := range fieldNames(o.Kind, fields) {
		v := fields[k]
		if v == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(v)
	}
	return b.String()
}

// fingerprint is Fingerprint with fields' names sorted already.
func fingerprint(names []string, fields map[string]string) string {
	// The bytes hashed are "name=value\n" per field, as they always were:
	// ledgers keep these fingerprints.
	size := 0
	for _, k := range names {
		size += len(k) + len(fields[k]) + 2
	}
	b := make([]byte, 0, size)
	for _, k := range names {
		b = append(b, k...)
		b = append(b, '=')
		b = append(b, fields[k]...)
		b = append(b, '\n')
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Diff returns the sorted names of the fields whose values differ between a
// and b (a field missing on one side counts as different).
func Diff(a, b map[string]string) []string {
	var out []string
	for k, va := range a {
		if vb, ok := b[k]; !ok || va != vb {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// fields flattens an order's normalised request fields, named after columns.
func orderFields(o *Order) map[string]string {
	switch o.Kind {
	case FrPort:
		f := o.FrPort
		return map[string]string{
			"idn": f.IDN, colNumbers: strings.Join(f.DIDs, ","), "rio": f.RIO,
			"wanted_date": f.WantedDate.UTC().Format(time.RFC3339), "routing": f.Routing,
			"prefix": f.Prefix, "prefix_service_id": f.PrefixServiceID,
			"customer_name": f.CustomerName, "siret": f.CompanyNumber, "street": f.Street,
			"zip_code": f.ZipCode, "city": f.City, "contact_name": f.ContactName,
			"contact_email": f.ContactEmail, "contact_phone": f.ContactPhone,
		}
	case CaPort:
		c := o.CaPort
		p := c.Form
		m := map[string]string{
			"pilot_number": fmtInt(c.PilotNumber), "offering_id": c.OfferingID, colNumbers: joinInts(c.Numbers),
			"toll_free": strconv.FormatBool(c.TollFree), "labels": joinLabels(c.Labels),
			"customer_name": p.CustomerName, "account_number": p.CustomerAccountNumber,
			"street_number": p.CustomerStreetNumber, "street_name": p.CustomerStreetName, "unit": p.CustomerUnit,
			"city": p.CustomerCity, "province": p.CustomerProvince, "postal_code": p.CustomerPostalCode,
			"country": p.CustomerCountry, "email": p.EmailAddress, "current_provider_id": fmtInt(int64(p.CurrentProvider)),
			"current_reseller": p.CurrentReseller, "numbers_to_remain": joinInts(p.NumbersToRemain),
			"requested_port_date": p.RequestedPortDate, "requested_port_time": p.RequestedPortTime,
			"submitter_first_name": p.SubmitterFirstName, "submitter_last_name": p.SubmitterLastName,
			"submitter_phone": fmtInt(p.SubmitterPhoneNumber), "comments": p.Comments,
			"parent_subscription_id": c.ParentSubscriptionID, "business_group_id": c.BusinessGroupID,
			"business_group_subscription_id": c.BusinessGroupSubscriptionID, "plan_id": c.PlanID,
			"account": fmtInt(c.Account), "locale": fmtInt(c.Locale), "forwarding_number": fmtInt(c.ForwardingNumber),
			"pcf_instructions": c.PCFInstructions, "fax_email": c.FaxEmail, "loa_file": "",
		}
		if c.LOA != nil {
			sum := sha256.Sum256(c.LOA.Content)
			m["loa_file"] = c.LOA.FileName + " sha256:" + hex.EncodeToString(sum[:])
		}
		return m
	case L2:
		l := o.L2
		return map[string]string{
			"client_name": l.ClientName, "offer_id": strconv.Itoa(l.OfferID), "option_ids": joinInts(l.OptionIDs),
			"gtr_contact_ho": strconv.Itoa(l.GTRContactHO), "gtr_contact_hno": strconv.Itoa(l.GTRContactHNO),
			"street_number": l.StreetNumber, "street_extension": l.StreetExtension, "street_type": l.StreetType,
			"street_name": l.StreetName, "zip_code": l.ZipCode, "city": l.City, "staircase": l.Staircase,
			"floor": l.Floor, "apartment": l.Apartment, "site_contact_name": l.SiteContactName,
			"site_contact_phone": l.SiteContactPhone, "site_contact_email": l.SiteContactEmail,
			"site_contact_hours": l.SiteContactHours, "order_contact_id": fmtInt(int64(l.OrderContactID)),
			"follow_contact_ids": joinInts(l.FollowContactIDs), "port_ref": l.PortRef,
			"site_vlan_mode": l.SiteVLANMode, "port_vlan_mode": l.PortVLANMode,
			"delivery_interface": l.DeliveryInterface, "site_vlan": fmtInt(int64(l.SiteVLAN)),
			"port_vlan": fmtInt(int64(l.PortVLAN)), "comment": l.Comment,
		}
	}
	return map[string]string{}
}

// fmtInt formats n, or "" for 0 (not given).
func fmtInt(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

func joinInts[T int | int64](ns []T) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.FormatInt(int64(n), 10)
	}
	return strings.Join(s, ",")
}

func joinLabels(m map[int64]string) string {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	s := make([]string, len(keys))
	for i, k := range keys {
		s[i] = strconv.FormatInt(k, 10) + "=" + m[k]
	}
	return strings.Join(s, ",")
}

func trim(s string) string { return strings.TrimSpace(s) }
