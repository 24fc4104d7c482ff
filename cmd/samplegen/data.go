package main

import "time"

var frHeader = []string{"order_ref", "idn", "numbers", "rio", "wanted_date", "routing", "prefix", "customer_name", "siret",
	"street", "zip_code", "city", "contact_name", "contact_email", "contact_phone"}

// frPort: valid rows (one number, a range, a two-row group, a number that
// lost its leading zero, a fixed-line RIO) and invalid ones (a Saturday, a
// bad SIRET, two problems at once, a RIO whose key is another number's, a
// postcode that is not the city's). Their 01 99 numbers are in no ARCEP
// block: each row carries that warning and is still sent.
func frPort(now time.Time) table {
	return table{sheet: "fr-port", header: frHeader, rows: [][]any{
		{"FR-26-101", "0199003100", "0199003100", nil, workingDay(now, 10, 10), "prefix", "010203", "Fromagerie des Aravis", siret("8123400170004"), "12 route du Col", "74220", "La Clusaz", "Marion Veyrat", "marion@fromagerie-aravis.example", "0199003199"},
		{"FR-26-102", "0465710400", "0465710400-0465710409", nil, workingDay(now, 12, 15), "sip_trunk", "040506", "Imprimerie Rhône-Alpes", siret("7945512380001"), "4 rue de la Charité", "69002", "Lyon", "Hugo Berthier", "hugo@imprimerie-ra.example", "+33 4 65 71 04 99"},
		{"FR-26-103", "0353012700", "0353012700", nil, workingDay(now, 14, 10), "prefix", "010203", "Brasserie du Vieux-Lille", siret("3906651280003"), "8 place aux Oignons", "59800", "Lille", "Chloé Vandamme", "chloe@brasserie-vl.example", "0353012799"},
		{"FR-26-103", "0353012700", "0353012701", nil, workingDay(now, 14, 10), "prefix", "010203", "Brasserie du Vieux-Lille", siret("3906651280003"), "8 place aux Oignons", "59800", "Lille", "Chloé Vandamme", "chloe@brasserie-vl.example", "0353012799"},
		{"FR-26-104", 536490800, 536490800, nil, workingDay(now, 16, 15), "prefix", "040506", "Atelier Vélo Garonne", siret("5230998710004"), "61 allées Charles de Fitte", "31300", "Toulouse", "Inès Sabatier", "ines@velo-garonne.example", 536490899},
		{"FR-26-105", "0261913000", "0261913000", nil, nextSaturday(now), "prefix", "010203", "Cidrerie du Perche", siret("6612870330005"), "Lieu-dit La Grange", "61400", "Mortagne-au-Perche", "Paul Huet", "paul@cidrerie-perche.example", "0261913099"},
		{"FR-26-106", "0199003600", "0199003600", nil, workingDay(now, 11, 10), "prefix", "010203", "Opticiens Réunis", "33177654400098", "88 boulevard Voltaire", "75011", "Paris", "Karim Benali", "karim@opticiens-reunis.example", "0199003699"},
		{"FR-26-107", "0261913700", "0261913700", nil, workingDay(now, 13, 10), "voip", "010203", "Distillerie Combier", siret("3317765440009"), "48 rue Beaurepaire", "49400", "Saumur", "Margaux Laval", "margaux@@distillerie.example", "0261913799"},
		{"FR-26-108", "0199003800", "0199003800", "F1C 12345+ YB7", workingDay(now, 9, 15), "prefix", "010203", "Savonnerie du Vieux-Port", siret("4410287650006"), "7 rue Sainte", "13001", "Marseille 1er", "Lucie Roux", "lucie@savonnerie-vp.example", "0199003899"},
		{"FR-26-109", "0199003900", "0199003900", "F1C12345+YB7", workingDay(now, 10, 15), "prefix", "010203", "Chocolaterie Pralus", siret("5520913340007"), "8 rue Charles de Gaulle", "42300", "Roanne", "Théo Pralus", "theo@chocolaterie.example", "0199003999"},
		{"FR-26-110", "0199004000", "0199004000", nil, workingDay(now, 11, 15), "prefix", "010203", "Galerie Vivienne Conseil", siret("6630124450008"), "6 rue Vivienne", "75002", "Lyon", "Anne Morel", "anne@galerie-vivienne.example", "0199004099"},
	}}
}

func frPortMulti(now time.Time) table {
	return table{sheet: "fr-port", header: frHeader, rows: [][]any{
		{"ALL-FR-01", "0199004100", "0199004100 0199004101", nil, workingDay(now, 9, 10), "prefix", "010203", "Coutellerie de Thiers", siret("5340119870003"), "8 rue de la Coutellerie", "63300", "Thiers", "Bastien Chabrol", "bastien@coutellerie-thiers.example", "0199004199"},
		{"ALL-FR-02", "0199004200", "0199004200", nil, workingDay(now, 3, 10), "prefix", "040506", "Thermes de Vichy", siret("6021874450009"), "111 boulevard des États-Unis", "03200", "Vichy", "Céline Aubert", "celine@thermes-vichy.example", "0199004299"},
	}}
}

