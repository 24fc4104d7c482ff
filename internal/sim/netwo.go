package sim

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Netwo marketplace portability flow (carriers.md §1, seed 000):
//
//	GET  /netwo/api/v1/service?product_category[]=prefix_hosting&limit=&offset=
//	POST /netwo/api/v1/cart
//	GET  /netwo/api/v1/cart/{id}/lines
//	POST /netwo/api/v1/orders
//
// Auth: X-Api-Key + X-Actor-Slug. Errors: {"message": "...", "errors": {"field": "why"}}.

type netwoError struct {
	Message string      `json:"message"`
	Errors  fieldErrors `json:"errors,omitempty"`
}

type netwoService struct {
	Bought *netwoBought `json:"bought"`
	Resold any          `json:"resold"`
}

type netwoBought struct {
	ServiceID                 string         `json:"service_id"`
	ServiceType               string         `json:"service_type"`
	Reference                 string         `json:"reference"`
	ExternalProviderReference *string        `json:"external_provider_reference"`
	ExternalConsumerReference *string        `json:"external_consumer_reference"`
	ProductName               string         `json:"product_name"`
	ProviderName              string         `json:"provider_name"`
	ConsumerName              string         `json:"consumer_name"`
	ClientName                string         `json:"client_name"`
	ClientAddress             *string        `json:"client_address"`
	Status                    string         `json:"status"`
	CommissioningDate         *string        `json:"commissioning_date"`
	TerminationDate           *string        `json:"termination_date"`
	ResoldServiceID           *string        `json:"resold_service_id"`
	BoughtServiceID           *string        `json:"bought_service_id"`
	Resource                  *string        `json:"resource"`
	Specifics                 map[string]any `json:"specifics"`
	Category                  string         `json:"category"`
}

type netwoCart struct {
	id      string
	lines   []netwoCartLine
	ordered bool
}

type netwoCartLine struct {
	CartLineID string          `json:"cart_line_id"`
	Entity     json.RawMessage `json:"entity"`
}

type netwoPortability struct {
	IDN        *string `json:"idn"`
	WantedDate *string `json:"wanted_date"`
	RioOrDid   *struct {
		Did []string `json:"did"`
		Rio *string  `json:"rio"`
	} `json:"rio_or_did"`
}

type netwoOrderRequest struct {
	CartID *string          `json:"cart_id"`
	Lines  []netwoOrderLine `json:"lines"`
}

type netwoOrderLine struct {
	CartLineID *string `json:"cart_line_id"`
	Attributes *struct {
		Portability *struct {
			Routing         *string `json:"routing"`
			PrefixServiceID *string `json:"prefix_service_id"`
		} `json:"portability"`
	} `json:"attributes"`
	Customer *struct {
		Name           *string `json:"name"`
		CompanyNumber  *string `json:"company_number"`
		MailingAddress *struct {
			Address *struct {
				Street  *string `json:"street"`
				ZipCode *string `json:"zip_code"`
				City    *string `json:"city"`
			} `json:"address"`
		} `json:"mailing_address"`
	} `json:"customer"`
	Contact *struct {
		Name  *string `json:"name"`
		Email *string `json:"email"`
		Phone *string `json:"phone"`
	} `json:"contact"`
}

func (s *Server) routeNetwo() {
	s.mux.Handle("GET "+NetwoPrefix+"/service", s.netwoAuth(s.netwoServices))
	s.mux.Handle("POST "+NetwoPrefix+"/cart", s.netwoAuth(s.netwoCreateCart))
	s.mux.Handle("GET "+NetwoPrefix+"/cart/{id}/lines", s.netwoAuth(s.netwoCartLines))
	s.mux.Handle("POST "+NetwoPrefix+"/orders", s.netwoAuth(s.netwoCreateOrder))
	s.mux.Handle(NetwoPrefix+"/", s.netwoAuth(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, netwoError{Message: "no route for " + r.Method + " " + r.URL.Path})
	}))
}

