package sim

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Thinktel uControl REST API (carriers.md §3, seed 002), under
// /thinktel/rest.svc, HTTP Basic auth, JSON only. Errors are
// Exception{ID, Message}.

type thinktelException struct {
	ID      string `json:"ID"`
	Message string `json:"Message"`
}

type thinktelTrunk struct {
	Account           int64  `json:"Account"`
	CommittedChannels int    `json:"CommittedChannels"`
	Enabled           bool   `json:"Enabled"`
	Label             string `json:"Label"`
	Locale            int    `json:"Locale"`
	MaxChannels       int    `json:"MaxChannels"`
	Number            int64  `json:"Number"`
	PlanID            string `json:"PlanID"`
	SecondLocale      int    `json:"SecondLocale"`
}

type thinktelLocalized struct {
	En string `json:"En"`
	Fr string `json:"Fr"`
}

type thinktelSubscription struct {
	Name           string            `json:"Name"`
	ProductName    thinktelLocalized `json:"ProductName"`
	SubscriptionID string            `json:"SubscriptionID"`
}

type thinktelOffering struct {
	OfferingID                   string                 `json:"OfferingID"`
	PotentialParentSubscriptions []thinktelSubscription `json:"PotentialParentSubscriptions,omitempty"`
	ProductName                  thinktelLocalized      `json:"ProductName"`
	Type                         int                    `json:"Type"`
}

type thinktelProvider struct {
	ID   int32  `json:"ID"`
	Name string `json:"Name"`
}

type thinktelTicketResponse struct {
	TicketMask string `json:"TicketMask"`
	Reply      int    `json:"Reply"`
	Message    string `json:"Message,omitempty"`
}

type thinktelPortInStatus struct {
	AccountNumber string  `json:"AccountNumber,omitempty"`
	EndUserName   string  `json:"EndUserName,omitempty"`
	NumbersToPort []int64 `json:"NumbersToPort"`
	PortDate      string  `json:"PortDate,omitempty"`
	Reseller      string  `json:"Reseller,omitempty"`
	Status        string  `json:"Status"`
	TicketID      string  `json:"TicketId,omitempty"`
	ValidationLSC bool    `json:"ValidationLSC"`
	// Set when Status is REJECTED.
	Disputing     bool                `json:"Disputing,omitempty"`
	RejectReason  string              `json:"RejectReason,omitempty"`
	RejectSummary string              `json:"RejectSummary,omitempty"`
	RejectDetails []map[string]string `json:"RejectDetails,omitempty"`
}

// thinktelPort is a port-in the sandbox accepted.
type thinktelPort struct {
	status  thinktelPortInStatus
	orderID int32     // its porting order in the dashboard (one request, RequestIdx 1)
	created time.Time // for Faults.ThinktelStatusLag
}

type thinktelFile struct {
	FileName       *string `json:"FileName"`
	ContentType    *string `json:"ContentType"`
	Base64Contents *string `json:"Base64Contents"`
}

