package order

// RefData names one list of carrier reference data that the online checks
// (Options.Reference, the field of the same name) and the carrier clients
// use. The carrier that reads it gives its label for messages and says
// which orders need it (carrier.Registration.References and Needs).
type RefData string

// The reference data orderdrop reads from the carriers.
const (
	RefFrPrefixes  RefData = "FrPrefixes"
	RefCaTrunks    RefData = "CaTrunks"
	RefCaOfferings RefData = "CaOfferings"
	RefCaProviders RefData = "CaProviders"
	RefL2Contacts  RefData = "L2Contacts"
	RefL2Ports     RefData = "L2Ports"
)