func (s *Server) netwoAuth(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, slug := r.Header.Get("X-Api-Key"), r.Header.Get("X-Actor-Slug")
		switch {
		case key == "" || slug == "":
			writeJSON(w, http.StatusUnauthorized, netwoError{Message: "missing X-Api-Key or X-Actor-Slug header"})
		case !equal(key, s.creds.NetwoAPIKey) || !equal(slug, s.creds.NetwoActorSlug):
			writeJSON(w, http.StatusUnauthorized, netwoError{Message: "invalid API key or actor slug"})
		default:
			next(w, r)
		}
	})
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func (s *Server) netwoServices(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset := 1000, 0
	errs := fieldErrors{}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			errs.add("limit", "must be an integer 1..1000")
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs.add("offset", "must be a non-negative integer")
		}
		offset = n
	}
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, netwoError{Message: "invalid query", Errors: errs})
		return
	}
	cats := slices.Concat(q["product_category[]"], q["product_category"])
	var matched []netwoService
	for _, sv := range s.data.netwoServices {
		if len(cats) == 0 || slices.Contains(cats, sv.Bought.Category) {
			matched = append(matched, sv)
		}
	}
	page := []netwoService{}
	if offset < len(matched) {
		page = matched[offset:min(offset+limit, len(matched))]
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"services": page, "total_results": len(matched), "limit": limit, "offset": offset,
	})
}

func (s *Server) netwoCreateCart(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, netwoError{Message: err.Error()})
		return
	}
	var raw struct {
		Lines []struct {
			Entity json.RawMessage `json:"entity"`
		} `json:"lines"`
	}
	if err := decodeStrict(body, &raw); err != nil {
		writeJSON(w, http.StatusBadRequest, netwoError{Message: err.Error()})
		return
	}
	errs := fieldErrors{}
	if len(raw.Lines) == 0 {
		errs.add("lines", "at least one line is required")
	}
	for i, l := range raw.Lines {
		validateNetwoEntity(errs, fmt.Sprintf("lines[%d].entity", i), l.Entity)
	}
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, netwoError{Message: "invalid cart: " + errs.summary(), Errors: errs})
		return
	}
	s.mu.Lock()
	cart := &netwoCart{id: s.newUUIDLocked()}
	for _, l := range raw.Lines {
		cart.lines = append(cart.lines, netwoCartLine{CartLineID: s.newUUIDLocked(), Entity: compactJSON(l.Entity)})
	}
	s.carts[cart.id] = cart
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]string{"cart_id": cart.id})
}

func validateNetwoEntity(errs fieldErrors, path string, entity json.RawMessage) {
	if len(entity) == 0 || string(entity) == "null" {
		errs.add(path, "required")
		return
	}
	var e struct {
		Portability *netwoPortability `json:"portability"`
	}
	if err := decodeStrict(entity, &e); err != nil {
		errs.add(path, err.Error())
		return
	}
	p := e.Portability
	path += ".portability"
	if p == nil {
		errs.add(path, "required")
		return
	}
	if errs.requireString(path+".idn", p.IDN) && !frenchNumber(*p.IDN) {
		errs.add(path+".idn", "must be a 10-digit French number starting with 0")
	}
	if errs.requireString(path+".wanted_date", p.WantedDate) {
		if _, err := time.Parse(time.RFC3339, *p.WantedDate); err != nil {
			errs.add(path+".wanted_date", "must be an RFC 3339 date-time")
		}
	}
	rd := p.RioOrDid
	switch {
	case rd == nil:
		errs.add(path+".rio_or_did", "required: {\"did\": [...]} or {\"rio\": \"...\"}")
	case rd.Did != nil && rd.Rio != nil:
		errs.add(path+".rio_or_did", "give either did or rio, not both")
	case rd.Rio != nil:
		errs.requireString(path+".rio_or_did.rio", rd.Rio)
	case len(rd.Did) == 0:
		errs.add(path+".rio_or_did.did", "must be a non-empty list of numbers")
	default:
		for i, d := range rd.Did {
			if !frenchNumber(d) {
				errs.add(fmt.Sprintf("%s.rio_or_did.did[%d]", path, i), "must be a 10-digit French number starting with 0")
			}
		}
	}
}

// frenchNumber: 10 digits, national format 0[1-9]XXXXXXXX.
func frenchNumber(s string) bool {
	return digits(s, 10) && s[0] == '0' && s[1] != '0'
}

func (s *Server) netwoCartLines(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	cart, ok := s.carts[r.PathValue("id")]
	var lines []netwoCartLine
	if ok {
		lines = slices.Clone(cart.lines)
	}
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, netwoError{Message: "cart not found"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"lines": lines})
}