// frPortCSV is the French-Excel CSV: French headers, dd/mm/yyyy hh:mm dates.
func frPortCSV(now time.Time) table {
	return table{header: []string{"Order ref", "IDN", "Numéros", "Date souhaitée", "Routing", "Prefix", "Customer name", "SIRET", "Street", "Code postal", "Ville", "Contact name", "Contact email", "Contact phone", "RIO"},
		rows: [][]any{
			{"CSV-26-01", "0353011500", "0353011500", frDate(workingDay(now, 10, 15)), "prefix", "010203", "Les Sœurs Ménard SARL", siret("9034417720001"), "3 place de l’Église", "25000", "Besançon", "Gérard Lévêque", "g.leveque@soeurs-menard.example", "0353011599", ""},
			{"CSV-26-02", "536491500", "536491500", frDate(workingDay(now, 15, 10)), "sip_trunk", "040506", "Œnothèque Côte-Rôtie", siret("7123098870002"), "9 quai Général Leclerc", "38200", "Vienne", "Hervé Noël", "herve@oenotheque-cr.example", "536491599", ""},
			{"CSV-26-03", "0199001800", "01990018", frDate(workingDay(now, 12, 10)), "prefix", "010203", "Librairie L’Odyssée", siret("8265120990004"), "5 rue Pavée", "75004", "Paris", "Josée Marchal", "josee@librairie-odyssee.example", "0199001899", ""},
		}}
}

var caHeader = []string{"order_ref", "pilot_number", "offering_id", "numbers", "label", "customer_name", "account_number", "street_number", "street_name", "unit",
	"city", "province", "postal_code", "country", "email", "current_provider_id", "current_reseller", "requested_port_date", "requested_port_time",
	"submitter_first_name", "submitter_last_name", "submitter_phone", "comments", "loa_file", "fax_email"}

// portDate is a requested_port_date three weeks ahead on a day Canada (ON,
// QC) and the US both work.
func portDate(now time.Time) string { return caWorkingDay(now, 15) }

// caPort: DIDs onto a trunk with an LOA, a toll-free number, two new
// services (virtual fax, general product), and invalid rows (a Dutch postal
// code, a path as LOA, an Ontario postal code with QC, a port date on a
// statutory holiday).
func caPort(now time.Time) table {
	d := portDate(now)
	return table{sheet: "ca-port", header: caHeader, rows: [][]any{
		{"CA-26-201", 4165550100, nil, "4165550140-4165550142", "Reception", "Lakeshore Dental Group", "BC-7730-9001", 200, "Bay Street", "Suite 1200", "Toronto", "Ontario", "m5j2j2", "CA", "office@lakeshore-dental.example", 311, nil, d, "09:30", "Priya", "Raman", 4165550199, "Keep the fax line until cutover", "loa-lakeshore-dental.pdf", nil},
		{"CA-26-202", 5145550100, nil, "1-800-555-0111", "Sans frais", "Café Mile-End Coop", "VT-55-20931", "5480", "avenue du Parc", nil, "Montréal", "Québec", "H2V 4G7", "CA", "gestion@cafemileend.example", nil, "Réseau Laurentide inc.", d, nil, "Étienne", "Gagnon", "514-555-0199", nil, nil, nil},
		{"CA-26-203", nil, "TT-VFAX", "(514) 555-0123", "Fax", "Clinique Vétérinaire Outremont", "VT-55-40012", "1255", "avenue Van Horne", nil, "Montréal", "QC", "h2v 1k5", "CA", "accueil@clinique-outremont.example", 312, nil, d, nil, "Étienne", "Gagnon", nil, nil, nil, "fax@clinique-outremont.example"},
		{"CA-26-204", nil, "TT-GENERAL", "206-555-0125", "Lobby", "Pike Place Kites LLC", "LM-880912", "1501", "Pike Place", "Stall 12", "Seattle", "WA", "98101", "US", "hello@pikeplacekites.example", 313, nil, d, nil, nil, nil, nil, nil, nil, nil},
		{"CA-26-205", 4165550100, nil, "4165550150", nil, "Kensington Records", "BC-7730-6002", 210, "Augusta Avenue", nil, "Toronto", "ON", "1234 AB", "CA", "shop@kensingtonrecords.example", nil, nil, d, nil, nil, nil, nil, nil, nil, nil},
		{"CA-26-206", 4165550100, nil, "555-0199", nil, "Distillery Lane Books", "BC-7730-5521", 55, "Mill Street", nil, "Toronto", "ON", "M5A 3C4", "CA", "orders@distillerylanebooks.example", 311, nil, d, nil, nil, nil, nil, nil, "../loa.pdf", nil},
		{"CA-26-207", 4165550100, nil, "4165550160", nil, "Harbourfront Physiotherapy Inc.", "BC-7730-4418", 390, "Queens Quay West", "Suite 210", "Toronto", "QC", "M5V 3A6", "CA", "admin@harbourfront.example", 311, nil, d, nil, nil, nil, nil, nil, nil, nil},
		{"CA-26-208", 4165550100, nil, "4165550170", nil, "Queen West Yoga", "BC-7730-8120", 620, "Queen Street West", nil, "Toronto", "ON", "M6J 1E4", "CA", "hello@queenwestyoga.example", 311, nil, caHoliday(now), "10:00", nil, nil, nil, nil, nil, nil},
	}}
}