// thinktelPortForm is the union of NumberPortOrderFormV2 and
// NumberPortTollFreeOrderFormV2.
type thinktelPortForm struct {
	CustomerName                *string        `json:"CustomerName"`
	CustomerAccountNumber       *string        `json:"CustomerAccountNumber"`
	CustomerStreetNumber        *string        `json:"CustomerStreetNumber"`
	CustomerStreetName          *string        `json:"CustomerStreetName"`
	CustomerUnit                *string        `json:"CustomerUnit"`
	CustomerFloor               *string        `json:"CustomerFloor"`
	CustomerStreetType          *string        `json:"CustomerStreetType"`
	CustomerStreetSuffix        *string        `json:"CustomerStreetSuffix"`
	CustomerStreetDirection     *string        `json:"CustomerStreetDirection"`
	CustomerCity                *string        `json:"CustomerCity"`
	CustomerProvince            *string        `json:"CustomerProvince"`
	CustomerPostalCode          *string        `json:"CustomerPostalCode"`
	CustomerCountry             *string        `json:"CustomerCountry"`
	EmailAddress                *string        `json:"EmailAddress"`
	AdditionalEmailAddresses    []string       `json:"AdditionalEmailAddresses"`
	CurrentProvider             *int32         `json:"CurrentProvider"`
	CurrentReseller             *string        `json:"CurrentReseller"`
	CurrentProviderNotMandatory *bool          `json:"CurrentProviderNotMandatory"`
	NumbersToPort               []int64        `json:"NumbersToPort"`
	NumbersToRemain             []int64        `json:"NumbersToRemain"`
	NumbersToDisconnect         []int64        `json:"NumbersToDisconnect"`
	ChangePilotNumber           *bool          `json:"ChangePilotNumber"`
	NewPilotNumber              *int64         `json:"NewPilotNumber"`
	RequestedPortDate           *string        `json:"RequestedPortDate"`
	RequestedPortTime           *string        `json:"RequestedPortTime"`
	CustomerReferenceNumber     *string        `json:"CustomerReferenceNumber"`
	SubmitterFirstName          *string        `json:"SubmitterFirstName"`
	SubmitterLastName           *string        `json:"SubmitterLastName"`
	SubmitterPhoneNumber        *int64         `json:"SubmitterPhoneNumber"`
	CommentsLosingCarrier       *string        `json:"CommentsLosingCarrier"`
	CommentsPortTeam            *string        `json:"CommentsPortTeam"`
	ContactMeBLIF               *bool          `json:"ContactMeBLIF"`
	ContactMeScheduling         *bool          `json:"ContactMeScheduling"`
	IsPRIMegaLink               *bool          `json:"IsPRIMegaLink"`
	PRIMegalinkCircuit          *string        `json:"PRIMegalinkCircuit"`
	PRIMegalinkRemainActive     *bool          `json:"PRIMegalinkRemainActive"`
	FileLetterOfAuthorization   []thinktelFile `json:"FileLetterOfAuthorization"`
	FileLastInvoice             []thinktelFile `json:"FileLastInvoice"`
	FileBlifSpreadsheet         []thinktelFile `json:"FileBlifSpreadsheet"`
	FileRespOrgForm             []thinktelFile `json:"FileRespOrgForm"`
	ExtraDetails                []struct {
		Key   *string `json:"Key"`
		Value *string `json:"Value"`
	} `json:"ExtraDetails"`
}

type thinktelNumberRequest struct {
	Number         *int64  `json:"Number"`
	RateCenterName *string `json:"RateCenterName"`
}

// thinktelPortRequest is the union of the eight port-in bodies; each
// endpoint checks the fields its swagger model requires.
type thinktelPortRequest struct {
	PilotNumber *int64 `json:"PilotNumber"`
	DIDs        []struct {
		Number           *int64  `json:"Number"`
		Label            *string `json:"Label"`
		AdditionalLabel  *string `json:"AdditionalLabel"`
		TranslatedNumber *int64  `json:"TranslatedNumber"`
		Surecall         *int64  `json:"Surecall"`
	} `json:"DIDs"`
	OfferingID           *string `json:"OfferingID"`
	ParentSubscriptionID *string `json:"ParentSubscriptionID"`
	Lines                []struct {
		Account         *int64                 `json:"Account"`
		BusinessGroupID *string                `json:"BusinessGroupID"`
		Enabled         *bool                  `json:"Enabled"`
		Locale          *int                   `json:"Locale"`
		SecondLocale    *int                   `json:"SecondLocale"`
		Number          *thinktelNumberRequest `json:"Number"`
		PlanID          *string                `json:"PlanID"`
		Label           *string                `json:"Label"`
	} `json:"Lines"`
	Forwards []struct {
		Account                     *int64                 `json:"Account"`
		CallForwardingNumber        *int64                 `json:"CallForwardingNumber"`
		Enabled                     *bool                  `json:"Enabled"`
		Number                      *thinktelNumberRequest `json:"Number"`
		PCFProvisioningInstructions *string                `json:"PCFProvisioningInstructions"`
		PlanID                      *string                `json:"PlanID"`
		Label                       *string                `json:"Label"`
	} `json:"Forwards"`
	BusinessGroupSubscriptionID *string `json:"BusinessGroupSubscriptionID"`
	ForwardingInstructions      []struct {
		ForwardingTN *int64 `json:"ForwardingTN"`
		TN           *int64 `json:"TN"`
	} `json:"ForwardingInstructions"`
	FaxEmail *string           `json:"FaxEmail"`
	PortForm *thinktelPortForm `json:"PortForm"`
}

