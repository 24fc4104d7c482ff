package sim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Prizz Telecom legacy API (carriers.md §2, seed 001). The real paths are
// UNKNOWN; the sandbox serves them under /prizz:
//
//	POST /prizz/sicom/auth                {"email","mdp"} → envelope{object{accessToken, expiresIn}}
//	GET  /prizz/sicom/contacts            (Bearer) → [contact]
//	GET  /prizz/sicom/interfaceLivraison  (Bearer) → [port]
//	POST /prizz/sicom/commande/l2         (Bearer) → envelope{object{ref: "CMD-L2-NNNNNN"}}
//
// Errors: {"statusCode": N, "status": "KO", "message": "..."}.

// Closed list of the seed for siteUtilisateurFinal / porteLivraison.
const (
	vlanQinQ     = "Transparence aux CVLAN (QinQ)"
	vlanTagged   = "Flux tagué C-VLAN"
	vlanUntagged = "Flux non tagué"
)

type prizzEnvelope struct {
	StatusCode int    `json:"statusCode"`
	Status     string `json:"status"`
	Message    string `json:"message,omitempty"`
	Object     any    `json:"object,omitempty"`
}

type prizzContact struct {
	IDContact int    `json:"idContact"`
	Nom       string `json:"nom"`
	Prenom    string `json:"prenom"`
	Civilite  int    `json:"civilite"`
	Actif     bool   `json:"actif"`
	Mail      string `json:"mail"`
	NumTel1   string `json:"numTel1"`
	NumTel2   string `json:"numTel2"`
	Fonction  string `json:"fonction"`
}

type prizzPort struct {
	Code        string `json:"code"`
	Lib         string `json:"lib"`
	Site        string `json:"site"`
	BandwidthMb int    `json:"bandwidth_mb"`
	IsDefault   bool   `json:"is_default"`
}

type prizzL2Request struct {
	NomClient   *string `json:"nomClient"`
	IDOffre     *int    `json:"idOffre"`
	IDOptions   []int   `json:"idOptions"`
	Commentaire *string `json:"commentaire"`
	ContactsGTR []struct {
		Type      *string `json:"type"`
		IDContact *int    `json:"idContact"`
	} `json:"contactsGTR"`
	Adresse *struct {
		Numero     *string `json:"numero"`
		Extension  *string `json:"extension"`
		TypeVoie   *string `json:"typeVoie"`
		Rue        *string `json:"rue"`
		CodePostal *string `json:"codePostal"`
		Ville      *string `json:"ville"`
		Escalier   *string `json:"escalier"`
		Etage      *string `json:"etage"`
		ExtAppart  *string `json:"extAppart"`
	} `json:"adresse"`
	ContactSite *struct {
		Nom       *string `json:"nom"`
		Telephone *string `json:"telephone"`
		Mail      *string `json:"mail"`
		Horaires  *string `json:"horaires"`
	} `json:"contactSite"`
	IDContactCommande      *int  `json:"idContactCommande"`
	IDContacts             []int `json:"idContacts"`
	InfosActivationService *struct {
		RefPorte             *string `json:"refPorte"`
		SiteUtilisateurFinal *string `json:"siteUtilisateurFinal"`
		PorteLivraison       *string `json:"porteLivraison"`
		InterfaceLivraison   *string `json:"interfaceLivraison"`
		NvlanSite            *int    `json:"nvlanSite"`
		NvlanPorte           *int    `json:"nvlanPorte"`
	} `json:"infosActivationService"`
}

func (s *Server) routePrizz() {
	s.mux.HandleFunc("POST "+PrizzPrefix+"/sicom/auth", s.prizzAuth)
	s.mux.Handle("GET "+PrizzPrefix+"/sicom/contacts", s.prizzBearer(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.data.prizzContacts)
	}))
	s.mux.Handle("GET "+PrizzPrefix+"/sicom/interfaceLivraison", s.prizzBearer(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.data.prizzPorts)
	}))
	s.mux.Handle("POST "+PrizzPrefix+"/sicom/commande/l2", s.prizzBearer(s.prizzOrderL2))
	s.mux.HandleFunc(PrizzPrefix+"/", func(w http.ResponseWriter, r *http.Request) {
		prizzFail(w, http.StatusNotFound, "no route for "+r.Method+" "+r.URL.Path)
	})
}

func prizzFail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, prizzEnvelope{StatusCode: status, Status: "KO", Message: msg})
}

func (s *Server) prizzAuth(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		prizzFail(w, http.StatusBadRequest, err.Error())
		return
	}
	var req struct {
		Email *string `json:"email"`
		Mdp   *string `json:"mdp"`
	}
	if err := decodeStrict(body, &req); err != nil {
		prizzFail(w, http.StatusBadRequest, err.Error())
		return
	}
	if req.Email == nil || req.Mdp == nil {
		prizzFail(w, http.StatusBadRequest, "email and mdp are required")
		return
	}
	if !equal(*req.Email, s.creds.PrizzEmail) || !equal(*req.Mdp, s.creds.PrizzPassword) {
		prizzFail(w, http.StatusUnauthorized, "identifiants invalides")
		return
	}
	s.mu.Lock()
	token := strings.ReplaceAll(s.newUUIDLocked()+s.newUUIDLocked(), "-", "")
	s.tokens[token] = time.Now().Add(s.tokenTTL)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, prizzEnvelope{StatusCode: http.StatusOK, Status: "OK", Object: map[string]any{
		"accessToken": token,
		"expiresIn":   int(s.tokenTTL.Seconds()),
	}})
}