func caPortMulti(now time.Time) table {
	d := portDate(now)
	return table{sheet: "ca-port", header: caHeader, rows: [][]any{
		{"ALL-CA-01", 2065550100, nil, "206-555-0161; 206-555-0162", "Front desk", "Ballard Bikes LLC", "LM-880950", "5420", "Ballard Ave NW", nil, "Seattle", "Washington", "98107", "US", "shop@ballardbikes.example", 313, nil, d, nil, "Dana", "Lee", "206-555-0190", nil, nil, nil},
	}}
}

var l2Header = []string{"order_ref", "client_name", "offer_id", "option_ids", "gtr_contact_ho", "gtr_contact_hno", "street_number", "street_extension", "street_type", "street_name",
	"zip_code", "city", "staircase", "floor", "apartment", "site_contact_name", "site_contact_phone", "site_contact_email", "site_contact_hours", "order_contact_id",
	"follow_contact_ids", "port_ref", "site_vlan_mode", "port_vlan_mode", "delivery_interface", "site_vlan", "port_vlan", "comment"}

// l2Orders: closed lists in users' spellings, VLANs, and invalid rows.
func l2Orders() table {
	return table{sheet: "l2", header: l2Header, rows: [][]any{
		{"L2-26-301", "Cave Coopérative de Pessac", 2201, "41,42", 7101, 7102, "27", "ter", "avenue", "Jean Jaurès", "33600", "Pessac", "A", "1", nil, "Mathilde Roques", "0536490731", "m.roques@cave-pessac.example", "8h30-12h / 13h30-17h30", 7103, "7101;7103", "PZ-BDX-ATL1-03", "flux non tague", "TRANSPARENCE AUX CVLAN (QINQ)", "1000 Base LX", nil, nil, "badge à retirer à l'accueil"},
		{"L2-26-302", "Clinique du Tondu", 2202, "51", 7101, 7102, "151", nil, "rue", "du Tondu", "33000", "Bordeaux", nil, "RDC", nil, "Hugo Lacoste", "+33 5 36 49 07 32", "dsi@clinique-tondu.example", "24/7", nil, "7101", "PZ-NTE-DC2-01", "Flux tagué C-VLAN", "flux tagué c-vlan", "10/100/1000 Base T", 210, 3001, nil},
		{"L2-26-303", "Chantier Naval Arcachon", 2201, nil, 7101, 7102, "3", nil, "quai", "du Capitaine Allègre", "33120", "Arcachon", nil, nil, nil, "Loïc Dupérier", "0536490733", "loic@cn-arcachon.example", "8h30-12h / 13h30-17h30", nil, "7103", "PZ-BDX-ATL1-03", "Flux tagué C-VLAN", "Flux non tagué", "1000 Base SX", "42", nil, nil},
		{"L2-26-304", "Librairie Mollat Annexe", 2201, nil, 7101, 7102, "9", nil, "rue", "Vital Carles", "33000", "Bordeaux", nil, nil, nil, "Aude Mollat", "0536490734", "aude@annexe.example", "9h-18h", nil, "7103", "PZ-BDX-ATL1-03", "Flux non tagué", "Flux tagué C-VLAN", "1000 Base LX", 77, 4095, nil},
		{"L2-26-305", "Pâtisserie Baillardran", 2201, "41;x", 7101, 7102, "55", nil, "rue", "Sainte-Catherine", "33000", "Bordeaux", nil, nil, nil, "Émilie Roux", "0536490738", "emilie@patisserie-b.example", "9h-18h", nil, "7103", nil, "Flux double tagué", "Flux non tagué", "1000 Base LX", nil, nil, nil},
	}}
}

func l2Multi() table {
	return table{sheet: "l2", header: l2Header, rows: [][]any{
		{"ALL-L2-01", "Maison Sarrail", 2201, "43", 7104, 7102, "6", nil, "place", "de la Bourse", "33000", "Bordeaux", nil, nil, nil, "Anne Sarrail", "0536490741", "anne@maison-sarrail.example", "9h-18h", nil, "7104", "PZ-BDX-ATL1-03", "Transparence aux CVLAN (QinQ)", "transparence aux cvlan (qinq)", "1000 Base LX", nil, nil, nil},
	}}
}
