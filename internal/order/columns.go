package order

// Column describes one input column of a kind: for header matching, the
// template command and the README table.
type Column struct {
	Name     string   // canonical name, as in the template header
	Aliases  []string // other accepted headers (matched like Name: case, accents, spaces, '_' and '-' ignored)
	Required bool     // always required (conditional rules are in HelpEN)
	HelpEN   string
	HelpFR   string
	Example  string
	Choices  []string // closed list, exact strings; nil = free value
	Text     bool     // keep as text in the template: numbers, phones, codes
	Date     bool     // a date or date-time
}

// Column names used across kinds.
const (
	colOrderRef = "order_ref"
	colNumbers  = "numbers"
)

var orderRefColumn = Column{Name: colOrderRef, Aliases: []string{"ref", "reference", "order reference", "ref commande", "référence", "référence commande", "votre référence"},
	HelpEN: "Your own reference (optional). Rows sharing it form ONE carrier request.", HelpFR: "Votre référence (facultative). Les lignes qui la partagent forment UNE seule demande.",
	Example: "PORT-2026-001", Text: true}

var frColumns = []Column{
	orderRefColumn,
	{Name: "idn", Aliases: []string{"ndi", "numéro de tête", "numéro principal", "installation number", "head number"}, Required: true,
		HelpEN: "Installation head number (NDI), 10 digits.", HelpFR: "Numéro de désignation de l'installation (NDI), 10 chiffres.", Example: "0261910210", Text: true},
	{Name: colNumbers, Aliases: []string{"numéros", "numéros à porter", "numbers to port", "did", "dids", "sda"}, Required: true,
		HelpEN: "Numbers to port: one, a list (space, comma, semicolon or newline) or a range 0123456700-0123456799.", HelpFR: "Numéros à porter : un, une liste (espace, virgule, point-virgule, retour à la ligne) ou une plage 0123456700-0123456799.",
		Example: "0261910210 0261910211", Text: true},
	{Name: "rio", Aliases: []string{"code rio"},
		HelpEN: "RIO (12 characters) when the port is done with one; optional.", HelpFR: "RIO (12 caractères) si la portabilité se fait avec un RIO ; facultatif.", Example: "", Text: true},
	{Name: "wanted_date", Aliases: []string{"date souhaitée", "date de portage", "date portabilité", "port date", "wanted date"}, Required: true, Date: true,
		HelpEN: "Port date and time, Paris time: ≥ 6 French working days ahead, ≤ 89 days, 08:00–12:00 or 14:00–17:00.", HelpFR: "Date et heure de portage, heure de Paris : ≥ 6 jours ouvrés, ≤ 89 jours, 08h–12h ou 14h–17h.",
		Example: "2027-01-12 10:00"},
	{Name: "routing", Aliases: []string{"routage"}, Required: true, Choices: []string{"prefix", "sip_trunk"},
		HelpEN: "prefix: routed on your portability prefix only; sip_trunk: onto your C5 SIP trunk.", HelpFR: "prefix : routage sur le préfixe seul ; sip_trunk : sur le trunk SIP C5.", Example: "prefix"},
	{Name: "prefix", Aliases: []string{"préfixe", "préfixe de portabilité", "portability prefix"},
		HelpEN: "Your 6-digit Netwo portability prefix (prefix_hosting resource). Required unless prefix_service_id is given.", HelpFR: "Votre préfixe de portabilité Netwo, 6 chiffres. Obligatoire sauf si prefix_service_id est donné.",
		Example: "010203", Text: true},
	{Name: "prefix_service_id", Aliases: []string{"service préfixe", "id service préfixe"},
		HelpEN: "Netwo service_id of the prefix, instead of prefix.", HelpFR: "service_id Netwo du préfixe, à la place de prefix.", Text: true},
	{Name: "customer_name", Aliases: []string{"nom client", "client", "raison sociale", "customer", "nom du client"}, Required: true,
		HelpEN: "End customer's company name.", HelpFR: "Raison sociale du client final.", Example: "Verrerie d'Armor"},
	{Name: "siret", Aliases: []string{"company number", "company_number", "numéro siret", "n° siret", "no siret"}, Required: true,
		HelpEN: "SIRET, 14 digits (checked).", HelpFR: "SIRET, 14 chiffres (clé contrôlée).", Example: "81234001700027", Text: true},
	{Name: "street", Aliases: []string{"rue", "adresse", "address", "voie"}, Required: true,
		HelpEN: "Street address.", HelpFR: "Adresse (numéro et voie).", Example: "14 quai de la Douane"},
	{Name: "zip_code", Aliases: []string{"code postal", "cp", "postal code", "zip"}, Required: true,
		HelpEN: "5-digit postal code.", HelpFR: "Code postal, 5 chiffres.", Example: "29200", Text: true},
	{Name: "city", Aliases: []string{"ville", "commune"}, Required: true, HelpEN: "City.", HelpFR: "Ville.", Example: "Brest"},
	{Name: "contact_name", Aliases: []string{"nom contact", "nom du contact", "contact"}, Required: true,
		HelpEN: "Customer contact's name.", HelpFR: "Nom du contact client.", Example: "Yvonne Kerjean"},
	{Name: "contact_email", Aliases: []string{"email contact", "courriel", "courriel contact", "mail contact", "email", "e-mail", "mail"}, Required: true,
		HelpEN: "Customer contact's e-mail.", HelpFR: "Courriel du contact client.", Example: "y.kerjean@example.com"},
	{Name: "contact_phone", Aliases: []string{"téléphone contact", "tel contact", "téléphone", "telephone", "phone"}, Required: true,
		HelpEN: "Customer contact's phone (French number or +country).", HelpFR: "Téléphone du contact client.", Example: "0673480041", Text: true},
}