// portKind is one of the eight port-in endpoints.
type portKind struct {
	path     string
	offering int  // offering Type the endpoint takes; 0 = DIDs onto an existing trunk
	tollFree bool // toll-free endpoint: only toll-free numbers
}

func thinktelPortKinds() []portKind {
	return []portKind{
		{path: "/v2/NumberPorts/Inbound/DIDs"},
		{path: "/v2/NumberPorts/Inbound/TollFree/DIDs", tollFree: true},
		{path: "/NumberPorts/Inbound/GeneralProducts", offering: 1},
		{path: "/NumberPorts/Inbound/GeneralChildProducts", offering: 2},
		{path: "/v2/NumberPorts/Inbound/ResidentialLines", offering: 3},
		{path: "/v2/NumberPorts/Inbound/BusinessLines", offering: 4},
		{path: "/v2/NumberPorts/Inbound/PermanentCallForwards", offering: 5},
		{path: "/v2/NumberPorts/Inbound/TollFree/PermanentCallForwards", offering: 5, tollFree: true},
		{path: "/NumberPorts/Inbound/BusinessPermanentCallForwards", offering: 6},
		{path: "/NumberPorts/Inbound/VirtualFaxes", offering: 7},
	}
}

func (s *Server) routeThinktel() {
	get := func(path string, v any) {
		s.mux.Handle("GET "+ThinktelPrefix+path, s.thinktelAuth(func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, v)
		}))
	}
	get("/SipTrunks", s.data.thinktelTrunks)
	s.mux.Handle("GET "+ThinktelPrefix+"/Products/TelephoneOfferings", s.thinktelAuth(func(w http.ResponseWriter, _ *http.Request) {
		if !s.Faults().ThinktelProductNameText {
			writeJSON(w, http.StatusOK, s.data.thinktelOfferings)
			return
		}
		// A shape orderdrop does not rely on: ProductName as plain text.
		out := make([]map[string]any, len(s.data.thinktelOfferings))
		for i, o := range s.data.thinktelOfferings {
			out[i] = map[string]any{"OfferingID": o.OfferingID, "ProductName": o.ProductName.En, "Type": o.Type,
				"PotentialParentSubscriptions": o.PotentialParentSubscriptions}
		}
		writeJSON(w, http.StatusOK, out)
	}))
	get("/NumberPorts/Providers", s.data.thinktelProviders)
	s.mux.Handle("GET "+ThinktelPrefix+"/v2/NumberPorts/Inbound/Numbers/{tn}/PortInStatus", s.thinktelAuth(s.thinktelStatusByNumber))
	s.mux.Handle("GET "+ThinktelPrefix+"/v2/NumberPorts/Inbound/Tickets/{ticket}/PortInStatus", s.thinktelAuth(s.thinktelStatusByTicket))
	s.routeThinktelDashboard()
	for _, k := range thinktelPortKinds() {
		s.mux.Handle("POST "+ThinktelPrefix+k.path, s.thinktelAuth(func(w http.ResponseWriter, r *http.Request) {
			s.thinktelPortIn(w, r, k)
		}))
	}
	s.mux.Handle(ThinktelPrefix+"/", s.thinktelAuth(func(w http.ResponseWriter, r *http.Request) {
		s.thinktelFail(w, http.StatusNotFound, "no route for "+r.Method+" "+r.URL.Path)
	}))
}

func (s *Server) thinktelFail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, thinktelException{ID: s.newUUID(), Message: msg})
}

func (s *Server) thinktelAuth(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || !equal(user, s.creds.ThinktelUser) || !equal(pass, s.creds.ThinktelPassword) {
			w.Header().Set("WWW-Authenticate", `Basic realm="uControl"`)
			s.thinktelFail(w, http.StatusUnauthorized, "authentication failed")
			return
		}
		next(w, r)
	})
}

