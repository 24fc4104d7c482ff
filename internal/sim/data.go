package sim

// referenceData is the carrier data the sandbox serves and validates
// against. It holds everything in the public fixtures' reference_data
// (shared/fixtures/expectations.json beside the repository) plus a few extra entries, so the
// fixtures' valid rows are accepted and clients must page / look up.
type referenceData struct {
	netwoServices []netwoService

	prizzOffers   map[int][]int // idOffre → its idOption values
	prizzContacts []prizzContact
	prizzPorts    []prizzPort

	thinktelTrunks    []thinktelTrunk
	thinktelOfferings []thinktelOffering
	thinktelProviders []thinktelProvider
}

func newReferenceData() referenceData {
	return referenceData{
		netwoServices: []netwoService{
			netwoPrefix("3f0c8a52-6d1e-4b7a-9c21-5e8f0a010203", "S-PF01-0203", "010203", "S-TK01-0001"),
			netwoPrefix("7a4e1b93-2c5d-4f80-8e6b-1d2c3a040506", "S-PF04-0506", "040506", "S-TK04-0002"),
			netwoPrefix("b25d7e10-93a4-4c1f-a0d8-6f7e8b070809", "S-PF07-0809", "070809", "S-TK07-0003"),
			netwoPrefix("c81f2a64-5b3e-4d92-b7c0-2a3b4c011121", "S-PF11-1121", "011121", "S-TK11-0004"),
			netwoPrefix("d4e6f8a0-1b2c-4d3e-8f40-5a6b7c031323", "S-PF31-1323", "031323", "S-TK31-0005"),
			netwoPrefix("e9a1c3b5-7d8e-4f01-9a23-4b5c6d051525", "S-PF51-1525", "051525", "S-TK51-0006"),
			netwoPrefix("f0b2d4c6-8e9f-4a12-8b34-5c6d7e061626", "S-PF61-1626", "061626", "S-TK61-0007"),
		},
		prizzOffers: map[int][]int{
			2201: {41, 42, 43},
			2202: {51},
			2203: {61, 62},
		},
		prizzContacts: []prizzContact{
			{IDContact: 7101, Nom: "Martin", Prenom: "Claire", Civilite: 2, Actif: true, Mail: "claire.martin@orderdrop.example", NumTel1: "0536490701", Fonction: "Responsable NOC"},
			{IDContact: 7102, Nom: "Durand", Prenom: "Paul", Civilite: 1, Actif: true, Mail: "astreinte@orderdrop.example", NumTel1: "0536490702", NumTel2: "0673480702", Fonction: "Astreinte HNO"},
			{IDContact: 7103, Nom: "Lefebvre", Prenom: "Sophie", Civilite: 2, Actif: true, Mail: "adv@orderdrop.example", NumTel1: "0536490703", Fonction: "ADV"},
			{IDContact: 7104, Nom: "Bernard", Prenom: "Hugo", Civilite: 1, Actif: true, Mail: "hugo.bernard@orderdrop.example", NumTel1: "0536490704", Fonction: "Chef de projet"},
			{IDContact: 7105, Nom: "Petit", Prenom: "Nora", Civilite: 2, Actif: true, Mail: "nora.petit@orderdrop.example", NumTel1: "0536490705", Fonction: "Technicienne"},
		},
		prizzPorts: []prizzPort{
			{Code: "PZ-BDX-ATL1-03", Lib: "Porte Bordeaux Atlantique 1 n°3", Site: "Bordeaux ATL1", BandwidthMb: 10000, IsDefault: true},
			{Code: "PZ-NTE-DC2-01", Lib: "Porte Nantes DC2 n°1", Site: "Nantes DC2", BandwidthMb: 10000},
			{Code: "PZ-PAR-TH2-07", Lib: "Porte Paris TH2 n°7", Site: "Paris TH2", BandwidthMb: 1000},
			{Code: "PZ-LYS-DC1-02", Lib: "Porte Lyon DC1 n°2", Site: "Lyon DC1", BandwidthMb: 1000},
		},
		thinktelTrunks: []thinktelTrunk{
			newTrunk(4165550100, "Toronto HQ trunk"),
			newTrunk(5145550100, "Montréal trunk"),
			newTrunk(2065550100, "Seattle trunk"),
		},
		thinktelOfferings: []thinktelOffering{
			newOffering("TT-GENERAL", 1, "General product", "Produit général"),
			withParents(newOffering("TT-GENERAL-CHILD", 2, "General child product", "Produit enfant général"),
				thinktelSubscription{SubscriptionID: "SUB-4165550100", Name: "4165550100", ProductName: localized("SIP trunk", "Liaison SIP")},
				thinktelSubscription{SubscriptionID: "SUB-5145550100", Name: "5145550100", ProductName: localized("SIP trunk", "Liaison SIP")}),
			newOffering("TT-RES-LINE", 3, "Residential line", "Ligne résidentielle"),
			newOffering("TT-BUS-LINE", 4, "Business line", "Ligne d'affaires"),
			newOffering("TT-PCF", 5, "Permanent call forward", "Renvoi d'appel permanent"),
			newOffering("TT-BUS-PCF", 6, "Business permanent call forward", "Renvoi d'appel permanent pour entreprises"),
			newOffering("TT-VFAX", 7, "Virtual fax", "Télécopie virtuelle"),
		},
		thinktelProviders: []thinktelProvider{
			{ID: 311, Name: "Bell Canada"},
			{ID: 312, Name: "Vidéotron"},
			{ID: 313, Name: "Lumen"},
			{ID: 314, Name: "Rogers"},
			{ID: 315, Name: "TELUS"},
		},
	}
}

