package sim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// The port-in dashboard (carriers.md "Status lookups", swagger
// GetPortSysCustomerInfo*): CustomerInfo{Orders[]{OrderID, Requests[]{
// RequestIdx, Assessment, HappyFoxTicket, NewService, ParentService,
// NumberToPort[]{TnRange, ReadyToPort, SvCondition}}}}. Each port-in of the
// sandbox is one order with one request. The dashboard carries neither the
// TicketMask nor the CustomerReferenceNumber.

type thinktelCustomerInfo struct {
	Orders []thinktelDashboardOrder `json:"Orders"`
}

type thinktelDashboardOrder struct {
	OrderID  int32                      `json:"OrderID"`
	Requests []thinktelDashboardRequest `json:"Requests"`
}

type thinktelDashboardRequest struct {
	RequestIdx     int32                     `json:"RequestIdx"`
	Assessment     string                    `json:"Assessment,omitempty"`
	HappyFoxTicket string                    `json:"HappyFoxTicket,omitempty"`
	NewService     string                    `json:"NewService,omitempty"`
	ParentService  string                    `json:"ParentService,omitempty"`
	NumberToPort   []thinktelDashboardNumber `json:"NumberToPort"`
}

type thinktelDashboardNumber struct {
	TnRange     string `json:"TnRange,omitempty"`
	ReadyToPort bool   `json:"ReadyToPort,omitempty"`
	SvCondition string `json:"SvCondition,omitempty"`
}

func (s *Server) routeThinktelDashboard() {
	const base = ThinktelPrefix + "/v2/NumberPorts/Inbound/Dashboard/PortInInfo"
	s.mux.Handle("GET "+base, s.thinktelAuth(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.thinktelDashboard(func(*thinktelPort) bool { return true }, 0))
	}))
	s.mux.Handle("GET "+base+"/OrdersByNumber/{tn}", s.thinktelAuth(func(w http.ResponseWriter, r *http.Request) {
		tn, err := strconv.ParseInt(r.PathValue("tn"), 10, 64)
		if err != nil {
			s.thinktelFail(w, http.StatusBadRequest, "tn must be a 10-digit telephone number")
			return
		}
		writeJSON(w, http.StatusOK, s.thinktelDashboard(func(p *thinktelPort) bool { return slices.Contains(p.status.NumbersToPort, tn) }, 0))
	}))
	byOrder := func(w http.ResponseWriter, r *http.Request, request int32) {
		id, err := strconv.ParseInt(r.PathValue("order"), 10, 32)
		if err != nil {
			s.thinktelFail(w, http.StatusBadRequest, "OrderId must be a number")
			return
		}
		info := s.thinktelDashboard(func(p *thinktelPort) bool { return p.orderID == int32(id) }, request)
		if len(info.Orders) == 0 || len(info.Orders[0].Requests) == 0 {
			s.thinktelFail(w, http.StatusNotFound, fmt.Sprintf("no porting order %d", id))
			return
		}
		writeJSON(w, http.StatusOK, info)
	}
	s.mux.Handle("GET "+base+"/Orders/{order}", s.thinktelAuth(func(w http.ResponseWriter, r *http.Request) {
		byOrder(w, r, 0)
	}))
	s.mux.Handle("GET "+base+"/Orders/{order}/{request}", s.thinktelAuth(func(w http.ResponseWriter, r *http.Request) {
		idx, err := strconv.ParseInt(r.PathValue("request"), 10, 32)
		if err != nil || idx < 1 {
			s.thinktelFail(w, http.StatusBadRequest, "RequestId must be a positive number")
			return
		}
		byOrder(w, r, int32(idx))
	}))
}

// thinktelDashboard lists the porting orders of the ports matching; request
// > 0 keeps only that request.
func (s *Server) thinktelDashboard(match func(*thinktelPort) bool, request int32) thinktelCustomerInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := thinktelCustomerInfo{Orders: []thinktelDashboardOrder{}}
	for _, p := range s.ports {
		if !match(p) {
			continue
		}
		o := thinktelDashboardOrder{OrderID: p.orderID, Requests: []thinktelDashboardRequest{}}
		if request == 0 || request == 1 {
			req := thinktelDashboardRequest{RequestIdx: 1, Assessment: "Pending",
				HappyFoxTicket: fmt.Sprintf("HF%06d", p.orderID), NumberToPort: []thinktelDashboardNumber{}}
			for _, n := range p.status.NumbersToPort {
				req.NumberToPort = append(req.NumberToPort, thinktelDashboardNumber{TnRange: strconv.FormatInt(n, 10), SvCondition: "Pending"})
			}
			o.Requests = append(o.Requests, req)
		}
		info.Orders = append(info.Orders, o)
	}
	return info
}