var caColumns = []Column{
	orderRefColumn,
	{Name: "pilot_number", Aliases: []string{"pilot", "numéro pilote", "sip trunk", "trunk"},
		HelpEN: "Pilot number of the existing SIP trunk receiving the numbers (or give offering_id).", HelpFR: "Numéro pilote de la liaison SIP existante (ou offering_id).", Example: "4165550100", Text: true},
	{Name: "offering_id", Aliases: []string{"offering", "offre"},
		HelpEN: "Thinktel OfferingID of a new service (instead of pilot_number).", HelpFR: "OfferingID Thinktel d'un nouveau service (au lieu de pilot_number).", Text: true},
	{Name: colNumbers, Aliases: []string{"numéros", "numéros à porter", "numbers to port", "did", "dids"}, Required: true,
		HelpEN: "Numbers to port: one, a list or a range 4165550120-4165550129. Toll-free and regular numbers can't share a request.", HelpFR: "Numéros à porter : un, une liste ou une plage. Sans frais et ordinaires jamais dans la même demande.",
		Example: "416-555-0120", Text: true},
	{Name: "label", Aliases: []string{"libellé", "étiquette", "description"}, HelpEN: "Label of this row's numbers.", HelpFR: "Libellé des numéros de la ligne.", Example: "Front desk"},
	{Name: "customer_name", Aliases: []string{"nom client", "client", "raison sociale", "customer"}, Required: true,
		HelpEN: "Customer name as known by the losing carrier.", HelpFR: "Nom du client chez l'opérateur actuel.", Example: "Harbourfront Physiotherapy Inc."},
	{Name: "account_number", Aliases: []string{"numéro de compte", "customer account number", "compte client"}, Required: true,
		HelpEN: "Account number at the losing carrier.", HelpFR: "Numéro de compte chez l'opérateur actuel.", Example: "BC-7730-4418", Text: true},
	{Name: "street_number", Aliases: []string{"numéro civique", "no civique", "numéro de rue", "civic number"}, Required: true,
		HelpEN: "Street number.", HelpFR: "Numéro civique.", Example: "390", Text: true},
	{Name: "street_name", Aliases: []string{"rue", "nom de rue", "street"}, Required: true, HelpEN: "Street name.", HelpFR: "Rue.", Example: "Queens Quay West"},
	{Name: "unit", Aliases: []string{"suite", "unité", "bureau", "appartement"}, HelpEN: "Unit / suite.", HelpFR: "Unité / bureau.", Example: "Suite 210"},
	{Name: "city", Aliases: []string{"ville", "municipalité"}, Required: true, HelpEN: "City.", HelpFR: "Ville.", Example: "Toronto"},
	{Name: "province", Aliases: []string{"state", "état", "province state"}, Required: true,
		HelpEN: "Province or state: name or 2-letter code.", HelpFR: "Province ou État : nom ou code à 2 lettres.", Example: "ON"},
	{Name: "postal_code", Aliases: []string{"code postal", "zip", "zip code"}, Required: true,
		HelpEN: "Postal code A1A 1A1 (CA) or ZIP (US).", HelpFR: "Code postal A1A 1A1 (CA) ou ZIP (US).", Example: "M5V 3A6", Text: true},
	{Name: "country", Aliases: []string{"pays"}, Required: true, Choices: []string{"CA", "US"}, HelpEN: "CA or US.", HelpFR: "CA ou US.", Example: "CA"},
	{Name: "email", Aliases: []string{"courriel", "e-mail", "mail", "email address"}, Required: true,
		HelpEN: "Porting communications e-mail.", HelpFR: "Courriel pour le suivi du portage.", Example: "admin@example.com"},
	{Name: "current_provider_id", Aliases: []string{"current provider", "provider id", "fournisseur actuel"},
		HelpEN: "Losing carrier's provider ID (GET /NumberPorts/Providers), or give current_reseller.", HelpFR: "ID du fournisseur actuel, ou current_reseller.", Example: "311", Text: true},
	{Name: "current_reseller", Aliases: []string{"revendeur actuel", "reseller"},
		HelpEN: "Losing reseller's name, when current_provider_id is empty.", HelpFR: "Revendeur actuel, si current_provider_id est vide."},
	{Name: "numbers_to_remain", Aliases: []string{"numéros restants", "remaining numbers"},
		HelpEN: "Numbers staying with the losing carrier (partial port).", HelpFR: "Numéros qui restent chez l'opérateur actuel.", Text: true},
	{Name: "requested_port_date", Aliases: []string{"date de portage", "port date", "date souhaitée"}, Date: true,
		HelpEN: "Requested port date; empty = earliest possible.", HelpFR: "Date de portage souhaitée ; vide = au plus tôt.", Example: "2027-01-04"},
	{Name: "requested_port_time", Aliases: []string{"heure de portage", "port time", "heure souhaitée"},
		HelpEN: "HH:MM, 24 h Eastern; only with a date.", HelpFR: "HH:MM, 24 h heure de l'Est ; seulement avec une date.", Example: "09:30", Text: true},
	{Name: "submitter_first_name", Aliases: []string{"prénom", "prénom demandeur"}, HelpEN: "Submitter's first name.", HelpFR: "Prénom du demandeur.", Example: "Priya"},
	{Name: "submitter_last_name", Aliases: []string{"nom demandeur", "nom de famille"}, HelpEN: "Submitter's last name.", HelpFR: "Nom du demandeur.", Example: "Raman"},
	{Name: "submitter_phone", Aliases: []string{"téléphone demandeur", "téléphone", "phone"}, HelpEN: "Submitter's phone.", HelpFR: "Téléphone du demandeur.", Example: "416-555-0199", Text: true},
	{Name: "comments", Aliases: []string{"commentaires", "commentaire", "comment"}, HelpEN: "Comments for the port team.", HelpFR: "Commentaires pour l'équipe de portage."},
	{Name: "loa_file", Aliases: []string{"loa", "lettre d'autorisation", "letter of authorization"},
		HelpEN: "File name of the LOA (PDF) dropped beside the spreadsheet; a bare name only.", HelpFR: "Nom du fichier de la lettre d'autorisation (PDF) déposé à côté du tableur.", Example: "loa-client.pdf"},
	{Name: "parent_subscription_id", HelpEN: "Offering type 2: parent subscription.", HelpFR: "Offre de type 2 : abonnement parent.", Text: true},
	{Name: "business_group_id", HelpEN: "Offering type 4: business group.", HelpFR: "Offre de type 4 : groupe d'affaires.", Text: true},
	{Name: "business_group_subscription_id", HelpEN: "Offering type 6: business group subscription.", HelpFR: "Offre de type 6 : abonnement du groupe.", Text: true},
	{Name: "plan_id", HelpEN: "Offering types 3, 4, 5: line plan.", HelpFR: "Offres de type 3, 4, 5 : forfait de ligne.", Text: true},
	{Name: "account", Aliases: []string{"thinktel account"}, HelpEN: "Offering types 3, 4, 5: Thinktel account number of the lines.", HelpFR: "Offres de type 3, 4, 5 : compte Thinktel des lignes.", Text: true},
	{Name: "locale", Aliases: []string{"langue"}, Choices: []string{"EnglishCA", "EnglishUS", "FrenchCA"},
		HelpEN: "Offering types 3, 4: EnglishCA (default), EnglishUS or FrenchCA.", HelpFR: "Offres de type 3, 4 : EnglishCA (défaut), EnglishUS ou FrenchCA."},
	{Name: "forwarding_number", Aliases: []string{"numéro de renvoi"}, HelpEN: "Offering types 5, 6: forward calls to this number.", HelpFR: "Offres de type 5, 6 : numéro de renvoi.", Text: true},
	{Name: "pcf_instructions", HelpEN: "Offering type 5: provisioning instructions.", HelpFR: "Offre de type 5 : instructions."},
	{Name: "fax_email", Aliases: []string{"courriel fax"}, HelpEN: "Offering type 7: e-mail receiving faxes.", HelpFR: "Offre de type 7 : courriel de réception des fax."},
}