func (s *Server) thinktelStatusByNumber(w http.ResponseWriter, r *http.Request) {
	tn, err := strconv.ParseInt(r.PathValue("tn"), 10, 64)
	if err != nil {
		s.thinktelFail(w, http.StatusBadRequest, "tn must be a 10-digit telephone number")
		return
	}
	s.thinktelStatus(w, func(p *thinktelPort) bool { return slices.Contains(p.status.NumbersToPort, tn) })
}

func (s *Server) thinktelStatusByTicket(w http.ResponseWriter, r *http.Request) {
	ticket := r.PathValue("ticket")
	s.thinktelStatus(w, func(p *thinktelPort) bool { return p.status.TicketID == ticket })
}

// thinktelStatus answers with the latest port matching (ports younger than
// Faults.ThinktelStatusLag are not found yet).
func (s *Server) thinktelStatus(w http.ResponseWriter, match func(*thinktelPort) bool) {
	s.mu.Lock()
	var found *thinktelPortInStatus
	lag := s.faults.ThinktelStatusLag
	for i := len(s.ports) - 1; i >= 0; i-- {
		if lag > 0 && time.Since(s.ports[i].created) < lag {
			continue
		}
		if match(s.ports[i]) {
			st := s.ports[i].status
			st.NumbersToPort = slices.Clone(st.NumbersToPort)
			s.thinktelTrackedLocked(&st)
			found = &st
			break
		}
	}
	s.mu.Unlock()
	if found == nil {
		s.thinktelFail(w, http.StatusNotFound, "no port-in request found")
		return
	}
	writeJSON(w, http.StatusOK, found)
}

// Business outcomes keyed on PortForm.CustomerAccountNumber, so tests can
// provoke the non-accepted replies deterministically.
const (
	AccountNumberReject      = "REJECT"      // Reply 0 Rejected; nothing created
	AccountNumberDefer       = "DEFER"       // Reply 2 Deferred; created, status PENDING
	AccountNumberConditional = "CONDITIONAL" // Reply 3 Conditional; created, status SUBMITTED
)

func (s *Server) thinktelPortIn(w http.ResponseWriter, r *http.Request, k portKind) {
	body, err := readBody(r)
	if err != nil {
		s.thinktelFail(w, http.StatusBadRequest, err.Error())
		return
	}
	var req thinktelPortRequest
	if err := decodeStrict(body, &req); err != nil {
		s.thinktelFail(w, http.StatusBadRequest, err.Error())
		return
	}
	errs := fieldErrors{}
	numbers := s.validatePortBody(errs, k, &req)
	if req.PortForm == nil {
		errs.add("PortForm", "required")
	} else {
		s.validatePortForm(errs, req.PortForm)
		numbers = append(numbers, req.PortForm.NumbersToPort...)
	}
	if len(errs) == 0 {
		checkNumberClass(errs, k, numbers)
	}
	if len(errs) > 0 {
		s.thinktelFail(w, http.StatusBadRequest, "The request is invalid. "+errs.summary())
		return
	}

	reply := thinktelTicketResponse{Reply: 1, Message: "Accepted"}
	status := "SUBMITTED"
	switch *req.PortForm.CustomerAccountNumber {
	case AccountNumberReject:
		writeJSON(w, http.StatusOK, thinktelTicketResponse{Reply: 0,
			Message: "Rejected: the losing carrier account number could not be validated"})
		return
	case AccountNumberDefer:
		reply = thinktelTicketResponse{Reply: 2, Message: "Deferred: the request will be reviewed by the porting team"}
		status = "PENDING"
	case AccountNumberConditional:
		reply = thinktelTicketResponse{Reply: 3, Message: "Conditional: accepted pending a valid letter of authorization"}
	}
	pf := req.PortForm
	port := &thinktelPort{status: thinktelPortInStatus{
		AccountNumber: s.creds.ThinktelUser,
		EndUserName:   *pf.CustomerName,
		NumbersToPort: dedupe(numbers),
		Status:        status,
		ValidationLSC: true,
	}}
	if pf.RequestedPortDate != nil && *pf.RequestedPortDate != "" {
		if d, err := time.Parse(time.DateOnly, *pf.RequestedPortDate); err == nil {
			port.status.PortDate = d.Format("20060102")
		}
	}
	if pf.CurrentReseller != nil {
		port.status.Reseller = *pf.CurrentReseller
	}
	s.mu.Lock()
	reply.TicketMask = s.uniqueRefLocked("PI-", 7)
	port.status.TicketID = reply.TicketMask
	port.orderID = int32(5001 + len(s.ports))
	port.created = time.Now()
	s.ports = append(s.ports, port)
	s.recordLocked(CarrierThinktel, reply.TicketMask, r, body)
	s.mu.Unlock()
	s.respondCreated(w, r, CarrierThinktel, http.StatusOK, reply)
}