func netwoPrefix(id, ref, resource, trunkRef string) netwoService {
	return netwoService{Bought: &netwoBought{
		ServiceID:    id,
		ServiceType:  "prefix_hosting",
		Reference:    ref,
		ProductName:  "Hébergement d'un préfixe de portabilité",
		ProviderName: "Netwo",
		ConsumerName: "orderdrop sandbox",
		ClientName:   "orderdrop sandbox",
		Status:       "active",
		Specifics: map[string]any{"prefix_hosting": map[string]string{
			"resource": resource, "sip_trunk_reference": trunkRef,
		}},
		Category: "prefix_hosting",
	}}
}

func newTrunk(pilot int64, label string) thinktelTrunk {
	return thinktelTrunk{Account: 100200, Enabled: true, Label: label, Locale: 2, Number: pilot,
		PlanID: "TT-SIPTRUNK", SecondLocale: 5, MaxChannels: 23, CommittedChannels: 10}
}

func newOffering(id string, typ int, en, fr string) thinktelOffering {
	return thinktelOffering{OfferingID: id, Type: typ, ProductName: localized(en, fr)}
}

func withParents(o thinktelOffering, parents ...thinktelSubscription) thinktelOffering {
	o.PotentialParentSubscriptions = parents
	return o
}

func localized(en, fr string) thinktelLocalized { return thinktelLocalized{En: en, Fr: fr} }

func (d referenceData) netwoServiceByID(id string) bool {
	for _, sv := range d.netwoServices {
		if sv.Bought.ServiceID == id {
			return true
		}
	}
	return false
}

func (d referenceData) prizzContactKnown(id int) bool {
	for _, c := range d.prizzContacts {
		if c.IDContact == id {
			return true
		}
	}
	return false
}

func (d referenceData) prizzPortKnown(code string) bool {
	for _, p := range d.prizzPorts {
		if p.Code == code {
			return true
		}
	}
	return false
}

func (d referenceData) thinktelTrunkKnown(pilot int64) bool {
	for _, t := range d.thinktelTrunks {
		if t.Number == pilot {
			return true
		}
	}
	return false
}

func (d referenceData) thinktelProviderKnown(id int32) bool {
	for _, p := range d.thinktelProviders {
		if p.ID == id {
			return true
		}
	}
	return false
}

func (d referenceData) thinktelOffering(id string) (thinktelOffering, bool) {
	for _, o := range d.thinktelOfferings {
		if o.OfferingID == id {
			return o, true
		}
	}
	return thinktelOffering{}, false
}