func (s *Server) netwoCreateOrder(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, netwoError{Message: err.Error()})
		return
	}
	var req netwoOrderRequest
	if err := decodeStrict(body, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, netwoError{Message: err.Error()})
		return
	}
	errs := fieldErrors{}
	errs.requireString("cart_id", req.CartID)
	if len(req.Lines) == 0 {
		errs.add("lines", "at least one line is required")
	}
	for i, l := range req.Lines {
		s.validateNetwoOrderLine(errs, fmt.Sprintf("lines[%d]", i), l)
	}
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, netwoError{Message: "invalid order: " + errs.summary(), Errors: errs})
		return
	}

	s.mu.Lock()
	cart, ok := s.carts[*req.CartID]
	if !ok {
		s.mu.Unlock()
		errs.add("cart_id", "unknown cart")
		writeJSON(w, http.StatusBadRequest, netwoError{Message: "invalid order: " + errs.summary(), Errors: errs})
		return
	}
	if cart.ordered {
		s.mu.Unlock()
		writeJSON(w, http.StatusConflict, netwoError{Message: "cart " + cart.id + " has already been ordered"})
		return
	}
	seen := map[string]bool{}
	for i, l := range req.Lines {
		id := *l.CartLineID
		field := fmt.Sprintf("lines[%d].cart_line_id", i)
		switch {
		case seen[id]:
			errs.add(field, "cart line given twice")
		case !slices.ContainsFunc(cart.lines, func(cl netwoCartLine) bool { return cl.CartLineID == id }):
			errs.add(field, "not a line of cart "+cart.id)
		}
		seen[id] = true
	}
	if len(errs) > 0 {
		s.mu.Unlock()
		writeJSON(w, http.StatusBadRequest, netwoError{Message: "invalid order: " + errs.summary(), Errors: errs})
		return
	}
	cart.ordered = true
	orderID := s.newUUIDLocked()
	s.recordLocked(CarrierNetwo, orderID, r, body)
	s.mu.Unlock()

	s.respondCreated(w, r, CarrierNetwo, http.StatusCreated, map[string]any{
		"order_id":   orderID,
		"cart_id":    cart.id,
		"state":      "confirmed",
		"created_at": time.Now().UTC().Format(time.RFC3339),
	})
}

func (s *Server) validateNetwoOrderLine(errs fieldErrors, path string, l netwoOrderLine) {
	errs.requireString(path+".cart_line_id", l.CartLineID)
	pp := path + ".attributes.portability"
	if l.Attributes == nil || l.Attributes.Portability == nil {
		errs.add(pp+".routing", "required")
		errs.add(pp+".prefix_service_id", "required")
	} else {
		p := l.Attributes.Portability
		if errs.requireString(pp+".routing", p.Routing) &&
			*p.Routing != "routing_on_prefix" && *p.Routing != "routing_on_sip_trunk" {
			errs.add(pp+".routing", "must be routing_on_prefix or routing_on_sip_trunk")
		}
		if errs.requireString(pp+".prefix_service_id", p.PrefixServiceID) && !s.data.netwoServiceByID(*p.PrefixServiceID) {
			errs.add(pp+".prefix_service_id", "unknown prefix_hosting service")
		}
	}
	cp := path + ".customer"
	if l.Customer == nil {
		errs.add(cp, "required")
	} else {
		c := l.Customer
		errs.requireString(cp+".name", c.Name)
		if errs.requireString(cp+".company_number", c.CompanyNumber) && !digits(*c.CompanyNumber, 14) {
			errs.add(cp+".company_number", "must be a 14-digit SIRET")
		}
		ap := cp + ".mailing_address.address"
		if c.MailingAddress == nil || c.MailingAddress.Address == nil {
			errs.add(ap, "required")
		} else {
			a := c.MailingAddress.Address
			errs.requireString(ap+".street", a.Street)
			if errs.requireString(ap+".zip_code", a.ZipCode) && !digits(*a.ZipCode, 5) {
				errs.add(ap+".zip_code", "must be a 5-digit French postal code")
			}
			errs.requireString(ap+".city", a.City)
		}
	}
	kp := path + ".contact"
	if l.Contact == nil {
		errs.add(kp, "required")
		return
	}
	errs.requireString(kp+".name", l.Contact.Name)
	if errs.requireString(kp+".email", l.Contact.Email) && !looksLikeEmail(*l.Contact.Email) {
		errs.add(kp+".email", "not an e-mail address")
	}
	if errs.requireString(kp+".phone", l.Contact.Phone) && !phoneLike(*l.Contact.Phone) {
		errs.add(kp+".phone", "must be +CC… (E.164) or a 10-digit national number")
	}
}

// phoneLike accepts E.164 (+ and 8–15 digits) or a French national number,
// ignoring spaces, dots and dashes.
func phoneLike(s string) bool {
	s = strings.NewReplacer(" ", "", ".", "", "-", "").Replace(s)
	if rest, ok := strings.CutPrefix(s, "+"); ok {
		return digits(rest, 0) && len(rest) >= 8 && len(rest) <= 15
	}
	return frenchNumber(s)
}