// validatePortBody checks the endpoint-specific fields and returns the
// numbers the body ports.
func (s *Server) validatePortBody(errs fieldErrors, k portKind, req *thinktelPortRequest) []int64 {
	var numbers []int64
	num := func(field string, n *int64) {
		switch {
		case n == nil:
			errs.add(field, "required")
		case !nanp(*n):
			errs.add(field, fmt.Sprintf("%d is not a 10-digit North American number", *n))
		default:
			numbers = append(numbers, *n)
		}
	}
	switch k.offering {
	case 0: // DIDs onto an existing SIP trunk
		if req.PilotNumber == nil {
			errs.add("PilotNumber", "required")
		} else if !s.data.thinktelTrunkKnown(*req.PilotNumber) {
			errs.add("PilotNumber", fmt.Sprintf("%d is not one of your SIP trunks", *req.PilotNumber))
		}
		if len(req.DIDs) == 0 {
			errs.add("DIDs", "at least one DID is required")
		}
		for i, d := range req.DIDs {
			num(fmt.Sprintf("DIDs[%d].Number", i), d.Number)
		}
	case 1, 2, 6, 7:
		o := s.requireOffering(errs, "OfferingID", req.OfferingID, k.offering)
		switch k.offering {
		case 2:
			if errs.requireString("ParentSubscriptionID", req.ParentSubscriptionID) && o != nil &&
				!slices.ContainsFunc(o.PotentialParentSubscriptions, func(p thinktelSubscription) bool {
					return p.SubscriptionID == *req.ParentSubscriptionID
				}) {
				errs.add("ParentSubscriptionID", "not a potential parent subscription of "+o.OfferingID)
			}
		case 6:
			errs.requireString("BusinessGroupSubscriptionID", req.BusinessGroupSubscriptionID)
			if len(req.ForwardingInstructions) == 0 {
				errs.add("ForwardingInstructions", "at least one forwarding instruction is required")
			}
			for i, f := range req.ForwardingInstructions {
				num(fmt.Sprintf("ForwardingInstructions[%d].TN", i), f.TN)
				if f.ForwardingTN == nil {
					errs.add(fmt.Sprintf("ForwardingInstructions[%d].ForwardingTN", i), "required")
				}
			}
		case 7:
			if errs.requireString("FaxEmail", req.FaxEmail) && !looksLikeEmail(*req.FaxEmail) {
				errs.add("FaxEmail", "not an e-mail address")
			}
		}
		if k.offering != 6 && (req.PortForm == nil || len(req.PortForm.NumbersToPort) == 0) {
			errs.add("PortForm.NumbersToPort", "at least one number to port is required")
		}
	case 3, 4:
		if len(req.Lines) == 0 {
			errs.add("Lines", "at least one line is required")
		}
		for i, l := range req.Lines {
			p := fmt.Sprintf("Lines[%d]", i)
			requireInt64(errs, p+".Account", l.Account)
			if k.offering == 3 && l.Enabled == nil {
				errs.add(p+".Enabled", "required")
			}
			if k.offering == 4 {
				errs.requireString(p+".BusinessGroupID", l.BusinessGroupID)
			}
			checkLocale(errs, p+".Locale", l.Locale, false)
			checkLocale(errs, p+".SecondLocale", l.SecondLocale, true)
			if l.Number == nil {
				errs.add(p+".Number", "required")
			} else {
				num(p+".Number.Number", l.Number.Number)
			}
			s.requireOffering(errs, p+".PlanID", l.PlanID, k.offering)
		}
	case 5:
		if len(req.Forwards) == 0 {
			errs.add("Forwards", "at least one forward is required")
		}
		for i, f := range req.Forwards {
			p := fmt.Sprintf("Forwards[%d]", i)
			requireInt64(errs, p+".Account", f.Account)
			if f.CallForwardingNumber == nil {
				errs.add(p+".CallForwardingNumber", "required")
			}
			if f.Enabled == nil {
				errs.add(p+".Enabled", "required")
			}
			if f.Number == nil {
				errs.add(p+".Number", "required")
			} else {
				num(p+".Number.Number", f.Number.Number)
			}
			errs.requireString(p+".PCFProvisioningInstructions", f.PCFProvisioningInstructions)
			s.requireOffering(errs, p+".PlanID", f.PlanID, k.offering)
		}
	}
	if k.offering >= 3 && k.offering <= 5 && req.OfferingID != nil {
		s.requireOffering(errs, "OfferingID", req.OfferingID, k.offering)
	}
	return numbers
}

