package order

// RefData names one list of carrier reference data that the online checks
// (Options.Reference) and the carrier clients use. Its text reads in a
// message: "could not read Thinktel's telephone offerings".
type RefData string

// The reference data orderdrop reads from the carriers.
const (
	RefFrPrefixes  RefData = "Netwo's portability prefixes"
	RefCaTrunks    RefData = "Thinktel's SIP trunks"
	RefCaOfferings RefData = "Thinktel's telephone offerings"
	RefCaProviders RefData = "Thinktel's losing-carrier list"
	RefL2Contacts  RefData = "Prizz's operator contacts"
	RefL2Ports     RefData = "Prizz's delivery ports"
)

// Needs lists the reference data that o's online checks (or its carrier
// client) use. While one of them cannot be read, o is not sent: it could
// carry a value the carrier refuses, or (Netwo prefix, Thinktel offering)
// cannot be sent at all. Keep it in step with the online checks.
func (o *Order) Needs() []RefData {
	var out []RefData
	switch {
	case o.FrPort != nil:
		if o.FrPort.Prefix != "" || o.FrPort.PrefixServiceID != "" {
			out = append(out, RefFrPrefixes)
		}
	case o.CaPort != nil:
		if o.CaPort.PilotNumber != 0 {
			out = append(out, RefCaTrunks)
		}
		if o.CaPort.OfferingID != "" {
			out = append(out, RefCaOfferings)
		}
		if o.CaPort.Form.CurrentProvider != 0 {
			out = append(out, RefCaProviders)
		}
	case o.L2 != nil:
		l2 := o.L2
		if l2.GTRContactHO != 0 || l2.GTRContactHNO != 0 || l2.OrderContactID != 0 || len(l2.FollowContactIDs) > 0 {
			out = append(out, RefL2Contacts)
		}
		if l2.PortRef != "" {
			out = append(out, RefL2Ports)
		}
	}
	return out
}