var l2Columns = []Column{
	orderRefColumn,
	{Name: "client_name", Aliases: []string{"nom client", "client", "raison sociale", "customer name", "nomclient"}, Required: true,
		HelpEN: "End customer's name.", HelpFR: "Nom du client final.", Example: "Cave Coopérative de Pessac"},
	{Name: "offer_id", Aliases: []string{"id offre", "idoffre", "offre"}, Required: true,
		HelpEN: "Offer id from Prizz eligibility (idOffre).", HelpFR: "idOffre de l'éligibilité Prizz.", Example: "2201", Text: true},
	{Name: "option_ids", Aliases: []string{"id options", "idoptions", "options"},
		HelpEN: "Option ids of that offer, comma or semicolon separated; may be empty.", HelpFR: "idOption de l'offre, séparés par virgule ou point-virgule ; peut être vide.", Example: "41,42", Text: true},
	{Name: "gtr_contact_ho", Aliases: []string{"contact gtr ho"}, Required: true,
		HelpEN: "Operator contact id for working hours (HO).", HelpFR: "Contact opérateur heures ouvrées (HO).", Example: "7101", Text: true},
	{Name: "gtr_contact_hno", Aliases: []string{"contact gtr hno"}, Required: true,
		HelpEN: "Operator contact id for non-working hours (HNO).", HelpFR: "Contact opérateur heures non ouvrées (HNO).", Example: "7102", Text: true},
	{Name: "street_number", Aliases: []string{"numéro", "numéro de voie", "numero"}, HelpEN: "Street number.", HelpFR: "Numéro.", Example: "27", Text: true},
	{Name: "street_extension", Aliases: []string{"extension", "indice de répétition", "complément numéro"}, HelpEN: "bis, ter…", HelpFR: "bis, ter…", Example: "ter"},
	{Name: "street_type", Aliases: []string{"type de voie", "type voie", "typevoie"}, HelpEN: "rue, avenue…", HelpFR: "rue, avenue…", Example: "avenue"},
	{Name: "street_name", Aliases: []string{"rue", "nom de voie", "voie"}, Required: true, HelpEN: "Street name.", HelpFR: "Nom de la voie.", Example: "Jean Jaurès"},
	{Name: "zip_code", Aliases: []string{"code postal", "cp", "postal code", "zip", "codepostal"}, Required: true, HelpEN: "5-digit postal code.", HelpFR: "Code postal.", Example: "33600", Text: true},
	{Name: "city", Aliases: []string{"ville", "commune"}, Required: true, HelpEN: "City.", HelpFR: "Ville.", Example: "Pessac"},
	{Name: "staircase", Aliases: []string{"escalier"}, HelpEN: "Staircase.", HelpFR: "Escalier.", Example: "A"},
	{Name: "floor", Aliases: []string{"étage"}, HelpEN: "Floor.", HelpFR: "Étage.", Example: "1", Text: true},
	{Name: "apartment", Aliases: []string{"appartement", "extappart"}, HelpEN: "Apartment / suite.", HelpFR: "Appartement.", Text: true},
	{Name: "site_contact_name", Aliases: []string{"contact site", "nom contact site"}, Required: true,
		HelpEN: "On-site access contact.", HelpFR: "Contact d'accès au site.", Example: "Mathilde Roques"},
	{Name: "site_contact_phone", Aliases: []string{"téléphone contact site", "tel contact site"}, Required: true,
		HelpEN: "On-site contact's phone.", HelpFR: "Téléphone du contact site.", Example: "0536490731", Text: true},
	{Name: "site_contact_email", Aliases: []string{"courriel contact site", "mail contact site"}, HelpEN: "On-site contact's e-mail.", HelpFR: "Courriel du contact site.", Example: "m.roques@example.com"},
	{Name: "site_contact_hours", Aliases: []string{"horaires contact site", "horaires"}, HelpEN: "When the site contact can be reached.", HelpFR: "Horaires de joignabilité.", Example: "8h30-12h / 13h30-17h30"},
	{Name: "order_contact_id", Aliases: []string{"id contact commande", "idcontactcommande"}, HelpEN: "Contact id placing the order (optional).", HelpFR: "Contact passant la commande (facultatif).", Example: "7103", Text: true},
	{Name: "follow_contact_ids", Aliases: []string{"id contacts", "idcontacts", "contacts suivi"}, Required: true,
		HelpEN: "Prizz contact ids following the order (e-mail notifications); at least one, separated by ; or ,.", HelpFR: "Contacts Prizz qui suivent la commande (notifications par courriel) ; au moins un, séparés par ; ou ,.", Example: "7101;7103", Text: true},
	{Name: "port_ref", Aliases: []string{"ref porte", "refporte", "porte de livraison", "delivery port"}, Required: true,
		HelpEN: "Delivery port code (refPorte).", HelpFR: "Code de la porte de livraison (refPorte).", Example: "PZ-BDX-ATL1-03", Text: true},
	{Name: "site_vlan_mode", Aliases: []string{"mode vlan site", "site utilisateur final", "siteutilisateurfinal"}, Required: true,
		Choices: vlanModes, HelpEN: "End-user site VLAN mode.", HelpFR: "Mode VLAN côté site utilisateur final.", Example: VLANModeUntagged},
	{Name: "port_vlan_mode", Aliases: []string{"mode vlan porte", "porte livraison", "portelivraison"}, Required: true,
		Choices: vlanModes, HelpEN: "Delivery port VLAN mode.", HelpFR: "Mode VLAN côté porte de livraison.", Example: VLANModeQinQ},
	{Name: "delivery_interface", Aliases: []string{"interface de livraison", "interface livraison", "interface"}, Required: true,
		HelpEN: "10/100/1000 Base T, 1000 Base SX, 1000 Base LX (or another value).", HelpFR: "10/100/1000 Base T, 1000 Base SX, 1000 Base LX (ou une autre valeur).", Example: "1000 Base LX"},
	{Name: "site_vlan", Aliases: []string{"vlan site", "nvlan site", "nvlansite"}, HelpEN: "VLAN 1–4094, only with Flux tagué C-VLAN on the site side.", HelpFR: "VLAN 1–4094, seulement avec Flux tagué C-VLAN côté site.", Text: true},
	{Name: "port_vlan", Aliases: []string{"vlan porte", "nvlan porte", "nvlanporte"}, HelpEN: "VLAN 1–4094, only with Flux tagué C-VLAN on the port side.", HelpFR: "VLAN 1–4094, seulement avec Flux tagué C-VLAN côté porte.", Text: true},
	{Name: "comment", Aliases: []string{"commentaire", "comments", "commentaires"}, HelpEN: "Free comment.", HelpFR: "Commentaire libre."},
}

var vlanModes = []string{VLANModeQinQ, VLANModeTagged, VLANModeUntagged}

// deliveryInterfaces are the known Prizz delivery interfaces; others are accepted as given.
var deliveryInterfaces = []string{"10/100/1000 Base T", "1000 Base SX", "1000 Base LX"}

// Columns lists the columns of kind k in template order. The slice is a copy.
func Columns(k Kind) []Column {
	var src []Column
	switch k {
	case FrPort:
		src = frColumns
	case CaPort:
		src = caColumns
	case L2:
		src = l2Columns
	}
	out := make([]Column, len(src))
	copy(out, src)
	return out
}
