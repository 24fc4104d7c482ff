package carrier

// Finding is what the lookups of a carrier found of an order whose request
// may or may not have reached it (an order in doubt).
type Finding struct {
	// Found: the carrier has the order; Reference is its reference.
	Found     bool
	Reference string
	// Unsure: something was found that may be the order but cannot settle
	// it (no reference yet, or other numbers). Such an order is never
	// released automatically: an operator decides.
	Unsure bool
	// Checked says, for the operator, what was looked up and what each
	// lookup answered ("port-in status of 4165550177: not found; …").
	Checked string
}
