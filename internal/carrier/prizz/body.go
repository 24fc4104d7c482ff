package prizz

import (
	"strings"

	"github.com/orderdrop/orderdrop/internal/order"
)

// l2Request is the "Souscription L2" body, keys as in the seed.
type l2Request struct {
	NomClient              string          `json:"nomClient"`
	IDOffre                int             `json:"idOffre"`
	IDOptions              []int           `json:"idOptions"` // [] when empty, never null
	Commentaire            string          `json:"commentaire"`
	ContactsGTR            []contactGTR    `json:"contactsGTR"`
	Adresse                adresse         `json:"adresse"`
	ContactSite            contactSite     `json:"contactSite"`
	IDContactCommande      int             `json:"idContactCommande,omitempty"` // optional
	IDContacts             []int           `json:"idContacts"`
	InfosActivationService infosActivation `json:"infosActivationService"`
}

// contactGTR is ContactGTROrderForm: type HO (working hours) or HNO.
type contactGTR struct {
	Type      string `json:"type"`
	IDContact int    `json:"idContact"`
}

// adresse is AdresseDTO (key list incomplete in the public docs).
type adresse struct {
	Numero     string `json:"numero,omitempty"`
	Extension  string `json:"extension,omitempty"`
	TypeVoie   string `json:"typeVoie,omitempty"`
	Rue        string `json:"rue,omitempty"`
	CodePostal string `json:"codePostal,omitempty"`
	Ville      string `json:"ville,omitempty"`
	Escalier   string `json:"escalier,omitempty"`
	Etage      string `json:"etage,omitempty"`
	ExtAppart  string `json:"extAppart,omitempty"`
}

// contactSite is ContactSiteDTO. Its keys are UNKNOWN publicly (the docs
// only say "nom / numéro de téléphone / mail / horaires"): we assume nom,
// telephone, mail, horaires.
type contactSite struct {
	Nom       string `json:"nom,omitempty"`
	Telephone string `json:"telephone,omitempty"`
	Mail      string `json:"mail,omitempty"`
	Horaires  string `json:"horaires,omitempty"`
}

// infosActivation is InfosActivationDTO.
type infosActivation struct {
	RefPorte             string `json:"refPorte"`
	SiteUtilisateurFinal string `json:"siteUtilisateurFinal"`
	PorteLivraison       string `json:"porteLivraison"`
	InterfaceLivraison   string `json:"interfaceLivraison"`
	NVLANSite            int    `json:"nvlanSite,omitempty"`
	NVLANPorte           int    `json:"nvlanPorte,omitempty"`
}

// commentPrefix introduces the order_ref in commentaire, the only free field
// that travels with a legacy L2 order.
const commentPrefix = "orderdrop ref "

// Commentaire is what orderdrop sends as commentaire: the order_ref (so the
// order can be found at Prizz) and the user's comment.
func Commentaire(ref, comment string) string {
	comment = strings.TrimSpace(comment)
	switch {
	case ref == "":
		return comment
	case comment == "":
		return commentPrefix + ref
	}
	return commentPrefix + ref + " — " + comment
}

func newL2Request(ref string, l *order.L2Order) l2Request {
	req := l2Request{
		NomClient:         l.ClientName,
		IDOffre:           l.OfferID,
		IDOptions:         append([]int{}, l.OptionIDs...),
		Commentaire:       Commentaire(ref, l.Comment),
		ContactsGTR:       []contactGTR{},
		IDContactCommande: l.OrderContactID,
		IDContacts:        append([]int{}, l.FollowContactIDs...),
		Adresse: adresse{
			Numero: l.StreetNumber, Extension: l.StreetExtension, TypeVoie: l.StreetType, Rue: l.StreetName,
			CodePostal: l.ZipCode, Ville: l.City, Escalier: l.Staircase, Etage: l.Floor, ExtAppart: l.Apartment,
		},
		ContactSite: contactSite{Nom: l.SiteContactName, Telephone: l.SiteContactPhone, Mail: l.SiteContactEmail, Horaires: l.SiteContactHours},
		InfosActivationService: infosActivation{
			RefPorte: l.PortRef, SiteUtilisateurFinal: l.SiteVLANMode, PorteLivraison: l.PortVLANMode,
			InterfaceLivraison: l.DeliveryInterface, NVLANSite: l.SiteVLAN, NVLANPorte: l.PortVLAN,
		},
	}
	if l.GTRContactHO != 0 {
		req.ContactsGTR = append(req.ContactsGTR, contactGTR{Type: "HO", IDContact: l.GTRContactHO})
	}
	if l.GTRContactHNO != 0 {
		req.ContactsGTR = append(req.ContactsGTR, contactGTR{Type: "HNO", IDContact: l.GTRContactHNO})
	}
	return req
}