// requireOffering checks that id names an offering of the endpoint's Type.
// For line and call-forward orders the offering is given as PlanID.
func (s *Server) requireOffering(errs fieldErrors, field string, id *string, typ int) *thinktelOffering {
	if !errs.requireString(field, id) {
		return nil
	}
	o, ok := s.data.thinktelOffering(*id)
	switch {
	case !ok:
		errs.add(field, "unknown offering "+*id)
		return nil
	case o.Type != typ:
		errs.add(field, fmt.Sprintf("offering %s has Type %d; this endpoint takes Type %d", *id, o.Type, typ))
		return nil
	}
	return &o
}

func requireInt64(errs fieldErrors, field string, v *int64) {
	if v == nil {
		errs.add(field, "required")
	}
}

func checkLocale(errs fieldErrors, field string, v *int, allowNone bool) {
	switch {
	case v == nil:
		errs.add(field, "required")
	case *v >= 0 && *v <= 6, allowNone && *v == 9:
	default:
		errs.add(field, fmt.Sprintf("%d is not a locale code", *v))
	}
}

func (s *Server) validatePortForm(errs fieldErrors, pf *thinktelPortForm) {
	for field, v := range map[string]*string{
		"CustomerName": pf.CustomerName, "CustomerAccountNumber": pf.CustomerAccountNumber,
		"CustomerStreetNumber": pf.CustomerStreetNumber, "CustomerStreetName": pf.CustomerStreetName,
		"CustomerCity": pf.CustomerCity, "CustomerProvince": pf.CustomerProvince,
		"CustomerPostalCode": pf.CustomerPostalCode, "CustomerCountry": pf.CustomerCountry,
		"EmailAddress": pf.EmailAddress,
	} {
		errs.requireString("PortForm."+field, v)
	}
	if pf.CustomerCountry != nil && *pf.CustomerCountry != "" && *pf.CustomerCountry != "CA" && *pf.CustomerCountry != "US" {
		errs.add("PortForm.CustomerCountry", "only CA or US accepted")
	}
	if pf.EmailAddress != nil && *pf.EmailAddress != "" && !looksLikeEmail(*pf.EmailAddress) {
		errs.add("PortForm.EmailAddress", "not an e-mail address")
	}
	hasProvider := pf.CurrentProvider != nil && *pf.CurrentProvider != 0
	hasReseller := pf.CurrentReseller != nil && *pf.CurrentReseller != ""
	notMandatory := pf.CurrentProviderNotMandatory != nil && *pf.CurrentProviderNotMandatory
	switch {
	case hasProvider && hasReseller:
		errs.add("PortForm.CurrentProvider", "give CurrentProvider or CurrentReseller, not both")
	case hasProvider && !s.data.thinktelProviderKnown(*pf.CurrentProvider):
		errs.add("PortForm.CurrentProvider", fmt.Sprintf("unknown provider %d (see GET /NumberPorts/Providers)", *pf.CurrentProvider))
	case !hasProvider && !hasReseller && !notMandatory:
		errs.add("PortForm.CurrentProvider", "CurrentProvider is required when CurrentReseller is empty")
	}
	for field, list := range map[string][]int64{
		"NumbersToPort": pf.NumbersToPort, "NumbersToRemain": pf.NumbersToRemain, "NumbersToDisconnect": pf.NumbersToDisconnect,
	} {
		for i, n := range list {
			if !nanp(n) {
				errs.add(fmt.Sprintf("PortForm.%s[%d]", field, i), fmt.Sprintf("%d is not a 10-digit North American number", n))
			}
		}
	}
	if pf.ChangePilotNumber != nil && *pf.ChangePilotNumber {
		if pf.NewPilotNumber == nil || !slices.Contains(pf.NumbersToRemain, *pf.NewPilotNumber) {
			errs.add("PortForm.NewPilotNumber", "required with ChangePilotNumber and must be one of NumbersToRemain")
		}
	}
	hasDate := pf.RequestedPortDate != nil && *pf.RequestedPortDate != ""
	if hasDate {
		if _, err := time.Parse(time.DateOnly, *pf.RequestedPortDate); err != nil {
			errs.add("PortForm.RequestedPortDate", "must be YYYY-MM-DD")
		}
	}
	if pf.RequestedPortTime != nil && *pf.RequestedPortTime != "" {
		if !hasDate {
			errs.add("PortForm.RequestedPortTime", "only allowed with RequestedPortDate")
		} else if _, err := time.Parse("15:04", *pf.RequestedPortTime); err != nil {
			errs.add("PortForm.RequestedPortTime", "must be HH:MM (24h, Eastern)")
		}
	}
	if pf.SubmitterPhoneNumber != nil && !nanp(*pf.SubmitterPhoneNumber) {
		errs.add("PortForm.SubmitterPhoneNumber", "must be a 10-digit number")
	}
	for field, files := range map[string][]thinktelFile{
		"FileLetterOfAuthorization": pf.FileLetterOfAuthorization, "FileLastInvoice": pf.FileLastInvoice,
		"FileBlifSpreadsheet": pf.FileBlifSpreadsheet, "FileRespOrgForm": pf.FileRespOrgForm,
	} {
		for i, f := range files {
			p := fmt.Sprintf("PortForm.%s[%d]", field, i)
			errs.requireString(p+".FileName", f.FileName)
			errs.requireString(p+".ContentType", f.ContentType)
			if errs.requireString(p+".Base64Contents", f.Base64Contents) {
				if _, err := base64.StdEncoding.DecodeString(*f.Base64Contents); err != nil {
					errs.add(p+".Base64Contents", "not valid base64")
				}
			}
		}
	}
	for i, d := range pf.ExtraDetails {
		errs.requireString(fmt.Sprintf("PortForm.ExtraDetails[%d].Key", i), d.Key)
		errs.requireString(fmt.Sprintf("PortForm.ExtraDetails[%d].Value", i), d.Value)
	}
}

