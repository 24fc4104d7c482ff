package prizz

import (
	"regexp"

	"github.com/orderdrop/orderdrop/internal/carrier"
)

// re is a case-insensitive pattern of the catalogue.
func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

// reasons is Prizz's catalogue: the fields of its L2 order named by the l2
// columns, and the errors whose pattern is known, each with what to change.
var reasons = carrier.NewCatalogue(map[string]string{
	"nomClient": "client_name", "idOffre": "offer_id", "idOptions": "option_ids",
	"contactsGTR": "gtr_contact_ho/gtr_contact_hno", "idContactCommande": "order_contact_id", "idContacts": "follow_contact_ids",
	"adresse.codePostal": "zip_code", "adresse.ville": "city", "adresse.rue": "street_name", "adresse.numero": "street_number",
	"adresse.typeVoie": "street_type", "adresse.extension": "street_extension", "adresse": "address",
	"contactSite.nom": "site_contact_name", "contactSite.telephone": "site_contact_phone", "contactSite.mail": "site_contact_email",
	"contactSite":                     "site_contact_name",
	"infosActivationService.refPorte": "port_ref", "infosActivationService.interfaceLivraison": "delivery_interface",
	"infosActivationService.nvlanSite": "site_vlan", "infosActivationService.nvlanPorte": "port_vlan",
	"infosActivationService.siteUtilisateurFinal": "site_vlan_mode", "infosActivationService.porteLivraison": "port_vlan_mode",
	"refPorte": "port_ref", "nvlanSite": "site_vlan", "nvlanPorte": "port_vlan",
},
	carrier.Reason{Match: re(`option \d+ does not belong to offer|option.*(not|pas).*(offer|offre)`),
		Hint: "option_ids must be options of offer_id: run orderdrop validate --online to list the offer's options, correct option_ids and drop the row again (the to-fix file holds it)"},
	carrier.Reason{Match: re(`unknown offer|offre inconnue|offer_id \d+ inconnu`),
		Hint: "offer_id is not an offer of your Prizz account: take the offer id from the Prizz quote and drop the row again (the to-fix file holds it)"},
	carrier.Reason{Match: re(`unknown delivery port|porte.*inconnue`),
		Hint: "port_ref is not one of your Prizz delivery ports: run orderdrop validate --online to see them, correct port_ref and drop the row again (the to-fix file holds it)"},
	carrier.Reason{Match: re(`unknown contact|contact inconnu`),
		Hint: "a contact id is not a contact of your Prizz account: correct gtr_contact_ho, gtr_contact_hno, order_contact_id or follow_contact_ids with ids from the Prizz back office"},
	carrier.Reason{Match: re(`VLAN|must be one of`),
		Hint: "the VLAN settings don't go together: site_vlan or port_vlan only with the tagged mode, ids 1 to 4094; correct them and drop the row again (the to-fix file holds it)"},
	carrier.Reason{Match: re(`codePostal|zip_code.*5 digits|must be 5 digits`),
		Hint: "zip_code must be the 5-digit French postal code of the site: correct it and drop the row again (the to-fix file holds it)"},
)