func (s *Server) prizzBearer(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			prizzFail(w, http.StatusUnauthorized, "missing bearer token")
			return
		}
		s.mu.Lock()
		exp, known := s.tokens[token]
		s.mu.Unlock()
		switch {
		case !known:
			prizzFail(w, http.StatusUnauthorized, "invalid token")
		case !time.Now().Before(exp):
			prizzFail(w, http.StatusUnauthorized, "token expired")
		default:
			next(w, r)
		}
	})
}

func (s *Server) prizzOrderL2(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		prizzFail(w, http.StatusBadRequest, err.Error())
		return
	}
	var req prizzL2Request
	if err := decodeStrict(body, &req); err != nil {
		prizzFail(w, http.StatusBadRequest, err.Error())
		return
	}
	if errs := s.validateL2(req); len(errs) > 0 {
		prizzFail(w, http.StatusBadRequest, errs.summary())
		return
	}
	s.mu.Lock()
	ref := s.uniqueRefLocked("CMD-L2-", 6)
	s.recordLocked(CarrierPrizz, ref, r, body)
	s.mu.Unlock()
	s.respondCreated(w, r, CarrierPrizz, http.StatusOK, prizzEnvelope{
		StatusCode: http.StatusOK, Status: "OK", Object: map[string]string{"ref": ref},
	})
}

func (s *Server) validateL2(req prizzL2Request) fieldErrors {
	errs := fieldErrors{}
	errs.requireString("nomClient", req.NomClient)
	if req.IDOffre == nil {
		errs.add("idOffre", "required")
	} else if opts, ok := s.data.prizzOffers[*req.IDOffre]; !ok {
		errs.add("idOffre", fmt.Sprintf("unknown offer %d", *req.IDOffre))
	} else {
		for i, o := range req.IDOptions {
			if !slices.Contains(opts, o) {
				errs.add(fmt.Sprintf("idOptions[%d]", i), fmt.Sprintf("option %d does not belong to offer %d", o, *req.IDOffre))
			}
		}
	}
	if len(req.ContactsGTR) == 0 {
		errs.add("contactsGTR", "at least one GTR contact is required")
	}
	for i, c := range req.ContactsGTR {
		p := fmt.Sprintf("contactsGTR[%d]", i)
		if c.Type == nil || (*c.Type != "HO" && *c.Type != "HNO") {
			errs.add(p+".type", "must be HO or HNO")
		}
		s.requireContact(errs, p+".idContact", c.IDContact)
	}
	if a := req.Adresse; a == nil {
		errs.add("adresse", "required")
	} else {
		errs.requireString("adresse.rue", a.Rue)
		if errs.requireString("adresse.codePostal", a.CodePostal) && !digits(*a.CodePostal, 5) {
			errs.add("adresse.codePostal", "must be 5 digits")
		}
		errs.requireString("adresse.ville", a.Ville)
	}
	if c := req.ContactSite; c == nil {
		errs.add("contactSite", "required")
	} else {
		errs.requireString("contactSite.nom", c.Nom)
		errs.requireString("contactSite.telephone", c.Telephone)
	}
	if req.IDContactCommande != nil {
		s.requireContact(errs, "idContactCommande", req.IDContactCommande)
	}
	if len(req.IDContacts) == 0 {
		errs.add("idContacts", "at least one follow-up contact is required")
	}
	for i, id := range req.IDContacts {
		s.requireContact(errs, fmt.Sprintf("idContacts[%d]", i), &id)
	}
	ias := req.InfosActivationService
	if ias == nil {
		errs.add("infosActivationService", "required")
		return errs
	}
	if errs.requireString("infosActivationService.refPorte", ias.RefPorte) && !s.data.prizzPortKnown(*ias.RefPorte) {
		errs.add("infosActivationService.refPorte", "unknown delivery port "+*ias.RefPorte)
	}
	errs.requireString("infosActivationService.interfaceLivraison", ias.InterfaceLivraison)
	checkVlanSide(errs, "siteUtilisateurFinal", ias.SiteUtilisateurFinal, "nvlanSite", ias.NvlanSite)
	checkVlanSide(errs, "porteLivraison", ias.PorteLivraison, "nvlanPorte", ias.NvlanPorte)
	return errs
}

func (s *Server) requireContact(errs fieldErrors, field string, id *int) {
	switch {
	case id == nil:
		errs.add(field, "required")
	case !s.data.prizzContactKnown(*id):
		errs.add(field, fmt.Sprintf("unknown contact %d", *id))
	}
}

// checkVlanSide enforces the closed list and "a VLAN number 1..4094 only
// with Flux tagué C-VLAN on that side".
func checkVlanSide(errs fieldErrors, modeField string, mode *string, vlanField string, vlan *int) {
	modeField = "infosActivationService." + modeField
	vlanField = "infosActivationService." + vlanField
	if mode == nil || (*mode != vlanQinQ && *mode != vlanTagged && *mode != vlanUntagged) {
		errs.add(modeField, fmt.Sprintf("must be one of %q, %q, %q", vlanQinQ, vlanTagged, vlanUntagged))
	}
	if vlan == nil {
		return
	}
	if mode == nil || *mode != vlanTagged {
		errs.add(vlanField, "only allowed when "+modeField+" is "+vlanTagged)
	} else if *vlan < 1 || *vlan > 4094 {
		errs.add(vlanField, "must be a VLAN id 1..4094")
	}
}