// checkNumberClass: toll-free endpoints take only toll-free numbers, the
// others only regular ones, and a request never mixes them.
func checkNumberClass(errs fieldErrors, k portKind, numbers []int64) {
	var tf, regular int
	for _, n := range numbers {
		if tollFree(n) {
			tf++
		} else {
			regular++
		}
	}
	switch {
	case tf > 0 && regular > 0:
		errs.add("numbers", "regular and toll-free numbers cannot be mixed in one port-in request")
	case k.tollFree && regular > 0:
		errs.add("numbers", "this toll-free endpoint accepts only toll-free numbers (800/833/844/855/866/877/888)")
	case !k.tollFree && tf > 0:
		errs.add("numbers", "toll-free numbers must be ported with the TollFree endpoints")
	}
}

// nanp: a 10-digit NANP number NXX-NXX-XXXX.
func nanp(n int64) bool {
	return n >= 2_000_000_000 && n <= 9_999_999_999 && (n/1_000_000)%10 >= 2
}

func tollFree(n int64) bool {
	switch n / 10_000_000 {
	case 800, 833, 844, 855, 866, 877, 888:
		return true
	}
	return false
}

func dedupe(ns []int64) []int64 {
	out := slices.Clone(ns)
	slices.Sort(out)
	return slices.Compact(out)
}
